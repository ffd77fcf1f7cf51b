// The workflow chat: each message triggers a run of the workflow and the reply is the run's response_text.
// A run is followed with the status long-poll (the answer comes as soon as its status changes); while it is queued or
// running the user may cancel it.

import { h, replace, uid } from './dom.js';
import { call, explain } from './api.js';
import { chatSessionId, uuid } from './session.js';

const TERMINAL = new Set(['completed', 'failed', 'setup_required', 'cancelled']);
const PROGRESS_TEXT = { queued: 'Queued…', running: 'Working on it…', sending: 'Sending…' };
// Each status read waits up to this long for a change (the API allows 30 s); no read is made in between.
const WAIT_SECONDS = 25;
// After a failed read (network, 5xx) the next one waits, longer each time, so an outage is not hammered.
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 8000;

/** Renders the chat for `workflow` ({ workflow_id, name, description }) into `container`. */
export function renderChat(container, workflow, app) {
  const inputId = uid('tg-prompt');
  const hintId = uid('tg-prompt-hint');
  const log = h('div', {
    class: 'tg-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions',
    'aria-label': `Conversation with ${workflow.name}`, tabindex: '0',
  }, h('p', { class: 'tg-empty', text: `Send a message to start. Each message runs “${workflow.name}”.` }));
  const textarea = h('textarea', {
    id: inputId, class: 'tg-textarea', rows: '1', maxlength: '20000', placeholder: 'Write a message…',
    'aria-describedby': hintId, 'data-autofocus': true,
  });
  const send = h('button', { type: 'submit', class: 'tg-button', text: 'Send' });
  const form = h('form', { class: 'tg-composer', 'aria-label': 'Send a message' },
    h('label', { for: inputId, class: 'tg-visually-hidden', text: 'Message' }),
    h('span', { id: hintId, class: 'tg-visually-hidden', text: 'Enter sends; Shift+Enter starts a new line.' }),
    textarea, send);
  replace(container, h('section', { class: 'tg-chat', 'aria-label': workflow.name }, log, form));

  let busy = false;
  const setBusy = (value) => {
    busy = value;
    // One run at a time: the answer to a message comes before the next message is sent.
    send.disabled = value;
  };

  textarea.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter is a new line; an IME composition's Enter only confirms the composition.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  textarea.addEventListener('input', () => grow(textarea));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const prompt = textarea.value.trim();
    if (!prompt || busy) return;
    textarea.value = '';
    grow(textarea);
    setBusy(true);
    const empty = log.querySelector('.tg-empty');
    if (empty) empty.remove();
    log.append(h('div', { class: 'tg-message tg-message-user' },
      h('span', { class: 'tg-visually-hidden', text: 'You: ' }), prompt));
    const turn = new Turn(log);
    // One request_id per message: resending after a network failure finds the run instead of starting a second.
    await start(turn, { prompt, request_id: uuid(), session_id: chatSessionId() });
    setBusy(false);
    if (log.isConnected) textarea.focus();
  });

  async function start(turn, body) {
    turn.progress('sending');
    const result = await call(`api/agent-webhooks/${encodeURIComponent(workflow.workflow_id)}/trigger`,
      { method: 'POST', token: app.token(), body });
    if (result.status === 200 || result.status === 202) {
      const run = result.body.data.run;
      await follow(turn, run);
      return;
    }
    if (result.status === 401) {
      app.unauthorized();
      return;
    }
    if (result.status === 409) {
      turn.needsSetup(result.body || {});
      return;
    }
    const retriable = result.status === 0 || result.status === 429 || result.status >= 500;
    turn.failed(explain(result, 'The message could not be sent.'), result.body && result.body.error,
      retriable ? () => start(turn, body) : null);
  }

  async function follow(turn, firstSeen) {
    let run = firstSeen;
    let retryDelay = FIRST_RETRY_MS;
    turn.running(run, () => cancel(turn, run.run_id));
    while (!TERMINAL.has(run.status)) {
      if (!log.isConnected) return; // the user signed out or left this chat
      const result = await call(
        `api/agent-webhooks/runs/${encodeURIComponent(run.run_id)}?wait_seconds=${WAIT_SECONDS}`
          + `&status=${encodeURIComponent(run.status)}`, // a change made before this read answers it at once
        { token: app.token() });
      if (result.status === 200) {
        run = result.body.data.run;
        retryDelay = FIRST_RETRY_MS;
        turn.running(run, () => cancel(turn, run.run_id));
      } else if (result.status === 401) {
        app.unauthorized();
        return;
      } else if (result.status === 404) {
        turn.failed('This run is no longer available.', 'run_not_found', null);
        return;
      } else {
        turn.reconnecting();
        const hinted = Number(result.retryAfter) * 1000;
        await sleep(hinted > 0 ? Math.min(hinted, MAX_RETRY_MS) : retryDelay);
        retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
      }
    }
    app.refreshBalance(); // tool steps may have spent credits
    turn.finished(run);
  }

  async function cancel(turn, runId) {
    turn.cancelling();
    const result = await call(`api/agent-webhooks/runs/${encodeURIComponent(runId)}/cancel`,
      { method: 'POST', token: app.token(), body: { reason: 'Cancelled from the embedded chat' } });
    if (result.status === 401) {
      app.unauthorized();
    } else if (result.status !== 200 && result.status !== 409) {
      // 409: it ended meanwhile; the waiting status read shows how. Anything else: say so and keep following.
      turn.note(explain(result, 'The run could not be cancelled.'));
    }
  }
}

