// Onboarding in three short steps (what you would like help with; how you like to practise;
// what to steer clear of and where you are), then character creation. The answers become the
// character's therapeutic profile (docs/api.md, "Characters"); every step can be skipped.
import data from 'virtual:tta-data';
import type { App } from '../app';
import { h } from '../dom';
import { resourcesFor } from '../helplines';
import { saveLocale, savedLocale } from '../storage';
import type { Character, Profile } from '../types';
import { busy, checkboxGroup, checkedValues, errorBox, field, humanise, radioGroup } from './forms';
import { ApiError } from '../api';

export const FRAMEWORKS = [
  { value: 'mindfulness', label: 'Mindfulness', hint: 'noticing the present moment: breath, senses, body' },
  { value: 'cbt', label: 'Thinking it through (CBT)', hint: 'looking at worried or harsh thoughts and testing them' },
  { value: 'dbt', label: 'Riding out strong feelings (DBT)', hint: 'skills for getting through intense moments' },
  { value: 'act', label: 'Living by what matters (ACT)', hint: 'making room for feelings while doing what you care about' },
  { value: 'compassion', label: 'Self-compassion', hint: 'a kinder voice towards yourself' },
];

export const INTENSITIES = [
  { value: 'gentle', label: 'Gentle', hint: 'short, light practices' },
  { value: 'moderate', label: 'Moderate', hint: 'a little more time and effort' },
  { value: 'active', label: 'Active', hint: 'fuller exercises, some with movement' },
];

const CONTENT_LABELS: Record<string, string> = {
  breath_focus: 'Focusing on breathing',
  body_focus: 'Focusing on the body',
  difficult_thoughts: 'Looking closely at difficult thoughts',
  cold_water: 'Cold water',
  physical_exertion: 'Physical effort',
};

const DRAFT = 'tta.onboarding';

export interface Draft {
  profile: Profile;
  locale: string;
}

export function loadDraft(): Draft {
  try {
    const d = JSON.parse(sessionStorage.getItem(DRAFT) ?? 'null') as Draft | null;
    if (d) return d;
  } catch {
    // start afresh
  }
  return { profile: { goals: [], frameworks: [], max_intensity: 'gentle', topics_to_avoid: [] }, locale: savedLocale() };
}

function saveDraft(d: Draft): void {
  sessionStorage.setItem(DRAFT, JSON.stringify(d));
}

export function localeOptions(current: string): HTMLSelectElement {
  const lang = (current.split(/[-_]/)[0] || 'en').toLowerCase();
  const here = resourcesFor(data.helplines, current).code;
  const countries = Object.values(data.helplines.countries).sort((a, b) => a.name.localeCompare(b.name));
  return h(
    'select',
    { name: 'locale' },
    countries.map((c) => h('option', { value: `${lang}-${c.code}`, selected: c.code === here }, c.name)),
    h('option', { value: lang, selected: here === '' }, 'Somewhere else'),
  );
}

function stepper(step: number): HTMLElement {
  return h('p', { class: 'step' }, `Step ${step} of 3`);
}

export default function onboardingScreen(app: App, params: Record<string, string>): void {
  const step = Number(params.step ?? '1');
  const draft = loadDraft();
  const form = h('form', { class: 'stack' });
  const next = h('button', { type: 'submit', class: 'primary' }, step < 3 ? 'Next' : 'Next: your character');
  const skip = h('a', { href: step < 3 ? `/welcome/${step + 1}` : '/character', 'data-link': true, class: 'button-link' }, 'Skip this step');
  const back = step > 1 ? h('a', { href: step === 2 ? '/welcome' : `/welcome/${step - 1}`, 'data-link': true }, 'Back') : null;

  let heading = '';
  if (step === 1) {
    heading = 'What would you like help with?';
    form.append(
      checkboxGroup(
        'Choose any that fit. The story will offer skills for these.',
        'goals',
        data.goals.map((g) => ({ value: g.id, label: humanise(g.id), hint: g.description })),
        draft.profile.goals ?? [],
      ),
    );
  } else if (step === 2) {
    heading = 'How would you like to practise?';
    form.append(
      checkboxGroup('Approaches you would like (choose any, or none)', 'frameworks', FRAMEWORKS, draft.profile.frameworks ?? []),
      radioGroup('How much at a time?', 'intensity', INTENSITIES, draft.profile.max_intensity ?? 'gentle'),
    );
  } else {
    heading = 'Anything to steer clear of? And where are you?';
    const known = data.contentTags;
    const other = (draft.profile.topics_to_avoid ?? []).filter((t) => !known.includes(t));
    const otherInput = h('input', { name: 'other-topics', value: other.join(', ') });
    const locale = localeOptions(draft.locale);
    form.append(
      checkboxGroup(
        'Topics to avoid',
        'topics',
        known.map((t) => ({ value: t, label: CONTENT_LABELS[t] ?? humanise(t) })),
        draft.profile.topics_to_avoid ?? [],
        'The story will not offer practices or scenes about these.',
      ),
      field('Anything else to avoid (separate with commas)', otherInput, 'For example: the sea, hospitals, dogs.'),
      field('Where are you?', locale, 'So that “I need help now” shows helplines that work where you are.'),
    );
  }
  form.append(h('div', { class: 'actions' }, next, skip, back));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (step === 1) draft.profile.goals = checkedValues(form, 'goals');
    if (step === 2) {
      draft.profile.frameworks = checkedValues(form, 'frameworks');
      draft.profile.max_intensity = checkedValues(form, 'intensity')[0] ?? 'gentle';
    }
    if (step === 3) {
      const other = (form.querySelector<HTMLInputElement>('[name="other-topics"]')!.value ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      draft.profile.topics_to_avoid = [...checkedValues(form, 'topics'), ...other];
      draft.locale = form.querySelector<HTMLSelectElement>('[name="locale"]')!.value;
      saveLocale(draft.locale);
    }
    saveDraft(draft);
    app.go(step < 3 ? `/welcome/${step + 1}` : '/character');
  });
  app.main.append(h('h1', {}, heading), stepper(step), form);
}

export function characterScreen(app: App): void {
  const draft = loadDraft();
  const errors = errorBox();
  const name = h('input', { name: 'name', required: true, maxlength: 64, autocomplete: 'off' });
  const pronouns = h(
    'select',
    { name: 'pronouns' },
    ['they/them', 'she/her', 'he/him'].map((p) => h('option', { value: p }, p)),
  );
  const background = h('textarea', { name: 'background', rows: 3, maxlength: 4000 });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create character');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    errors.el,
    field('Name', name, 'Who you will be in the story. Any name you like.'),
    field('Pronouns', pronouns, 'The story uses these for your character.'),
    field('Background (optional)', background, 'A line or two about who they are. Kept private, locked with your key.'),
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    if (!name.value.trim()) {
      errors.show('Please give your character a name.');
      name.setAttribute('aria-invalid', 'true');
      name.focus();
      return;
    }
    try {
      const character = await busy(submit, () =>
        app.api.post<Character>('/v1/characters', {
          name: name.value.trim(),
          pronouns: pronouns.value,
          background: background.value.trim() || null,
          locale: draft.locale || null,
          profile: draft.profile,
        }),
      );
      if (character.locale) saveLocale(character.locale);
      sessionStorage.removeItem(DRAFT);
      app.go(`/worlds?character=${encodeURIComponent(character.id)}`);
    } catch (err) {
      errors.show(err instanceof ApiError ? err.message : String(err));
    }
  });
  app.main.append(h('h1', {}, 'Create your character'), form);
}
