// Drives the embed widget in headless Chromium the way a visitor of a customer's site would: a host page on another
// origin includes <gateway>/embed.js, the visitor opens the launcher, signs in with an API key, chats or buys.
//
//   node embed-widget.mjs <scenario>...      (chat, cancel, product, bundle, missing; none = all)
//
// Everything it needs comes from the environment (EmbedWidgetBrowserTest sets it): GATEWAY_URL, HOST_URL, API_KEY,
// USER_ID, ECHO_WORKFLOW_ID, SLOW_WORKFLOW_ID, PRODUCT_ID, BUNDLE_ID, MISSING_WORKFLOW_ID, SCREENSHOT_DIR,
// CHROMIUM_PATH. Prints "PASS <scenario>" or "FAIL <scenario>: <reason>" per scenario and exits 1 if
// any failed. Every wait is on a condition (an element, a text, an attribute), never a fixed delay.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = readEnvironment([
  'GATEWAY_URL', 'HOST_URL', 'API_KEY', 'USER_ID', 'ECHO_WORKFLOW_ID', 'SLOW_WORKFLOW_ID', 'PRODUCT_ID',
  'BUNDLE_ID', 'MISSING_WORKFLOW_ID', 'SCREENSHOT_DIR', 'CHROMIUM_PATH',
]);
const WAIT_MS = 20_000;

const scenarios = { chat, cancel, product, bundle, missing };

// ---------------------------------------------------------------------------------------------------------------

