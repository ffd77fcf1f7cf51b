// Form fields built from an action's parameters schema (JSON Schema 2020-12, "type": "object"): one labelled
// control per property, with the schema's description as its hint and a slot for the error the server reports.
// Only presence and syntax are checked here; the catalog validates against the schema and its 422 `loc` brings
// each problem back to its field.

import { h, uid } from './dom.js';

/** Builds the fields of `schema` into `container`; answers { read(), showErrors(byField), clearErrors(), focusFirst() }. */
export function schemaFields(container, schema) {
  const properties = (schema && typeof schema.properties === 'object' && schema.properties) || {};
  const required = new Set(Array.isArray(schema && schema.required) ? schema.required : []);
  const fields = Object.entries(properties).map(([name, property]) => field(name, property || {}, required.has(name)));
  if (fields.length === 0) {
    container.append(h('p', { class: 'tg-hint', text: 'This action takes no parameters.' }));
  }
  fields.forEach((f) => container.append(f.element));

  return {
    /** { values, problems }: values to send, and client-side problems by field name. */
    read() {
      const values = {};
      const problems = {};
      for (const f of fields) {
        const { present, value, problem } = f.read();
        if (problem) problems[f.name] = problem;
        else if (present) values[f.name] = value;
      }
      return { values, problems };
    },
    /** Shows each message next to its field; answers the messages that name no field here. */
    showErrors(byField) {
      const unplaced = [];
      for (const [name, message] of Object.entries(byField)) {
        const f = fields.find((candidate) => candidate.name === name);
        if (f) f.error(message);
        else unplaced.push(name ? `${name}: ${message}` : message);
      }
      const firstInvalid = fields.find((f) => f.invalid());
      if (firstInvalid) firstInvalid.focus();
      return unplaced;
    },
    clearErrors() {
      fields.forEach((f) => f.error(''));
    },
    focusFirst() {
      if (fields.length) fields[0].focus();
    },
    names: fields.map((f) => f.name),
  };
}

function field(name, schema, isRequired) {
  const id = uid(`tg-field-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const type = mainType(schema);
  const labelText = schema.title || humanize(name);
  const hintText = [schema.description, constraints(schema, type)].filter(Boolean).join(' ');
  const describedBy = [hintText ? hintId : null, errorId].filter(Boolean).join(' ');
  let control;
  let read;

  if (Array.isArray(schema.enum)) {
    control = h('select', { id, class: 'tg-select', name, required: isRequired, 'aria-describedby': describedBy },
      h('option', { value: '', text: isRequired ? 'Choose…' : '(none)' }),
      schema.enum.map((option, index) => h('option', { value: String(index), text: String(option) })));
    if (schema.default !== undefined && schema.enum.includes(schema.default)) {
      control.value = String(schema.enum.indexOf(schema.default));
    }
    read = () => (control.value === '' ? missing(isRequired) : { present: true, value: schema.enum[Number(control.value)] });
  } else if (type === 'boolean') {
    control = h('input', { id, type: 'checkbox', name, checked: schema.default === true, 'aria-describedby': describedBy });
    read = () => ({ present: true, value: control.checked });
  } else if (type === 'integer' || type === 'number') {
    control = h('input', {
      id, class: 'tg-input', type: 'number', name, inputmode: type === 'integer' ? 'numeric' : 'decimal',
      step: type === 'integer' ? '1' : 'any', min: schema.minimum, max: schema.maximum,
      value: typeof schema.default === 'number' ? schema.default : undefined,
      required: isRequired, 'aria-describedby': describedBy,
    });
    read = () => {
      const raw = control.value.trim();
      if (raw === '') return missing(isRequired);
      const value = Number(raw);
      if (!Number.isFinite(value) || (type === 'integer' && !Number.isInteger(value))) {
        return { problem: type === 'integer' ? 'Enter a whole number.' : 'Enter a number.' };
      }
      return { present: true, value };
    };
  } else if (type === 'string') {
    // Short strings get a line, long or unbounded ones (texts to analyse, prompts) a box.
    const short = typeof schema.maxLength === 'number' && schema.maxLength <= 200;
    control = h(short ? 'input' : 'textarea', {
      id, class: short ? 'tg-input' : 'tg-textarea', name, type: short ? inputType(schema) : undefined,
      rows: short ? undefined : '4', maxlength: schema.maxLength, required: isRequired,
      'aria-describedby': describedBy,
    });
    if (typeof schema.default === 'string') control.value = schema.default;
    read = () => (control.value === '' ? missing(isRequired) : { present: true, value: control.value });
  } else {
    // Objects, arrays and anything without a single type: typed as JSON.
    control = h('textarea', {
      id, class: 'tg-textarea', name, rows: '3', spellcheck: 'false', required: isRequired,
      placeholder: type === 'array' ? '["…"]' : '{"…": …}', 'aria-describedby': describedBy,
    });
    if (schema.default !== undefined) control.value = JSON.stringify(schema.default);
    read = () => {
      const raw = control.value.trim();
      if (raw === '') return missing(isRequired);
      try {
        return { present: true, value: JSON.parse(raw) };
      } catch (notJson) {
        return { problem: 'Enter valid JSON.' };
      }
    };
  }

  const error = h('span', { id: errorId, class: 'tg-field-error', 'aria-live': 'polite' });
  const hint = hintText ? h('span', { id: hintId, class: 'tg-field-hint', text: hintText }) : null;
  const requiredMark = isRequired ? h('span', { class: 'tg-required', 'aria-hidden': 'true', text: '*' }) : null;
  const element = type === 'boolean' && !Array.isArray(schema.enum)
    ? h('div', { class: 'tg-field' }, h('label', { class: 'tg-check', for: id }, control, labelText), hint, error)
    // The mark sits beside the label, not in it, so the field's name stays exactly its label ("required" is
    // conveyed by the control's required attribute).
    : h('div', { class: 'tg-field' }, h('div', { class: 'tg-label-row' }, h('label', { for: id }, labelText), requiredMark),
      control, hint, error);

  return {
    name,
    element,
    read() {
      const outcome = read();
      this.error(outcome.problem || '');
      return outcome;
    },
    error(message) {
      error.textContent = message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
    invalid: () => control.getAttribute('aria-invalid') === 'true',
    focus: () => control.focus(),
  };
}

function missing(isRequired) {
  return isRequired ? { problem: 'This field is required.' } : { present: false };
}

function mainType(schema) {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') || 'string';
  if (typeof schema.type === 'string') return schema.type;
  if (schema.properties) return 'object';
  return Array.isArray(schema.enum) ? 'enum' : 'json';
}

function inputType(schema) {
  if (schema.format === 'email') return 'email';
  if (schema.format === 'uri' || schema.format === 'url') return 'url';
  return 'text';
}

function constraints(schema, type) {
  if (type === 'integer' || type === 'number') {
    if (schema.minimum !== undefined && schema.maximum !== undefined) return `From ${schema.minimum} to ${schema.maximum}.`;
    if (schema.minimum !== undefined) return `At least ${schema.minimum}.`;
    if (schema.maximum !== undefined) return `At most ${schema.maximum}.`;
  }
  if ((type === 'object' || type === 'array' || type === 'json') && !Array.isArray(schema.enum)) return 'As JSON.';
  return '';
}

/** `max_results` → "Max results". */
function humanize(name) {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
