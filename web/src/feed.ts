// The story feed: one ordered transcript built from two sources that can overlap — the
// session's event stream (narrative chunks, then the whole turn) and the answers to the
// player's own POSTs. The stream is the primary source, so text appears as it is produced and
// turns played from another tab appear too; an answer is shown from its POST only when the
// stream has not delivered it within a grace period (the stream was reconnecting, say).
//
// Duplicates are recognised by turn number for recorded turns (their events carry ids; the
// server replays them after a reconnect) and by kind and text for answers that record nothing
// (help, check in, undo ...), which the stream sends without an id and never replays.
//
// While a model narrates, the stream also sends `draft` events (checked sentences as they are
// written) and `draft_restart` (forget them: authored text takes over); the draft is shown as
// it grows and gives way to the turn's own events, which are what the transcript keeps.
import type { SseEvent } from './sse';
import type { Turn } from './types';

export interface InputEntry {
  key: string;
  type: 'input';
  text: string;
}

export interface TurnEntry {
  key: string;
  type: 'turn';
  number: number;
  recorded: boolean;
  paragraphs: string[];
  turn: Turn | null; // null while its chunks are still arriving
  undone: boolean; // on a branch that `undo` stepped back from
  draft?: boolean; // a model's text as it writes the turn, replaced by the turn itself
}

export type Entry = InputEntry | TurnEntry;

export interface FeedListener {
  added(entry: Entry): void;
  changed(entry: Entry): void;
  removed(entry: Entry): void;
  // A turn is complete and shown: announce it once.
  completed(entry: TurnEntry): void;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

function unrecordedKey(turn: Pick<Turn, 'kind' | 'narrative'>): string {
  return `${turn.kind}\u0000${turn.narrative}`;
}

export class Feed {
  readonly entries: Entry[] = [];
  private seq = 0;
  private lastRecorded = 0; // the highest recorded turn shown
  private streaming: TurnEntry | null = null; // the turn whose chunks are arriving
  private draft: TurnEntry | null = null; // a model's text for the coming turn
  private draftText = '';
  private streamCount = 0; // unrecorded turns received from the stream so far
  // Unrecorded turns the stream showed: [key, position], for a POST answer to claim.
  private fromStream: { key: string; at: number; claimed: boolean }[] = [];
  // Unrecorded answers shown from their POST because the stream was late: the stream's copy,
  // if it still comes, is dropped.
  private fromAnswer = new Map<string, number>();
  private pending = new Map<string, unknown>(); // POST answers waiting for the stream, by key

  constructor(
    private readonly listener: FeedListener,
    private readonly graceMs = 1500,
    private readonly timers: Timers = realTimers,
  ) {}

  get lastRecordedTurn(): number {
    return this.lastRecorded;
  }

  // Shows what was shown before a reload (restored from this tab's storage).
  restore(entries: Entry[]): void {
    for (const e of entries) {
      this.push({ ...e, key: this.nextKey() } as Entry);
      if (e.type === 'turn' && e.recorded) this.lastRecorded = Math.max(this.lastRecorded, e.number);
    }
  }

  // The player's own words, shown in the transcript (but never announced: they just typed them).
  input(text: string): void {
    this.push({ key: this.nextKey(), type: 'input', text });
  }

  // Call just before sending a POST; pass what it returns to answer() with the reply.
  sending(): number {
    return this.streamCount;
  }

  // The stream (re)opened: an unrecorded answer sent while it was down will never arrive on it.
  streamOpened(): void {
    this.fromAnswer.clear();
  }

  // An event from the session's stream.
  event(e: SseEvent): void {
    let payload: unknown;
    try {
      payload = JSON.parse(e.data);
    } catch {
      return; // not ours to show
    }
    const recorded = e.id !== undefined;
    if (e.type === 'draft' || e.type === 'draft_restart') {
      const d = payload as { number: number; text?: string };
      if (!this.draft || this.draft.number !== d.number) {
        this.dropDraft();
        this.draft = { ...this.newTurnEntry(d.number, false), draft: true };
        this.push(this.draft);
      }
      this.draftText = e.type === 'draft' ? this.draftText + (d.text ?? '') : '';
      this.draft.paragraphs = paragraphsOf(this.draftText);
      this.listener.changed(this.draft);
      return;
    }
    if (e.type === 'narrative' || e.type === 'turn') this.dropDraft();
    if (e.type === 'narrative') {
      const chunk = payload as { number: number; index: number; text: string };
      if (recorded && chunk.number <= this.lastRecorded) return; // already shown
      const s = this.streaming;
      if (!s || s.number !== chunk.number || s.recorded !== recorded || chunk.index === 0) {
        this.abandonStreaming();
        this.streaming = this.newTurnEntry(chunk.number, recorded);
        this.push(this.streaming);
      }
      this.streaming!.paragraphs.push(chunk.text);
      this.listener.changed(this.streaming!);
    } else if (e.type === 'turn') {
      this.turnFromStream(payload as Turn, recorded);
    }
  }

