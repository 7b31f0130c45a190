// Settings: text size, contrast and motion; where the crisis lines are for; the safety plan;
// signing out. The plan is saved to the server when it has the route (PUT
// /v1/me/safety-plan) and always cached on this device for "I need help now".
import type { App } from '../app';
import { ApiError } from '../api';
import { h } from '../dom';
import { PLAN_SECTIONS } from '../help';
import { cachedPlan, cachePlan, forgetEverything, loadSettings, planIsLocalOnly, saveLocale, savedLocale, saveSettings, type Settings } from '../storage';
import type { PlanContact, SafetyPlan } from '../types';
import { busy, errorBox, field, radioGroup } from './forms';
import { localeOptions } from './onboarding';

export function emptyPlan(): SafetyPlan {
  return { warning_signs: [], coping_strategies: [], distractions: [], people_to_ask: [], professionals: [], safe_environment: [], reasons_for_living: [] };
}

// One item a line; for people and places, "name: how to reach them".
export function planFromText(texts: Record<string, string>): SafetyPlan {
  const plan = emptyPlan();
  for (const s of PLAN_SECTIONS) {
    const lines = (texts[s.key] ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (s.contacts) {
      (plan[s.key] as PlanContact[]) = lines.map((l) => {
        const at = l.indexOf(':');
        return at > 0 ? { name: l.slice(0, at).trim(), contact: l.slice(at + 1).trim() } : { name: l, contact: '' };
      });
    } else {
      (plan[s.key] as string[]) = lines;
    }
  }
  return plan;
}

function planToText(plan: SafetyPlan, key: keyof SafetyPlan): string {
  return ((plan[key] ?? []) as (string | PlanContact)[]).map((i) => (typeof i === 'string' ? i : i.contact ? `${i.name}: ${i.contact}` : i.name)).join('\n');
}

export default async function settingsScreen(app: App): Promise<void> {
  const settings = loadSettings();
  const display = h(
    'form',
    { class: 'stack', 'aria-labelledby': 'display-title' },
    h('h2', { id: 'display-title' }, 'Display'),
    radioGroup('Text size', 'textSize', [
      { value: 'normal', label: 'Normal' },
      { value: 'large', label: 'Large' },
      { value: 'larger', label: 'Larger' },
    ], settings.textSize),
    radioGroup('Contrast', 'contrast', [
      { value: 'normal', label: 'Normal' },
      { value: 'high', label: 'High contrast' },
    ], settings.contrast),
    radioGroup('Motion', 'motion', [
      { value: 'system', label: 'As my device is set' },
      { value: 'reduce', label: 'Reduce motion (no smooth scrolling or animation)' },
    ], settings.motion),
  );
  display.addEventListener('change', () => {
    const value = (name: string) => display.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)!.value;
    const next: Settings = { textSize: value('textSize') as Settings['textSize'], contrast: value('contrast') as Settings['contrast'], motion: value('motion') as Settings['motion'] };
    saveSettings(next);
    app.applySettings(next);
  });

  const locale = localeOptions(savedLocale());
  locale.addEventListener('change', () => saveLocale(locale.value));
  const help = h('section', { 'aria-labelledby': 'lines-title' }, h('h2', { id: 'lines-title' }, 'Crisis lines'), field('Show helplines for', locale, '“I need help now” shows the lines for this country.'));

  // The safety plan: the server's copy when it has one, else this device's.
  let plan = cachedPlan();
  let serverHasPlans = true;
  try {
    const remote = await app.api.optional<{ plan: SafetyPlan }>('GET', '/v1/me/safety-plan');
    if (remote === null) serverHasPlans = false;
    else {
      plan = { ...emptyPlan(), ...remote.plan };
      cachePlan(plan);
    }
  } catch (e) {
    // No plan on the server yet (404) keeps this device's copy, if any, to save; offline or a
    // server problem: edit the cached copy.
    if (e instanceof ApiError && e.status === 404 && plan && !planIsLocalOnly()) cachePlan(null);
    if (e instanceof ApiError && e.status === 404) plan = cachedPlan();
  }
  const current = plan ?? emptyPlan();
  const errors = errorBox();
  const saved = h('p', { role: 'status', class: 'muted' });
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save my safety plan');
  const planForm = h(
    'form',
    { class: 'stack', id: 'safety-plan', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, 'My safety plan'),
    h('p', {}, 'A plan for hard moments, in your own words. It is shown to you, with the crisis lines, whenever you ask for help. One item per line; for people and places, write “name: how to reach them”.'),
    !serverHasPlans || planIsLocalOnly() ? h('p', { class: 'note' }, 'This server does not keep safety plans yet, so your plan stays on this device only.') : null,
    PLAN_SECTIONS.map((s) => field(s.title, h('textarea', { name: s.key, rows: 3 }, planToText(current, s.key)))),
    errors.el,
    save,
    saved,
  );
  planForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    saved.textContent = '';
    const texts: Record<string, string> = {};
    planForm.querySelectorAll('textarea').forEach((t) => (texts[t.name] = t.value));
    const next = planFromText(texts);
    const empty = PLAN_SECTIONS.every((s) => (next[s.key] as unknown[]).length === 0);
    try {
      const stored = await busy(save, async () => {
        if (!empty) return app.api.optional<{ plan: SafetyPlan }>('PUT', '/v1/me/safety-plan', { version: 1, ...next });
        // The server keeps no empty plan: clearing every section deletes it.
        await app.api.optional('DELETE', '/v1/me/safety-plan').catch((e) => {
          if (!(e instanceof ApiError && e.status === 404)) throw e;
        });
        return null;
      });
      cachePlan(empty ? null : stored ? { ...emptyPlan(), ...stored.plan } : next, !empty && stored === null);
      saved.textContent = empty ? 'Your safety plan is cleared.' : stored ? 'Saved.' : 'Saved on this device.';
    } catch (err) {
      cachePlan(next, planIsLocalOnly());
      errors.show(`${err instanceof ApiError ? err.message : String(err)} Your plan is kept on this device meanwhile.`);
    }
  });

  const signOut = h('button', { type: 'button' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    await app.api.logout();
    forgetEverything();
    app.go('/signin');
  });

  app.main.append(h('h1', {}, 'Settings'), display, help, planForm, h('section', { 'aria-labelledby': 'account-title' }, h('h2', { id: 'account-title' }, 'Account'), h('p', {}, 'Signing out removes your sign-in, cached safety plan and story from this device.'), signOut));
  if (location.hash === '#safety-plan') planForm.scrollIntoView();
}
