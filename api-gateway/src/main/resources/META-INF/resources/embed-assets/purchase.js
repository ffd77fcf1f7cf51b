// The product page: a form built from the product's action schema, a purchase (POST /products/purchase), and the
// tool's result with what it cost. Errors land next to the field they concern when the catalog says which one.

import { h, replace, uid, credits } from './dom.js';
import { call, explain } from './api.js';
import { schemaFields } from './schema-form.js';
import { uuid } from './session.js';

/**
 * Renders the purchase form of `product` ({ product_id, display_name, price_credits, actions, ... }). On a product's
 * own page the page header already names it; inside a bundle (`withHeading`) the form names it itself.
 */
export function renderPurchase(container, product, app, { withHeading = false } = {}) {
  const actions = Array.isArray(product.actions) ? product.actions : [];
  const titleId = uid('tg-product-title');
  const formError = h('div', { class: 'tg-alert tg-alert-error', role: 'alert' });
  const fieldsSlot = h('div', { class: 'tg-fields' });
  const actionDescription = h('p', { class: 'tg-hint' });
  const submit = h('button', { type: 'submit', class: 'tg-button tg-button-block' });
  const result = h('div', { class: 'tg-result', 'aria-live': 'polite' });
  const price = Number(product.price_credits) || 0;
  submit.textContent = price > 0 ? `Run for ${credits(price)}` : 'Run';

  let actionSelect = null;
  const actionError = h('span', { class: 'tg-field-error', id: uid('tg-action-error') });
  const actionField = [];
  if (actions.length > 1) {
    const id = uid('tg-action');
    actionSelect = h('select', { id, class: 'tg-select', name: 'action', 'aria-describedby': actionError.id },
      actions.map((a) => h('option', { value: a.name, text: a.name })));
    actionField.push(h('div', { class: 'tg-field' }, h('label', { for: id, text: 'Action' }), actionSelect, actionError));
  }

  const form = h('form', { class: 'tg-card', novalidate: true, 'aria-labelledby': titleId },
    h('h2', { id: titleId, class: withHeading ? null : 'tg-visually-hidden', text: product.display_name || product.name }),
    withHeading && product.description ? h('p', { class: 'tg-hint', text: product.description }) : null,
    h('span', { class: 'tg-price', text: price > 0 ? `${credits(price)} per call` : 'Free' }),
    formError,
    actionField,
    actionDescription,
    fieldsSlot,
    submit);
  replace(container, h('section', { class: 'tg-section' }, form, result));

  if (actions.length === 0) {
    formError.textContent = 'This tool has no actions to run.';
    submit.disabled = true;
    return;
  }

  let fields = null;
  const showAction = (name) => {
    const action = actions.find((a) => a.name === name) || actions[0];
    actionDescription.textContent = action.description || '';
    actionDescription.hidden = !action.description;
    replace(fieldsSlot);
    fields = schemaFields(fieldsSlot, action.parameters_schema || { type: 'object' });
    const first = fieldsSlot.querySelector('input, textarea, select');
    if (first && !actionSelect) first.setAttribute('data-autofocus', '');
    return action;
  };
  let action = showAction(actions[0].name);
  if (actionSelect) {
    actionSelect.setAttribute('data-autofocus', '');
    actionSelect.addEventListener('change', () => {
      action = showAction(actionSelect.value);
      formError.textContent = '';
    });
  }

  // A resend of the same parameters after a failure that may not have been seen by the catalog (network, 5xx)
  // reuses the Idempotency-Key, so the catalog finds the first order instead of charging twice.
  let retriable = null;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    actionError.textContent = '';
    const { values, problems } = fields.read();
    if (Object.keys(problems).length) {
      fields.showErrors(problems);
      formError.textContent = 'Check the highlighted fields.';
      return;
    }
    const body = { product_id: product.product_id, parameters: { action: action.name, ...values } };
    const fingerprint = JSON.stringify(body);
    const key = retriable && retriable.fingerprint === fingerprint ? retriable.key : uuid();
    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = 'Running…';
    replace(result);
    const before = await app.refreshBalance();
    const outcome = await call('products/purchase', {
      method: 'POST', token: app.token(), body, headers: { 'Idempotency-Key': key },
    });
    submit.disabled = false;
    submit.textContent = label;

    if (outcome.status === 200 && outcome.body && outcome.body.success) {
      retriable = null;
      const after = await app.refreshBalance();
      showResult(result, outcome.body, price, before, after);
      result.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      return;
    }
    if (outcome.status === 401) {
      app.unauthorized();
      return;
    }
    retriable = outcome.status === 0 || outcome.status >= 500 ? { fingerprint, key } : null;
    if (outcome.status === 422 && outcome.body && Array.isArray(outcome.body.detail)) {
      const byField = {};
      const general = [];
      for (const problem of outcome.body.detail) {
        const loc = Array.isArray(problem.loc) ? problem.loc : [];
        // ["body", "parameters", "<field>", ...]: the field; ["body", "parameters", "action"]: the action.
        const name = loc[0] === 'body' && loc[1] === 'parameters' && loc.length > 2 ? String(loc[2]) : null;
        if (name === 'action') actionError.textContent = problem.msg;
        else if (name && fields.names.includes(name)) byField[name] = byField[name] || problem.msg;
        else general.push(name ? `${name}: ${problem.msg}` : problem.msg);
      }
      fields.clearErrors();
      general.push(...fields.showErrors(byField));
      formError.replaceChildren(document.createTextNode('The tool did not accept these parameters.'));
      if (general.length) formError.append(h('ul', {}, general.map((m) => h('li', { text: m }))));
      return;
    }
    formError.textContent = purchaseProblem(outcome);
  });
}

