// Builds DOM nodes from data. Text always goes in as text (never as HTML), so names, answers and error messages
// from the API cannot inject markup into the page.

/**
 * h('button', {class: 'tg-button', type: 'submit', onclick: fn}, 'Send') → <button ...>Send</button>.
 * Attributes: `class`, `text`, `on<event>` (listeners), booleans (present when true), anything else as a string.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'text') {
      element.textContent = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

let counter = 0;
/** A page-unique id, for label/aria links between generated elements. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Whole credits with thousands separators: 12345 → "12,345 credits"; 1 → "1 credit". */
export function credits(amount) {
  const n = Number(amount);
  return `${n.toLocaleString('en-US')} ${Math.abs(n) === 1 ? 'credit' : 'credits'}`;
}
