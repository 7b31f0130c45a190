import { describe, expect, it } from 'vitest';
import { Feed, paragraphsOf, type Entry, type Timers, type TurnEntry } from '../../src/feed';
import type { SseEvent } from '../../src/sse';
import type { Turn } from '../../src/types';

function turn(number: number, narrative: string, extra: Partial<Turn> = {}): Turn {
  return { number, parent: number - 1, recorded: true, kind: 'story', narrative, choices: [], safety_level: 'none', ended: false, ending: null, ...extra };
}

function ev(type: string, data: unknown, id?: string): SseEvent {
  return { type, data: JSON.stringify(data), id, lastEventId: id ?? '' };
}

// Events for a whole turn, as the server sends them.
function turnEvents(t: Turn): SseEvent[] {
  const id = (s: string) => (t.recorded ? s : undefined);
  return [...paragraphsOf(t.narrative).map((text, index) => ev('narrative', { number: t.number, index, text }, id(`${t.number}.${index}`))), ev('turn', t, id(String(t.number)))];
}

class ManualTimers implements Timers {
  private next = 1;
  readonly pending = new Map<number, () => void>();
  set(fn: () => void): unknown {
    const h = this.next++;
    this.pending.set(h, fn);
    return h;
  }
  clear(h: unknown): void {
    this.pending.delete(h as number);
  }
  fireAll(): void {
    const fns = [...this.pending.values()];
    this.pending.clear();
    fns.forEach((f) => f());
  }
}

function setUp() {
  const timers = new ManualTimers();
  const completed: TurnEntry[] = [];
  const feed = new Feed({ added: () => {}, changed: () => {}, removed: () => {}, completed: (e) => completed.push(e) }, 1500, timers);
  const shown = () => feed.entries.map((e: Entry) => (e.type === 'input' ? `> ${e.text}` : `${e.number}${e.recorded ? '' : '?'}${e.undone ? ' undone' : ''}: ${e.paragraphs.join(' | ')}`));
  return { feed, timers, completed, shown };
}

describe('Feed', () => {
  it('streams a turn chunk by chunk and completes it once', () => {
    const { feed, completed, shown } = setUp();
    const t = turn(2, 'The quay.\n\nA gull.');
    const events = turnEvents(t);
    feed.event(events[0]);
    expect(shown()).toEqual(['2: The quay.']);
    events.slice(1).forEach((e) => feed.event(e));
    expect(shown()).toEqual(['2: The quay. | A gull.']);
    expect(completed).toHaveLength(1);
  });

  it('shows a recorded turn once when both the stream and the POST answer bring it', () => {
    const { feed, timers, shown, completed } = setUp();
    feed.input('look');
    const sent = feed.sending();
    const t = turn(2, 'The quay.');
    turnEvents(t).forEach((e) => feed.event(e));
    feed.answer(t, sent);
    timers.fireAll();
    expect(shown()).toEqual(['> look', '2: The quay.']);
    expect(completed).toHaveLength(1);
  });

  it('waits for the stream when the answer comes first', () => {
    const { feed, timers, shown } = setUp();
    const sent = feed.sending();
    const t = turn(2, 'The quay.');
    feed.answer(t, sent);
    expect(timers.pending.size).toBe(1);
    turnEvents(t).forEach((e) => feed.event(e));
    expect(timers.pending.size).toBe(0);
    expect(shown()).toEqual(['2: The quay.']);
  });

  it('shows the answer when the stream is late, and drops the replay that follows a reconnect', () => {
    const { feed, timers, shown } = setUp();
    const sent = feed.sending();
    const t = turn(2, 'The quay.\n\nA gull.');
    feed.answer(t, sent);
    timers.fireAll();
    expect(shown()).toEqual(['2: The quay. | A gull.']);
    turnEvents(t).forEach((e) => feed.event(e)); // the replay after reconnecting
    expect(shown()).toEqual(['2: The quay. | A gull.']);
  });

  it('matches answers that record nothing by their text, so "help" twice shows twice', () => {
    const { feed, timers, shown } = setUp();
    const help = turn(1, 'You can look.', { recorded: false, kind: 'help', parent: 0 });
    for (let i = 0; i < 2; i++) {
      const sent = feed.sending();
      turnEvents(help).forEach((e) => feed.event(e));
      feed.answer(help, sent);
    }
    timers.fireAll();
    expect(shown()).toEqual(['1?: You can look.', '1?: You can look.']);
  });

  it('drops the stream copy of an unrecorded answer already shown from its POST', () => {
    const { feed, timers, shown } = setUp();
    const help = turn(1, 'You can look.', { recorded: false, kind: 'help', parent: 0 });
    feed.answer(help, feed.sending());
    timers.fireAll();
    turnEvents(help).forEach((e) => feed.event(e));
    expect(shown()).toEqual(['1?: You can look.']);
  });

  it('shows turns played in another window, which have no POST here', () => {
    const { feed, shown } = setUp();
    turnEvents(turn(2, 'Elsewhere.')).forEach((e) => feed.event(e));
    turnEvents(turn(1, 'Help text.', { recorded: false, kind: 'help' })).forEach((e) => feed.event(e));
    expect(shown()).toEqual(['2: Elsewhere.', '1?: Help text.']);
  });

  it('marks turns on a branch that undo left as undone', () => {
    const { feed, shown } = setUp();
    [turn(1, 'Start.'), turn(2, 'North.'), turn(3, 'Further.')].forEach((t) => turnEvents(t).forEach((e) => feed.event(e)));
    turnEvents(turn(4, 'South instead.', { parent: 1 })).forEach((e) => feed.event(e));
    expect(shown()).toEqual(['1: Start.', '2 undone: North.', '3 undone: Further.', '4: South instead.']);
  });

  it('skips replayed turns it already showed before a reload', () => {
    const { feed, shown } = setUp();
    feed.restore([{ key: 'x', type: 'turn', number: 1, recorded: true, paragraphs: ['Start.'], turn: turn(1, 'Start.'), undone: false }]);
    [turn(1, 'Start.'), turn(2, 'Next.')].forEach((t) => turnEvents(t).forEach((e) => feed.event(e)));
    expect(shown()).toEqual(['1: Start.', '2: Next.']);
  });

  it('shows a model draft as it grows, then gives way to the committed turn', () => {
    const { feed, shown, completed } = setUp();
    feed.event(ev('draft', { number: 2, text: 'The fog ' }));
    feed.event(ev('draft', { number: 2, text: 'lifts.' }));
    expect(shown()).toEqual(['2?: The fog lifts.']);
    turnEvents(turn(2, 'The fog lifts.\n\nA bell rings.')).forEach((e) => feed.event(e));
    expect(shown()).toEqual(['2: The fog lifts. | A bell rings.']);
    expect(completed).toHaveLength(1);
  });

  it('forgets a draft on draft_restart, and when the answer is shown from its POST', () => {
    const { feed, timers, shown } = setUp();
    feed.event(ev('draft', { number: 2, text: 'Something odd.' }));
    feed.event(ev('draft_restart', { number: 2 }));
    expect(shown()).toEqual(['2?: ']);
    feed.answer(turn(2, 'Authored words.'), feed.sending());
    timers.fireAll();
    expect(shown()).toEqual(['2: Authored words.']);
  });

  it('ignores events whose data is not JSON', () => {
    const { feed } = setUp();
    feed.event({ type: 'turn', data: 'not json', id: '1', lastEventId: '1' });
    expect(feed.entries).toEqual([]);
  });
});