function purchaseProblem(outcome) {
  const code = outcome.body && outcome.body.error;
  const detail = explain(outcome, 'The tool could not be run.');
  switch (code) {
    case 'insufficient_credits':
      return `${detail} Top up your credits, then try again.`;
    case 'product_not_on_budget':
      return `${detail} Ask the owner of your budget to enable this tool.`;
    case 'tool_failed':
      return `${detail} You were not charged.`;
    default:
      return detail;
  }
}

function showResult(container, body, price, before, after) {
  // The catalog says what it charged; older answers without it: the balance's change, else the list price.
  const charged = typeof body.charged_credits === 'number' ? body.charged_credits
    : typeof before === 'number' && typeof after === 'number' && before >= after ? before - after : price;
  replace(container, h('div', { class: 'tg-card' },
    h('h3', { text: 'Result' }),
    render(body.data),
    h('p', { class: 'tg-charge' },
      'Charged ', h('strong', { class: 'tg-charged', text: credits(charged) }),
      typeof after === 'number' ? ` · balance ${credits(after)}` : '',
      body.order_id ? ` · order ${body.order_id}` : ''),
    h('details', {}, h('summary', { text: 'Raw response' }),
      h('pre', { class: 'tg-json', text: JSON.stringify(body.data, null, 2) }))));
}

/** A tool's payload, readable: an object as a list of its fields, nested values as JSON. */
function render(data) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return h('pre', { class: 'tg-json', text: JSON.stringify(data, null, 2) });
  }
  return h('dl', {}, Object.entries(data).map(([key, value]) => [
    h('dt', { text: key }),
    h('dd', { 'data-field': key }, valueNode(value)),
  ]));
}

function valueNode(value) {
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return value.length ? value.join(', ') : '(none)';
  }
  if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && !Array.isArray(v)
    && Object.values(v).every((x) => x === null || typeof x !== 'object'))) {
    return value.length ? h('ul', {}, value.map((v) => h('li', { text: Object.entries(v).map(([k, x]) => `${k}: ${x}`).join(' · ') }))) : '(none)';
  }
  return h('pre', { class: 'tg-json', text: JSON.stringify(value, null, 2) });
}