/** The assistant's side of one exchange: progress while the run goes, then its answer or what went wrong. */
class Turn {
  constructor(log) {
    this.log = log;
    this.bubble = h('div', { class: 'tg-message tg-message-assistant', 'aria-busy': 'true' });
    this.status = null;
    log.append(this.bubble);
  }

  progress(state) {
    if (this.status === state) return;
    this.status = state;
    replace(this.bubble, h('p', { class: 'tg-progress' },
      h('span', { class: 'tg-dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
      PROGRESS_TEXT[state] || 'Working on it…'));
    this.scroll();
  }

  running(run, onCancel) {
    if (TERMINAL.has(run.status) || this.status === run.status || this.status === 'cancelling') return;
    this.progress(run.status);
    const cancelButton = h('button', { type: 'button', class: 'tg-button tg-button-secondary tg-button-small', text: 'Cancel', onclick: onCancel });
    this.bubble.append(h('div', { class: 'tg-progress-actions' }, cancelButton));
  }

  cancelling() {
    this.status = 'cancelling';
    const button = this.bubble.querySelector('.tg-progress-actions button');
    if (button) {
      button.disabled = true;
      button.textContent = 'Cancelling…';
    }
  }

  reconnecting() {
    const label = this.bubble.querySelector('.tg-progress');
    if (label) label.lastChild.textContent = 'Reconnecting…';
  }

  note(text) {
    this.bubble.append(h('span', { class: 'tg-meta', text }));
  }

  finished(run) {
    this.bubble.removeAttribute('aria-busy');
    if (run.status === 'completed') {
      this.settle('tg-message-assistant', h('p', { text: run.response_text == null || run.response_text === '' ? '(The workflow finished without an answer.)' : run.response_text }));
    } else if (run.status === 'cancelled') {
      this.settle('tg-message-assistant tg-message-warning', h('p', { text: 'Cancelled.' }));
    } else if (run.status === 'setup_required') {
      this.settle('tg-message-assistant tg-message-warning',
        h('p', { text: 'This workflow needs setup before it can run.' }),
        run.error_message ? h('p', { text: run.error_message }) : null,
        code(run.error_code),
        h('p', { class: 'tg-meta', text: 'Ask an administrator to approve the open requests (the owner of your budget can provide credentials), then send your message again.' }));
    } else {
      this.settle('tg-message-assistant tg-message-error',
        h('p', { text: run.error_message ? `The run failed: ${run.error_message}` : 'The run failed.' }),
        code(run.error_code));
    }
  }

  /** A 409 from the trigger: the workflow is not on the user's budget and/or credentials are missing. */
  needsSetup(body) {
    const data = body.data || {};
    const items = [];
    if (data.workflow_request_id) {
      items.push(h('li', { text: `Adding this workflow to your budget (approval request ${data.workflow_request_id})` }));
    }
    (data.missing_credentials || []).forEach((credential, index) => {
      const key = typeof credential === 'string' ? credential : credential.key;
      const description = credential && credential.description && credential.description !== `Credential ${key}` ? ` – ${credential.description}` : '';
      const requestId = (data.credential_request_ids || [])[index];
      items.push(h('li', { text: `Credential “${key}”${description}${requestId ? ` (approval request ${requestId})` : ''}` }));
    });
    this.bubble.removeAttribute('aria-busy');
    this.settle('tg-message-assistant tg-message-warning',
      h('p', { text: 'This workflow needs approval before you can use it.' }),
      body.message ? h('p', { text: body.message }) : null,
      items.length ? h('ul', {}, items) : null,
      code(body.error),
      h('p', { class: 'tg-meta', text: data.workflow_request_id
        ? 'Ask an administrator to approve adding the workflow (the owner of your budget can provide credentials), then send your message again.'
        : 'Ask the owner of your budget to provide these credentials, then send your message again.' }));
  }

  failed(message, errorCode, retry) {
    this.bubble.removeAttribute('aria-busy');
    const parts = [h('p', { text: message }), code(errorCode)];
    if (retry) {
      parts.push(h('div', { class: 'tg-progress-actions' }, h('button', {
        type: 'button', class: 'tg-button tg-button-secondary tg-button-small', text: 'Retry',
        onclick: () => {
          this.status = null;
          this.bubble.className = 'tg-message tg-message-assistant';
          this.bubble.setAttribute('aria-busy', 'true');
          retry();
        },
      })));
    }
    this.settle('tg-message-assistant tg-message-error', ...parts);
  }

  /**
   * Replaces the progress bubble with a new one holding the outcome: a node added to the log is what screen
   * readers announce, whereas text changing inside the old bubble may not be.
   */
  settle(classes, ...children) {
    const bubble = h('div', { class: `tg-message ${classes}` }, children);
    this.bubble.replaceWith(bubble);
    this.bubble = bubble;
    this.status = 'settled';
    this.scroll();
  }

  scroll() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

function code(errorCode) {
  return errorCode ? h('span', { class: 'tg-meta', text: `Code: ${errorCode}` }) : null;
}

/** Grows the message box with its content, up to the CSS max-height. */
function grow(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
