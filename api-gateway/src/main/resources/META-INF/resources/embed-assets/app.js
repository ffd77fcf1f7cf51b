// Entry point of an embed page: reads the configuration the gateway rendered into the page (what this page is
// about), asks the end user to sign in with their API key, then shows the chat, the purchase form or the picker.

import { h, replace, credits } from './dom.js';
import { call, explain } from './api.js';
import { currentToken, signIn, signOut, whoAmI } from './session.js';
import { renderChat } from './chat.js';
import { renderPurchase } from './purchase.js';
import { renderBundle } from './bundle.js';

const config = JSON.parse(document.getElementById('embed-config').textContent);
const main = document.getElementById('tg-main');
const accountBar = document.getElementById('tg-account');

/** What the views need from the page: the token, what to do on a 401, the balance. */
const app = {
  token: () => currentToken(),
  /** A 401 from any call: the token expired or was revoked. */
  unauthorized() {
    signOut();
    showSignIn('Your session has ended. Please sign in again.');
  },
  /** Reads the balance, shows it in the account bar and answers it (null when it could not be read). */
  async refreshBalance() {
    const token = currentToken();
    if (!token) return null;
    const result = await call('credits/balance', { token });
    const balance = result.status === 200 && result.body && result.body.data ? result.body.data.balance : null;
    const slot = accountBar.querySelector('.tg-balance');
    if (slot) slot.textContent = balance === null || balance === undefined ? '' : credits(balance);
    return typeof balance === 'number' ? balance : null;
  },
};

function showSignIn(message) {
  accountBar.hidden = true;
  replace(accountBar);
  const input = h('input', {
    id: 'tg-api-key', class: 'tg-input', type: 'password', name: 'api_key', autocomplete: 'off',
    spellcheck: 'false', required: true, 'aria-describedby': 'tg-api-key-hint tg-signin-error', 'data-autofocus': true,
  });
  const error = h('div', { id: 'tg-signin-error', class: 'tg-alert tg-alert-error', role: 'alert' }, message || '');
  const button = h('button', { type: 'submit', class: 'tg-button tg-button-block', text: 'Sign in' });
  const form = h('form', { class: 'tg-card tg-signin', novalidate: true, 'aria-labelledby': 'tg-signin-title' },
    h('h2', { id: 'tg-signin-title', text: 'Sign in' }),
    h('p', { class: 'tg-hint', text: 'Use your own Tollgate API key. It is exchanged for a session that ends when you close this tab, and is not stored.' }),
    error,
    h('div', { class: 'tg-field' },
      h('label', { for: 'tg-api-key', text: 'API key' }),
      input,
      h('span', { id: 'tg-api-key-hint', class: 'tg-field-hint', text: 'It starts with tg_' })),
    button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const apiKey = input.value.trim();
    if (!apiKey) {
      error.textContent = 'Enter your API key.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    button.disabled = true;
    button.textContent = 'Signing in…';
    const outcome = await signIn(apiKey);
    if (outcome.ok) {
      input.value = '';
      await showApp({ focus: true });
      return;
    }
    button.disabled = false;
    button.textContent = 'Sign in';
    error.textContent = outcome.message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    input.select();
  });
  replace(main, h('section', { class: 'tg-section' }, form));
  if (message) input.focus();
}

function showAccount(me) {
  const signOutButton = h('button', {
    type: 'button', class: 'tg-button-link', text: 'Sign out',
    onclick: () => {
      signOut();
      showSignIn();
      document.getElementById('tg-api-key').focus();
    },
  });
  replace(accountBar,
    h('span', {}, 'Signed in as ', h('strong', { class: 'tg-user', text: me.user_id })),
    h('span', { class: 'tg-balance', 'aria-live': 'polite' }),
    signOutButton);
  accountBar.hidden = false;
}

async function showApp({ focus = false } = {}) {
  const token = currentToken();
  if (!token) {
    showSignIn();
    return;
  }
  replace(main, h('p', { class: 'tg-notice', role: 'status', text: 'Loading…' }));
  const { me, result } = await whoAmI(token);
  if (!me) {
    if (result.status === 401) {
      app.unauthorized();
      return;
    }
    const retry = h('button', { type: 'button', class: 'tg-button tg-button-secondary', text: 'Try again', onclick: () => showApp({ focus: true }) });
    replace(main, h('section', { class: 'tg-section' },
      h('div', { class: 'tg-alert tg-alert-error', role: 'alert', text: explain(result) }), retry));
    return;
  }
  showAccount(me);
  app.refreshBalance();
  const view = h('div', { class: 'tg-view' });
  replace(main, view);
  if (config.kind === 'workflow') {
    renderChat(view, config.workflow, app);
  } else if (config.kind === 'product') {
    renderPurchase(view, config.product, app);
  } else {
    renderBundle(view, config.bundle, app);
  }
  if (focus) focusPrimary();
}

/** Puts the keyboard where the user will type first: the API key, the message box, the first form field. */
function focusPrimary() {
  const target = main.querySelector('[data-autofocus]') || main.querySelector('input, textarea, select, button');
  if (target) target.focus();
}

// The loader on the host page asks for focus when the user opens the panel, and is told to close it on Escape.
// Only messages from the page that frames this one count; the close request carries nothing secret, and the host
// page's origin is unknown here (no referrer is sent), hence '*'.
window.addEventListener('message', (event) => {
  if (event.source === window.parent && event.data && event.data.type === 'tollgate-embed:focus') focusPrimary();
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && window.parent !== window && !event.defaultPrevented) {
    window.parent.postMessage({ type: 'tollgate-embed:close' }, '*');
  }
});

if (currentToken()) {
  showApp();
} else {
  showSignIn();
}
