// The play screen: the story as it streams in, numbered choices (buttons, or keys 1-9), a
// command box with history, undo and a mood check-in. New narrative is announced once through
// the page's live region; the story log itself is not live, so a screen reader never hears the
// player's own command echoed back.
import data from 'virtual:tta-data';
import type { App } from '../app';
import { ApiError } from '../api';
import { h, isEditable } from '../dom';
import { Feed, type Entry, type TurnEntry } from '../feed';
import { lineList } from '../help';
import { resourcesFor, telHref } from '../helplines';
import { choiceForKey, InputHistory } from '../keys';
import { loadHistory, loadTranscript, savedLocale, saveHistory, saveTranscript } from '../storage';
import { EventStreamClient, type StreamState } from '../stream';
import type { Character, Crisis, Session, Turn } from '../types';
import { humanise } from './forms';

function prefersReducedMotion(): boolean {
  return document.documentElement.dataset.motion === 'reduce' || matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function ago(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
}

// /play: carry on with a story, or start a new one.
export async function sessionsScreen(app: App): Promise<void> {
  const [{ sessions }, { characters }] = await Promise.all([
    app.api.get<{ sessions: Session[] }>('/v1/sessions?limit=20'),
    app.api.get<{ characters: Character[] }>('/v1/characters'),
  ]);
  if (characters.length === 0) {
    app.go('/welcome', true);
    return;
  }
  app.main.append(
    h('h1', {}, 'Your stories'),
    sessions.length
      ? h(
          'ul',
          { class: 'sessions' },
          sessions.map((s) =>
            h(
              'li',
              {},
              h('a', { href: `/play/${encodeURIComponent(s.id)}`, 'data-link': true }, s.status === 'active' ? `Continue “${s.title}”` : `Read “${s.title}”`),
              h('span', { class: 'muted' }, ` · ${s.head} turns · last played ${ago(s.updated_at)}`),
            ),
          ),
        )
      : h('p', {}, 'No stories yet.'),
    h('p', {}, h('a', { href: '/worlds', 'data-link': true, class: 'button-link primary' }, 'Start a new story')),
  );
}

function crisisBlock(crisis: Crisis, onContinue: () => void): HTMLElement {
  const local = resourcesFor(data.helplines, savedLocale());
  const lines = crisis.resources?.length
    ? h(
        'ul',
        { class: 'lines' },
        crisis.resources.map((r) =>
          h(
            'li',
            {},
            h('strong', {}, r.name),
            r.phone ? h('span', {}, ' · call ', h('a', { href: telHref(r.phone) }, r.phone)) : null,
            r.sms ? h('span', {}, ' · text ', r.sms_keyword ? `${r.sms_keyword} to ` : '', r.sms) : null,
            r.hours ? h('span', { class: 'muted' }, ` · ${r.hours}`) : null,
            r.url ? h('span', {}, ' · ', h('a', { href: r.url, target: '_blank', rel: 'noopener noreferrer' }, 'website')) : null,
          ),
        ),
      )
    : lineList(local);
  const back = h('button', { type: 'button' }, 'Back to the story, when you are ready');
  back.addEventListener('click', onContinue);
  return h(
    'section',
    { class: 'crisis', 'aria-label': 'Help, right now' },
    h('h2', { tabindex: '-1' }, 'Help, right now'),
    h('p', {}, 'Emergency services: ', h('strong', {}, crisis.emergency ?? local.emergency)),
    lines,
    back,
  );
}

export default async function playScreen(app: App, params: Record<string, string>): Promise<() => void> {
  const id = params.id;
  const session = await app.api.get<Session>(`/v1/sessions/${encodeURIComponent(id)}`);
  localStorage.setItem('tta.lastSession', id);

  const story = h('section', { class: 'story', 'aria-label': 'The story so far' });
  const choicesBox = h('div', { class: 'choices', role: 'group', 'aria-label': 'Choices' });
  const status = h('p', { class: 'stream-status muted small' });
  const error = h('div', { class: 'error', role: 'alert' });
  const input = h('input', { id: 'command', name: 'command', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'true', maxlength: 2000, 'aria-describedby': 'command-hint' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const undo = h('button', { type: 'button' }, 'Undo');
  const checkIn = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'check-in' }, 'Check in');
  const form = h(
    'form',
    { class: 'command' },
    h('label', { for: 'command' }, 'What do you do?'),
    h('div', { class: 'row' }, input, send),
    h('p', { id: 'command-hint', class: 'hint' }, 'Type freely, e.g. “look” or “I feel anxious”. Keys 1–9 pick a choice; ↑ and ↓ bring back earlier commands.'),
  );
  const checkInPanel = checkInForm((text) => void play(text));
  checkInPanel.hidden = true;
  const tools = h('div', { class: 'tools' }, undo, checkIn, h('a', { href: '/progress', 'data-link': true }, 'My progress'));

  const history = new InputHistory(100, loadHistory(id));
  const views = new Map<string, HTMLElement>();
  let choices: Turn['choices'] = [];
  let ended = false;
  let busyCount = 0;

  const renderEntry = (entry: Entry): HTMLElement => {
    if (entry.type === 'input') return h('p', { class: 'said' }, h('span', { class: 'visually-hidden' }, 'You: '), `> ${entry.text}`);
    const t = entry.turn;
    const el = h(
      'article',
      {
        class: `turn${entry.undone ? ' undone' : ''}${entry.draft ? ' draft' : ''}${t?.kind === 'crisis' ? ' is-crisis' : ''}`,
        'data-kind': t?.kind ?? null,
        'data-number': entry.number,
        'aria-busy': t ? null : 'true',
      },
      entry.undone ? h('p', { class: 'muted small' }, 'Undone:') : null,
      entry.paragraphs.map((p) => h('p', {}, p)),
    );
    if (t?.crisis && !entry.undone) el.append(crisisBlock(t.crisis, () => void play('continue')));
    return el;
  };
  const scrollTo = (el: HTMLElement) => el.scrollIntoView({ block: 'end', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  const feed = new Feed({
    added(entry) {
      const el = renderEntry(entry);
      views.set(entry.key, el);
      story.append(el);
    },
    changed(entry) {
      const old = views.get(entry.key);
      const el = renderEntry(entry);
      views.set(entry.key, el);
      if (old) old.replaceWith(el);
      else story.append(el);
      if (entry.type === 'turn' && !entry.turn) scrollTo(el);
    },
    removed(entry) {
      views.get(entry.key)?.remove();
      views.delete(entry.key);
    },
    completed(entry) {
      onTurn(entry);
    },
  });

  function onTurn(entry: TurnEntry): void {
    const t = entry.turn!;
    choices = t.choices ?? [];
    ended = t.ended;
    renderChoices();
    saveTranscript(id, stream.lastEventId, feed.entries);
    const el = views.get(entry.key);
    const parts = [...entry.paragraphs];
    // The story usually lists its choices in the narrative; say them only when it does not.
    const listed = choices.every((c) => t.narrative.includes(`${c.number}. ${c.text}`));
    if (choices.length && !listed) parts.push('Choices: ' + choices.map((c) => `${c.number}, ${c.text}`).join('; ') + '.');
    const crisis = t.kind === 'crisis' ? el?.querySelector<HTMLElement>('.crisis h2') : null;
    if (crisis) {
      // Focus (and with it the view) goes to the help, not to the end of the story.
      crisis.focus();
      parts.push('Help lines are listed below.');
    } else if (el) {
      scrollTo(el);
    }
    app.announce(parts.join('\n'));
  }

  function renderChoices(): void {
    choicesBox.replaceChildren();
    if (ended) {
      choicesBox.append(h('p', {}, 'This story has ended. ', h('a', { href: '/worlds', 'data-link': true }, 'Start another'), ' or see ', h('a', { href: '/progress', 'data-link': true }, 'your progress'), '.'));
      return;
    }
    if (!choices.length) return;
    choicesBox.append(
      h('h2', { class: 'visually-hidden' }, 'Choices'),
      h(
        'ol',
        {},
        choices.map((c) => {
          const b = h('button', { type: 'button', 'data-choice': String(c.number) }, h('span', { class: 'num', 'aria-hidden': 'true' }, `${c.number}`), ` ${c.text}`);
          b.setAttribute('aria-label', `${c.number}: ${c.text}`);
          b.addEventListener('click', () => void choose(c.number));
          return h('li', {}, b);
        }),
      ),
    );
  }

  async function submit(body: { text?: string; choice?: number } | null, echo: string): Promise<void> {
    error.textContent = '';
    busyCount += 1;
    form.setAttribute('aria-busy', 'true');
    feed.input(echo);
    const sentAt = feed.sending();
    try {
      const path = body === null ? `/v1/sessions/${encodeURIComponent(id)}/undo` : `/v1/sessions/${encodeURIComponent(id)}/turns`;
      const turn = await app.api.post<Turn>(path, body ?? undefined);
      feed.answer(turn, sentAt);
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.message : String(e);
      if (e instanceof ApiError && e.status === 409) error.textContent = 'The story moved on in another window. Please send that again.';
    } finally {
      busyCount -= 1;
      if (busyCount === 0) form.removeAttribute('aria-busy');
      saveTranscript(id, stream.lastEventId, feed.entries);
    }
  }

  async function play(text: string): Promise<void> {
    history.add(text);
    saveHistory(id, history.all);
    await submit({ text }, text);
  }

  async function choose(n: number): Promise<void> {
    const c = choices.find((x) => x.number === n);
    await submit({ choice: n }, c ? `${n}. ${c.text}` : String(n));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    void play(text);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowUp') {
      e.preventDefault();
      input.value = history.previous(input.value);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      input.value = history.next(input.value);
    }
  });
  undo.addEventListener('click', () => void submit(null, 'undo'));
  checkIn.addEventListener('click', () => {
    checkInPanel.hidden = !checkInPanel.hidden;
    checkIn.setAttribute('aria-expanded', String(!checkInPanel.hidden));
    if (!checkInPanel.hidden) checkInPanel.querySelector<HTMLElement>('input')?.focus();
  });
  const onKey = (e: KeyboardEvent) => {
    if (document.querySelector('dialog[open]')) return;
    const n = choiceForKey({ key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, inEditable: isEditable(e.target) }, choices);
    if (n !== null && !ended) {
      e.preventDefault();
      void choose(n);
    }
  };
  document.addEventListener('keydown', onKey);

  // What this tab showed before a reload, then the stream from where it left off; with
  // nothing saved (another tab or device), the whole story from its first turn.
  const saved = loadTranscript(id);
  if (saved) feed.restore(saved.entries);
  const stream = new EventStreamClient({
    url: `/v1/sessions/${encodeURIComponent(id)}/events`,
    lastEventId: saved?.lastEventId ?? '0',
    accessToken: () => app.api.accessToken(),
    refresh: () => app.api.refresh(),
    onEvent: (e) => feed.event(e),
    onState: (state: StreamState, detail?: string) => {
      if (state === 'open') feed.streamOpened();
      status.textContent =
        state === 'open' ? 'Live' : state === 'connecting' ? 'Connecting…' : state === 'waiting' ? 'Reconnecting… (the story is safe; nothing will be lost)' : `Not live: ${detail ?? ''}`;
    },
  });
  void stream.run();
  const last = [...feed.entries].reverse().find((e): e is TurnEntry => e.type === 'turn' && e.turn !== null);
  if (last?.turn) {
    choices = last.turn.choices ?? [];
    ended = last.turn.ended;
  } else if (session.turn) {
    ended = session.turn.ended;
  }
  renderChoices();

  app.main.append(
    h('h1', { class: 'play-title' }, session.title),
    status,
    story,
    choicesBox,
    error,
    form,
    tools,
    checkInPanel,
  );
  const lastView = story.lastElementChild as HTMLElement | null;
  lastView?.scrollIntoView({ block: 'end' });
  input.focus();

  return () => {
    stream.stop();
    document.removeEventListener('keydown', onKey);
  };
}

// The mood check-in: a 0-10 rating and a few feeling words, sent as the story's own
// `check in` command so that it is kept with the session and the planner sees it.
function checkInForm(send: (text: string) => void): HTMLElement {
  const range = h('input', { type: 'range', id: 'mood', min: 0, max: 10, step: 1, value: 5, 'aria-describedby': 'mood-scale' });
  const out = h('output', { for: 'mood', id: 'mood-value' }, '5');
  range.addEventListener('input', () => {
    out.textContent = range.value;
  });
  const words = data.feelings.slice(0, 24);
  const form = h(
    'form',
    { id: 'check-in', class: 'check-in stack', 'aria-labelledby': 'check-in-title' },
    h('h2', { id: 'check-in-title' }, 'How are you right now?'),
    h('div', { class: 'field' }, h('label', { for: 'mood' }, 'From 0 (very low) to 10 (very good): ', out), range, h('p', { id: 'mood-scale', class: 'hint' }, '0 is the worst you have felt, 10 the best.')),
    h(
      'fieldset',
      { class: 'feelings' },
      h('legend', {}, 'Any of these words? (optional)'),
      words.map((w) => h('label', { class: 'chip' }, h('input', { type: 'checkbox', name: 'feeling', value: w }), ` ${humanise(w)}`)),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Check in'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const feelings = [...form.querySelectorAll<HTMLInputElement>('input[name="feeling"]:checked')].map((i) => i.value);
    send(['check in', range.value, ...feelings].join(' '));
    form.querySelectorAll<HTMLInputElement>('input[name="feeling"]').forEach((i) => (i.checked = false));
    form.hidden = true;
    document.querySelector<HTMLElement>('[aria-controls="check-in"]')?.setAttribute('aria-expanded', 'false');
    document.getElementById('command')?.focus();
  });
  return form;
}
