// The bundle page: a picker of the bundle's workflows and tools; choosing one opens its chat or purchase form,
// with a way back to the list.

import { h, replace, credits } from './dom.js';
import { renderChat } from './chat.js';
import { renderPurchase } from './purchase.js';

/** Renders `bundle` ({ name, workflows: [...], products: [...] }) into `container`. */
export function renderBundle(container, bundle, app) {
  const workflows = Array.isArray(bundle.workflows) ? bundle.workflows : [];
  const products = Array.isArray(bundle.products) ? bundle.products : [];

  const showPicker = (returnFocusTo) => {
    const groups = [];
    if (workflows.length) {
      groups.push(h('div', { class: 'tg-picker-group' },
        h('h2', { id: 'tg-pick-workflows', text: 'Chats' }),
        h('ul', { class: 'tg-picker', 'aria-labelledby': 'tg-pick-workflows' }, workflows.map((w) => h('li', {},
          h('button', {
            type: 'button', class: 'tg-pick', 'data-pick': `workflow:${w.workflow_id}`,
            onclick: () => open(() => renderChat(slot(), w, app), `workflow:${w.workflow_id}`),
          },
          h('span', { class: 'tg-pick-kind', text: 'Chat' }),
          h('span', { class: 'tg-pick-name', text: w.name }),
          w.description ? h('span', { class: 'tg-pick-description', text: w.description }) : null))))));
    }
    if (products.length) {
      groups.push(h('div', { class: 'tg-picker-group' },
        h('h2', { id: 'tg-pick-products', text: 'Tools' }),
        h('ul', { class: 'tg-picker', 'aria-labelledby': 'tg-pick-products' }, products.map((p) => h('li', {},
          h('button', {
            type: 'button', class: 'tg-pick', 'data-pick': `product:${p.product_id}`,
            onclick: () => open(() => renderPurchase(slot(), p, app, { withHeading: true }), `product:${p.product_id}`),
          },
          h('span', { class: 'tg-pick-kind', text: Number(p.price_credits) > 0 ? credits(p.price_credits) : 'Free' }),
          h('span', { class: 'tg-pick-name', text: p.display_name || p.name }),
          p.description ? h('span', { class: 'tg-pick-description', text: p.description }) : null))))));
    }
    if (!groups.length) {
      groups.push(h('p', { class: 'tg-hint', text: 'Nothing is offered here yet.' }));
    }
    replace(container, h('section', { class: 'tg-section', 'aria-label': `Choose from ${bundle.name}` }, groups));
    const first = container.querySelector(returnFocusTo ? `[data-pick="${CSS.escape(returnFocusTo)}"]` : '.tg-pick');
    if (first) {
      first.setAttribute('data-autofocus', '');
      if (returnFocusTo) first.focus();
    }
  };

  let viewSlot = null;
  const slot = () => viewSlot;

  // Opens one item full-size, with a "back" button that returns to the list with focus on the item left.
  const open = (render, pickKey) => {
    const back = h('button', {
      type: 'button', class: 'tg-button-link tg-back', text: '← All chats and tools',
      onclick: () => showPicker(pickKey),
    });
    viewSlot = h('div', { class: 'tg-view' });
    replace(container, h('div', { class: 'tg-chat' }, back, viewSlot));
    render();
    const primary = viewSlot.querySelector('[data-autofocus]') || viewSlot.querySelector('input, textarea, select');
    if (primary) primary.focus();
  };

  showPicker(null);
}
