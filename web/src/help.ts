// "I need help now": always in the top bar, on every screen, signed in or not. It opens the
// crisis lines for the player's locale and their own safety plan, both already on the device
// (the lines compiled in at build time, the plan cached in local storage): no request is made,
// so it works when the network or the server does not.
import data from 'virtual:tta-data';
import { h } from './dom';
import { orderedLines, resourcesFor, smsHref, telHref } from './helplines';
import { cachedPlan, savedLocale, saveLocale } from './storage';
import type { Country } from './data-types';
import type { SafetyPlan } from './types';

export const PLAN_SECTIONS: { key: keyof SafetyPlan; title: string; contacts: boolean }[] = [
  { key: 'warning_signs', title: 'Signs you noticed', contacts: false },
  { key: 'coping_strategies', title: 'Things that help, on your own', contacts: false },
  { key: 'distractions', title: 'People and places that take your mind off things', contacts: true },
  { key: 'people_to_ask', title: 'People you can ask for help', contacts: true },
  { key: 'professionals', title: 'Professionals and services', contacts: true },
  { key: 'safe_environment', title: 'Making where you are safer', contacts: false },
  { key: 'reasons_for_living', title: 'Your reasons for living', contacts: false },
];

export function lineList(country: Country): HTMLElement {
  return h(
    'ul',
    { class: 'lines' },
    orderedLines(country).map((line) =>
      h(
        'li',
        {},
        h('strong', {}, line.name),
        line.phone ? h('span', {}, ' · call ', h('a', { href: telHref(line.phone) }, line.phone)) : null,
        line.sms ? h('span', {}, ' · text ', line.sms_keyword ? `${line.sms_keyword} to ` : '', h('a', { href: smsHref(line.sms, line.sms_keyword) }, line.sms)) : null,
        line.hours ? h('span', { class: 'muted' }, ` · ${line.hours}`) : null,
        line.url ? h('span', {}, ' · ', h('a', { href: line.url, target: '_blank', rel: 'noopener noreferrer' }, 'website')) : null,
        line.notes ? h('span', { class: 'muted' }, ` — ${line.notes}`) : null,
      ),
    ),
  );
}

export function planView(plan: SafetyPlan | null): HTMLElement {
  const sections = plan ? PLAN_SECTIONS.filter((s) => (plan[s.key] as unknown[] | undefined)?.length) : [];
  if (!plan || sections.length === 0) {
    return h('p', {}, 'You have not written a safety plan yet. When you feel able to, you can write one in ', h('a', { href: '/settings#safety-plan', 'data-link': true }, 'Settings'), '.');
  }
  return h(
    'div',
    { class: 'plan' },
    sections.map((s) =>
      h(
        'section',
        {},
        h('h3', {}, s.title),
        h(
          'ul',
          {},
          (plan[s.key] as (string | { name: string; contact?: string })[]).map((item) =>
            typeof item === 'string'
              ? h('li', {}, item)
              : h('li', {}, item.name, item.contact ? [' · ', /^[+0-9 ()-]{3,}$/.test(item.contact) ? h('a', { href: telHref(item.contact) }, item.contact) : item.contact] : null),
          ),
        ),
      ),
    ),
  );
}

function countryChooser(current: string, onChange: (locale: string) => void): HTMLElement {
  const countries = Object.values(data.helplines.countries).sort((a, b) => a.name.localeCompare(b.name));
  const lang = (current.split(/[-_]/)[0] || 'en').toLowerCase();
  const select = h(
    'select',
    { id: 'help-country', onchange: (() => onChange((select as HTMLSelectElement).value)) as EventListener },
    countries.map((c) => h('option', { value: `${lang}-${c.code}`, selected: resourcesFor(data.helplines, current).code === c.code }, c.name)),
    h('option', { value: 'und', selected: resourcesFor(data.helplines, current).code === '' }, 'Somewhere else'),
  );
  return h('p', { class: 'field-inline' }, h('label', { for: 'help-country' }, 'Show lines for '), select);
}

export function setUpHelp(button: HTMLButtonElement, dialog: HTMLDialogElement): void {
  const render = () => {
    const locale = savedLocale();
    const country = resourcesFor(data.helplines, locale);
    dialog.replaceChildren(
      h(
        'div',
        { class: 'help-body' },
        h('h2', { id: 'help-title' }, 'Help, right now'),
        h('p', { class: 'help-lead' }, 'If you are in danger or might act on thoughts of harming yourself, call ', h('strong', {}, country.emergency), ' now, or ask someone near you to call.'),
        h('p', {}, 'You can talk to someone right now. These lines are free and confidential:'),
        lineList(country),
        countryChooser(locale, (l) => {
          saveLocale(l);
          render();
          (dialog.querySelector('#help-country') as HTMLElement | null)?.focus();
        }),
        h('h2', {}, 'Your safety plan'),
        planView(cachedPlan()),
        h('p', { class: 'muted small' }, `Crisis lines reviewed ${data.helplines.reviewed}. TTA is not a substitute for professional care.`),
        h('form', { method: 'dialog' }, h('button', { type: 'submit', class: 'primary' }, 'Close')),
      ),
    );
  };
  button.addEventListener('click', () => {
    render();
    dialog.showModal();
    dialog.querySelector<HTMLElement>('#help-title')?.setAttribute('tabindex', '-1');
    dialog.querySelector<HTMLElement>('#help-title')?.focus();
  });
  dialog.addEventListener('click', (e) => {
    const a = (e.target as Element).closest('a[data-link]');
    if (a) dialog.close();
  });
}
