// What the player keeps on this device. Sign-in tokens, display settings and a copy of the
// safety plan (so "I need help now" can show it with no network) live in localStorage; the
// story transcript of the open session lives in sessionStorage, for a reload of this tab
// only. Signing out clears all of it.
import type { TokenStore } from './api';
import type { Entry } from './feed';
import type { AuthSession, SafetyPlan } from './types';

const TOKENS = 'tta.session';
const SETTINGS = 'tta.settings';
const PLAN = 'tta.safetyPlan';
const PLAN_LOCAL = 'tta.safetyPlanLocalOnly';
const LOCALE = 'tta.locale';
const TRANSCRIPT = 'tta.transcript.';
const HISTORY = 'tta.history.';

export interface Settings {
  textSize: 'normal' | 'large' | 'larger';
  contrast: 'normal' | 'high';
  motion: 'system' | 'reduce';
}

export const defaultSettings: Settings = { textSize: 'normal', contrast: 'normal', motion: 'system' };

function read<T>(store: Storage, key: string): T | null {
  try {
    const raw = store.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

function write(store: Storage, key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) store.removeItem(key);
    else store.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or refused (private mode): the player works, it just forgets sooner.
  }
}

export const tokenStore: TokenStore = {
  get: () => read<AuthSession>(localStorage, TOKENS),
  set: (s) => write(localStorage, TOKENS, s),
};

export function loadSettings(): Settings {
  return { ...defaultSettings, ...(read<Partial<Settings>>(localStorage, SETTINGS) ?? {}) };
}

export function saveSettings(s: Settings): void {
  write(localStorage, SETTINGS, s);
}

export function cachedPlan(): SafetyPlan | null {
  return read<SafetyPlan>(localStorage, PLAN);
}

// `localOnly`: the server has no safety-plan route, so this device holds the only copy.
export function cachePlan(plan: SafetyPlan | null, localOnly = false): void {
  write(localStorage, PLAN, plan);
  write(localStorage, PLAN_LOCAL, localOnly ? true : null);
}

export function planIsLocalOnly(): boolean {
  return read<boolean>(localStorage, PLAN_LOCAL) === true;
}

// The locale whose crisis lines "I need help now" shows: the character's, once chosen.
export function savedLocale(): string {
  return read<string>(localStorage, LOCALE) ?? (typeof navigator !== 'undefined' ? navigator.language : 'en');
}

export function saveLocale(locale: string): void {
  write(localStorage, LOCALE, locale);
}

export interface SavedTranscript {
  lastEventId: string;
  entries: Entry[];
}

const MAX_SAVED_ENTRIES = 300;

export function loadTranscript(sessionId: string): SavedTranscript | null {
  return read<SavedTranscript>(sessionStorage, TRANSCRIPT + sessionId);
}

export function saveTranscript(sessionId: string, lastEventId: string, entries: Entry[]): void {
  const complete = entries.filter((e) => e.type === 'input' || e.turn !== null);
  write(sessionStorage, TRANSCRIPT + sessionId, { lastEventId, entries: complete.slice(-MAX_SAVED_ENTRIES) });
}

export function loadHistory(sessionId: string): string[] {
  return read<string[]>(sessionStorage, HISTORY + sessionId) ?? [];
}

export function saveHistory(sessionId: string, items: readonly string[]): void {
  write(sessionStorage, HISTORY + sessionId, items);
}

export function forgetEverything(): void {
  for (const key of [TOKENS, PLAN, PLAN_LOCAL]) localStorage.removeItem(key);
  sessionStorage.clear();
}
