// Shared pieces of the screens' forms: labelled fields, error messages tied to their fields,
// and a busy state for submit buttons.
import { h, uid } from '../dom';

export function field(label: string, input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, hint?: string): HTMLElement {
  const id = input.id || uid('f');
  input.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, input);
}

// A region that shows the form's error (role=alert, so it is read out when it appears).
export function errorBox(): { el: HTMLElement; show: (message: string) => void; clear: () => void } {
  const el = h('div', { class: 'error', role: 'alert' });
  return {
    el,
    show: (m) => {
      el.textContent = m;
    },
    clear: () => {
      el.textContent = '';
    },
  };
}

export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

export function checkboxGroup(legend: string, name: string, options: { value: string; label: string; hint?: string }[], checked: string[], hint?: string): HTMLFieldSetElement {
  return h(
    'fieldset',
    { class: 'choices-group' },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    options.map((o) => {
      const id = uid(name);
      return h(
        'div',
        { class: 'check' },
        h('input', { type: 'checkbox', id, name, value: o.value, checked: checked.includes(o.value) }),
        h('label', { for: id }, o.label, o.hint ? h('span', { class: 'hint' }, ` — ${o.hint}`) : null),
      );
    }),
  );
}

export function radioGroup(legend: string, name: string, options: { value: string; label: string; hint?: string }[], selected: string): HTMLFieldSetElement {
  return h(
    'fieldset',
    { class: 'choices-group' },
    h('legend', {}, legend),
    options.map((o) => {
      const id = uid(name);
      return h(
        'div',
        { class: 'check' },
        h('input', { type: 'radio', id, name, value: o.value, checked: o.value === selected }),
        h('label', { for: id }, o.label, o.hint ? h('span', { class: 'hint' }, ` — ${o.hint}`) : null),
      );
    }),
  );
}

export function checkedValues(form: HTMLElement, name: string): string[] {
  return [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);
}

export function humanise(tag: string): string {
  const s = tag.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