/** The workflow chat: launcher, frame, sign-in, Enter sends, the answer, a retried send, 320 px, Escape, sign-out. */
async function chat(page, context) {
  const triggers = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith(`/api/agent-webhooks/${env.ECHO_WORKFLOW_ID}/trigger`)) {
      triggers.push(JSON.parse(request.postData()));
    }
  });
  await page.goto(`${env.HOST_URL}/workflow.html`);
  const launcher = page.locator('button.tollgate-embed-launcher');
  await launcher.waitFor();
  check(await launcher.getAttribute('aria-label') === 'Open Echo bot', 'the launcher is named after data-title');
  check(await launcher.getAttribute('aria-expanded') === 'false', 'the panel starts closed');
  check(await page.locator('iframe').count() === 0, 'the frame loads only once the panel is opened');
  await shot(page, 'chat-1-host-page');

  // Keyboard: Tab to the launcher, Enter opens it, focus lands in the frame's first field.
  await page.locator('#host-link').focus();
  await page.keyboard.press('Tab');
  check(await launcher.evaluate((el) => el === document.activeElement), 'Tab reaches the launcher');
  await page.keyboard.press('Enter');
  const frameElement = page.locator('iframe[title="Echo bot"]');
  await frameElement.waitFor();
  check(await frameElement.getAttribute('src') === `${env.GATEWAY_URL}/embed/${env.ECHO_WORKFLOW_ID}`,
    `the frame is the gateway's page, got ${await frameElement.getAttribute('src')}`);
  check(await launcher.getAttribute('aria-expanded') === 'true', 'the launcher says the panel is open');
  check(await launcher.getAttribute('aria-label') === 'Close Echo bot', 'the launcher now closes the panel');
  const frame = page.frameLocator('iframe[title="Echo bot"]');
  await frame.getByRole('heading', { name: 'Echo bot' }).waitFor();
  await frame.getByText('Repeats what you say').waitFor();
  const apiKey = frame.getByLabel('API key', { exact: true });
  await waitUntil(() => apiKey.evaluate((el) => el === document.activeElement), 'focus moves to the API key field');
  await shot(page, 'chat-2-sign-in');

  // A wrong key is refused with a readable message, next to the field.
  await apiKey.fill('tg_not_a_real_key');
  await apiKey.press('Enter');
  await frame.getByRole('alert').filter({ hasText: 'That API key was not accepted' }).waitFor();
  check(await apiKey.getAttribute('aria-invalid') === 'true', 'the refused key is marked invalid');

  await apiKey.fill(env.API_KEY);
  await apiKey.press('Enter');
  await frame.locator('.tg-account').filter({ hasText: `Signed in as ${env.USER_ID}` }).waitFor();
  await frame.locator('.tg-balance').filter({ hasText: /^[\d,]+ credits$/ }).waitFor();
  const message = frame.getByRole('textbox', { name: 'Message' });
  await waitUntil(() => message.evaluate((el) => el === document.activeElement), 'focus moves to the message box');

  // Enter sends; the answer arrives in the polite live log.
  await message.fill('Hello from the host page');
  await message.press('Enter');
  await frame.locator('.tg-message-user').filter({ hasText: 'Hello from the host page' }).waitFor();
  await frame.locator('[role="log"][aria-live="polite"] .tg-message-assistant')
    .filter({ hasText: 'You said: Hello from the host page' }).waitFor();
  await shot(page, 'chat-3-answer');

  // Shift+Enter is a new line, not a send.
  await message.fill('Line one');
  await message.press('Shift+Enter');
  await message.pressSequentially('line two');
  check((await message.inputValue()) === 'Line one\nline two', 'Shift+Enter adds a line');
  check(triggers.length === 1, `nothing was sent by Shift+Enter (${triggers.length} triggers)`);

  // The network drops the first attempt: Retry resends with the same request_id, so no second run is possible.
  let dropped = 0;
  await context.route(`**/api/agent-webhooks/${env.ECHO_WORKFLOW_ID}/trigger`, async (route) => {
    if (dropped === 0) {
      dropped += 1;
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await message.press('Enter');
  const retry = frame.getByRole('button', { name: 'Retry' });
  await retry.waitFor();
  await frame.getByText('The service could not be reached').waitFor();
  await retry.click();
  await frame.locator('.tg-message-assistant').filter({ hasText: 'You said: Line one line two' }).waitFor();
  check(triggers.length === 3, `three trigger requests (first, dropped, retried), saw ${triggers.length}`);
  const [first, dropped1, retried] = triggers;
  check(dropped1.request_id === retried.request_id, 'the retry reuses the request_id');
  check(first.request_id !== retried.request_id, 'each message has its own request_id');
  check(/^[0-9a-f-]{36}$/.test(first.session_id) && first.session_id === retried.session_id,
    'one session_id for the whole chat');
  check(retried.prompt === 'Line one\nline two', `the prompt is sent as typed, got ${JSON.stringify(retried.prompt)}`);

  // 320 px wide: the panel fits the screen and nothing scrolls sideways.
  await page.setViewportSize({ width: 320, height: 640 });
  await waitUntil(async () => {
    const box = await frameElement.boundingBox();
    return box && box.x >= 0 && box.x + box.width <= 320;
  }, 'the panel fits a 320 px screen');
  const sideways = await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(sideways <= 0, `the page scrolls sideways by ${sideways}px at 320 px`);
  await shot(page, 'chat-4-320px');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Escape closes the panel and gives focus back to the launcher; reopening keeps the conversation.
  await message.focus();
  await message.press('Escape');
  await waitUntil(async () => (await launcher.getAttribute('aria-expanded')) === 'false', 'Escape closes the panel');
  check(!(await frameElement.isVisible()), 'the panel is hidden');
  check(await launcher.evaluate((el) => el === document.activeElement), 'focus returns to the launcher');
  await launcher.click();
  await frame.locator('.tg-message-assistant').filter({ hasText: 'You said: Hello from the host page' }).waitFor();

  // Signing out forgets the token: the sign-in form is back.
  await frame.getByRole('button', { name: 'Sign out' }).click();
  await frame.getByLabel('API key', { exact: true }).waitFor();
  check(await frame.locator('.tg-account').isHidden(), 'the account bar is gone after signing out');
}

/**
 * A run that takes a few seconds can be cancelled from the chat. The chat follows it with the status long-poll: every
 * status read asks to wait, and a run of several seconds takes a handful of reads, not one every few hundred ms.
 */
async function cancel(page) {
  const statusReads = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && /\/api\/agent-webhooks\/runs\/[0-9a-f]{24}(\?|$)/.test(request.url())) {
      statusReads.push(request.url());
    }
  });
  await page.goto(`${env.GATEWAY_URL}/embed/${env.SLOW_WORKFLOW_ID}`);
  await signIn(page);
  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill('Take your time');
  await message.press('Enter');
  // Cancel while the worker is inside the first step (the harder case: the worker must notice the request).
  await page.locator('.tg-message-assistant').filter({ hasText: 'Working on it' }).waitFor();
  const cancelButton = page.getByRole('button', { name: 'Cancel' });
  await cancelButton.waitFor();
  await shot(page, 'cancel-1-running');
  await cancelButton.click();
  await page.locator('.tg-message-assistant').filter({ hasText: 'Cancelled.' }).waitFor();
  check(await page.getByText('You said').count() === 0, 'a cancelled run gives no answer');
  check(statusReads.length > 0 && statusReads.every((url) => new URL(url).searchParams.get('wait_seconds') === '25'),
    `every status read waits for a change: ${statusReads.join(', ')}`);
  check(statusReads.length <= 4, `a run followed by long-poll takes a few reads, took ${statusReads.length}`);
  await shot(page, 'cancel-2-cancelled');
}