  // The answer to the player's own POST (a turn, a choice, undo); `sentAt` from sending().
  answer(turn: Turn, sentAt: number): void {
    if (turn.recorded) {
      if (turn.number <= this.lastRecorded) return;
    } else {
      const key = unrecordedKey(turn);
      const seen = this.fromStream.find((s) => s.key === key && s.at > sentAt && !s.claimed);
      if (seen) {
        seen.claimed = true;
        return;
      }
    }
    const key = turn.recorded ? `r${turn.number}` : unrecordedKey(turn);
    this.pending.set(
      key,
      this.timers.set(() => {
        this.pending.delete(key);
        if (turn.recorded && turn.number <= this.lastRecorded) return;
        if (!turn.recorded) this.fromAnswer.set(key, (this.fromAnswer.get(key) ?? 0) + 1);
        this.show(turn, true);
      }, this.graceMs),
    );
  }

  private turnFromStream(turn: Turn, recorded: boolean): void {
    if (recorded && turn.number <= this.lastRecorded) {
      this.abandonStreaming();
      return;
    }
    const key = recorded ? `r${turn.number}` : unrecordedKey(turn);
    if (!recorded) {
      this.streamCount += 1;
      const late = this.fromAnswer.get(key) ?? 0;
      if (late > 0) {
        // Already shown from its POST; this is the stream's late copy.
        if (late === 1) this.fromAnswer.delete(key);
        else this.fromAnswer.set(key, late - 1);
        this.abandonStreaming();
        return;
      }
    }
    const waiting = this.pending.get(key);
    if (waiting !== undefined) {
      this.timers.clear(waiting);
      this.pending.delete(key);
    } else if (!recorded) {
      this.fromStream.push({ key, at: this.streamCount, claimed: false });
      if (this.fromStream.length > 50) this.fromStream.shift();
    }
    this.show(turn, false);
  }

  private show(turn: Turn, fromAnswer: boolean): void {
    this.dropDraft();
    let entry: TurnEntry;
    const s = this.streaming;
    if (!fromAnswer && s && s.number === turn.number && s.recorded === turn.recorded) {
      entry = s;
      this.streaming = null;
    } else {
      entry = this.newTurnEntry(turn.number, turn.recorded);
      this.push(entry);
    }
    entry.turn = turn;
    entry.paragraphs = paragraphsOf(turn.narrative);
    if (turn.recorded) {
      this.markUndone(turn.parent, entry);
      this.lastRecorded = Math.max(this.lastRecorded, turn.number);
    }
    this.listener.changed(entry);
    this.listener.completed(entry);
  }

  // A recorded turn that follows `parent`: shown turns after `parent` were undone.
  private markUndone(parent: number, latest: TurnEntry): void {
    for (const e of this.entries) {
      if (e !== latest && e.type === 'turn' && e.recorded && e.number > parent && !e.undone && e.turn) {
        e.undone = true;
        this.listener.changed(e);
      }
    }
  }

  private dropDraft(): void {
    if (!this.draft) return;
    const idx = this.entries.indexOf(this.draft);
    if (idx >= 0) this.entries.splice(idx, 1);
    this.listener.removed(this.draft);
    this.draft = null;
    this.draftText = '';
  }

  private abandonStreaming(): void {
    if (this.streaming && this.streaming.turn === null) {
      const idx = this.entries.indexOf(this.streaming);
      if (idx >= 0) this.entries.splice(idx, 1);
      this.listener.removed(this.streaming);
    }
    this.streaming = null;
  }

  private newTurnEntry(number: number, recorded: boolean): TurnEntry {
    return { key: this.nextKey(), type: 'turn', number, recorded, paragraphs: [], turn: null, undone: false };
  }

  private push(entry: Entry): void {
    this.entries.push(entry);
    this.listener.added(entry);
  }

  private nextKey(): string {
    this.seq += 1;
    return `e${this.seq}`;
  }
}

// The narrative's paragraphs, as the server splits them into chunks (blank lines).
export function paragraphsOf(narrative: string): string[] {
  return narrative
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