/** The purchase form: built from the schema, errors next to their fields, the result and what it cost. */
async function product(page) {
  await page.goto(`${env.HOST_URL}/product.html`);
  await page.getByRole('button', { name: 'Open Text statistics' }).click();
  const frame = page.frameLocator('iframe[title="Text statistics"]');
  check(await page.locator('iframe[title="Text statistics"]').getAttribute('src')
    === `${env.GATEWAY_URL}/embed/product/${env.PRODUCT_ID}`, 'the frame is the product page');
  await signIn(frame);
  await frame.getByText('5 credits per call').waitFor();
  const startBalance = await balance(frame);
  const action = frame.getByLabel('Action', { exact: true });
  const text = frame.getByLabel('Text', { exact: true });
  const top = frame.getByLabel('Top', { exact: true });
  const run = frame.getByRole('button', { name: 'Run for 5 credits' });
  await text.waitFor();
  await shot(page, 'product-1-form');

  // Missing required text: said next to the field, nothing is sent.
  await run.click();
  await fieldError(frame, 'Text').filter({ hasText: 'This field is required.' }).waitFor();
  check(await text.getAttribute('aria-invalid') === 'true', 'the empty text is marked invalid');

  // A value the schema refuses (top ≤ 50): the catalog's 422 lands next to "Top".
  await text.fill('Hello there. General Kenobi!');
  await top.fill('500');
  await run.click();
  await frame.getByRole('alert').filter({ hasText: 'The tool did not accept these parameters.' }).waitFor();
  await waitUntil(async () => (await fieldError(frame, 'Top').textContent()).trim().length > 0, 'the 422 names the Top field');
  check(await top.getAttribute('aria-invalid') === 'true', 'Top is marked invalid');
  check(await text.getAttribute('aria-invalid') === null, 'Text is no longer marked invalid');
  await shot(page, 'product-2-field-error');

  await top.fill('3');
  await run.click();
  await frame.locator('dd[data-field="words"]').filter({ hasText: /^4$/ }).waitFor();
  await frame.locator('dd[data-field="sentences"]').filter({ hasText: /^2$/ }).waitFor();
  await frame.locator('.tg-charge').filter({ hasText: 'Charged 5 credits' }).waitFor();
  await frame.locator('.tg-charge').filter({ hasText: `balance ${(startBalance - 5).toLocaleString('en-US')} credits` }).waitFor();
  await frame.locator('.tg-balance').filter({ hasText: `${(startBalance - 5).toLocaleString('en-US')} credits` }).waitFor();
  await shot(page, 'product-3-result');

  // The other action: its own fields (an enum as a select), its own result.
  await action.selectOption('extract');
  await frame.getByLabel('Kind', { exact: true }).selectOption({ label: 'emails' });
  await frame.getByLabel('Text', { exact: true }).fill('Write to ada@example.com or grace@example.org.');
  await run.click();
  await frame.locator('dd[data-field="items"]').filter({ hasText: 'ada@example.com, grace@example.org' }).waitFor();
  await frame.locator('.tg-charge').filter({ hasText: `balance ${(startBalance - 10).toLocaleString('en-US')} credits` }).waitFor();
  await shot(page, 'product-4-extract');
}

/** A bundle: the picker lists its chat and its tool; one opens, "back" returns to the list. */
async function bundle(page) {
  await page.goto(`${env.HOST_URL}/bundle.html`);
  await page.getByRole('button', { name: 'Open Help desk' }).click();
  const frame = page.frameLocator('iframe[title="Help desk"]');
  await signIn(frame);
  const chatPick = frame.getByRole('button', { name: /Echo bot/ });
  await chatPick.waitFor();
  await frame.getByRole('button', { name: /Text statistics/ }).waitFor();
  await shot(page, 'bundle-1-picker');
  await chatPick.click();
  const message = frame.getByRole('textbox', { name: 'Message' });
  await waitUntil(() => message.evaluate((el) => el === document.activeElement), 'the chat opens with focus in it');
  await message.fill('Hi bundle');
  await message.press('Enter');
  await frame.locator('.tg-message-assistant').filter({ hasText: 'You said: Hi bundle' }).waitFor();
  await shot(page, 'bundle-2-chat');
  await frame.getByRole('button', { name: '← All chats and tools' }).click();
  await waitUntil(() => frame.getByRole('button', { name: /Echo bot/ }).evaluate((el) => el === document.activeElement),
    'back to the list, focus on the chat left');
}

/** An unknown workflow: a readable 404 page, in the frame and when opened directly; a malformed id is a 400. */
async function missing(page) {
  const direct = await page.goto(`${env.GATEWAY_URL}/embed/${env.MISSING_WORKFLOW_ID}`);
  check(direct.status() === 404, `an unknown workflow is a 404, got ${direct.status()}`);
  await page.getByRole('heading', { name: 'This chat does not exist' }).waitFor();
  const malformed = await page.goto(`${env.GATEWAY_URL}/embed/not-a-workflow-id`);
  check(malformed.status() === 400, `a malformed id is a 400, got ${malformed.status()}`);
  await page.getByRole('heading', { name: 'This link is not valid' }).waitFor();

  await page.goto(`${env.HOST_URL}/missing.html`);
  await page.getByRole('button', { name: 'Open Chat' }).click();
  const frame = page.frameLocator('iframe[title="Chat"]');
  await frame.getByRole('heading', { name: 'This chat does not exist' }).waitFor();
  await frame.getByText('Error 404').waitFor();
  await shot(page, 'missing-1-404-in-frame');
}

// ---------------------------------------------------------------------------------------------------------------

/** Signs in with the API key in a page or frame and waits until the account bar says who. */
async function signIn(scope) {
  const apiKey = scope.getByLabel('API key', { exact: true });
  await apiKey.fill(env.API_KEY);
  await scope.getByRole('button', { name: 'Sign in' }).click();
  await scope.locator('.tg-account').filter({ hasText: `Signed in as ${env.USER_ID}` }).waitFor();
}

/** The balance the account bar shows, once it shows one. */
async function balance(scope) {
  const shown = scope.locator('.tg-balance').filter({ hasText: /^[\d,]+ credits?$/ });
  await shown.waitFor();
  return Number((await shown.textContent()).replace(/[^\d]/g, ''));
}

/** The error slot of the field labelled `label`. */
function fieldError(scope, label) {
  return scope.locator('.tg-field', { has: scope.getByLabel(label, { exact: true }) }).locator('.tg-field-error');
}

function check(condition, what) {
  if (!condition) throw new Error(what);
}

/** Polls `condition` until it holds or WAIT_MS passes (for states no single locator wait expresses). */
async function waitUntil(condition, what) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (notYet) {
      // the element may not exist yet
    }
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the polling interval of this condition wait
  }
}

async function shot(page, name) {
  await page.screenshot({ path: join(env.SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

function readEnvironment(names) {
  const missingNames = names.filter((name) => !process.env[name]);
  if (missingNames.length) {
    console.log(`FAIL setup: missing environment ${missingNames.join(', ')}`);
    process.exit(2);
  }
  return Object.fromEntries(names.map((name) => [name, process.env[name]]));
}

/** Errors the page logs. Failed loads with a 4xx are expected here (404 pages, 422 answers, a refused key). */
function watchForErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
    if (/net::ERR_CONNECTION_RESET|Failed to load resource: net::/.test(msg.text())) return; // the dropped trigger
    errors.push(msg.text());
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------

mkdirSync(env.SCREENSHOT_DIR, { recursive: true });
const selected = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(scenarios);
const unknown = selected.filter((name) => !scenarios[name]);
if (unknown.length) {
  console.log(`FAIL setup: unknown scenario ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM_PATH,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let failures = 0;
try {
  for (const name of selected) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    const errors = watchForErrors(page);
    try {
      await scenarios[name](page, context);
      check(errors.length === 0, `the page logged errors: ${errors.join(' | ')}`);
      console.log(`PASS ${name}`);
    } catch (error) {
      failures += 1;
      console.log(`FAIL ${name}: ${error.message.split('\n')[0]}`);
      console.log(error.stack);
      await shot(page, `${name}-FAILED`).catch(() => {});
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
