// The session's event stream (GET /v1/sessions/{id}/events) read with fetch, so that it can
// carry the Authorization header, and kept open: when the connection drops or the server ends
// the stream (after a long replay, or at shutdown) it reconnects with Last-Event-ID set to
// the last event it completed, and the server replays what was missed, with nothing lost or
// repeated (docs/api.md, "Event streams").
import { SseParser, type SseEvent } from './sse';

export type StreamState = 'connecting' | 'open' | 'waiting' | 'closed';

export interface StreamOptions {
  url: string;
  // Where to resume from: "" asks for live events only, "0" for the whole log, "12" or
  // "12.3" for what follows that event.
  lastEventId: string;
  accessToken: () => Promise<string>;
  // Called on 401; resolves true when a fresh token is ready to try again.
  refresh: () => Promise<boolean>;
  onEvent: (event: SseEvent) => void;
  onState?: (state: StreamState, detail?: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

// How long to wait before reconnect number `attempt` (1 for the first): the server's `retry:`
// hint when it gave one, else exponential backoff from 0.5 s to 15 s with jitter, so that many
// players dropped at once by a restart do not all return in the same instant.
export function reconnectDelay(attempt: number, hintMs: number | undefined, random: () => number = Math.random): number {
  if (hintMs !== undefined && attempt === 1) return hintMs;
  const base = Math.min(15000, 500 * 2 ** Math.min(attempt - 1, 5));
  return Math.round(base / 2 + (base / 2) * random());
}

// The request headers for a (re)connection from `lastEventId`.
export function streamHeaders(token: string, lastEventId: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
  if (lastEventId !== '') headers['Last-Event-ID'] = lastEventId;
  return headers;
}

export class EventStreamClient {
  private readonly parser: SseParser;
  private abort: AbortController | null = null;
  private stopped = false;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: StreamOptions) {
    this.parser = new SseParser(options.lastEventId);
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get lastEventId(): string {
    return this.parser.lastEventId;
  }

  // Runs until stop(), or until the server says the stream cannot be had (404, 400, or a 401
  // that a refresh does not cure). Resolves with the reason it closed.
  async run(): Promise<string> {
    let attempt = 0;
    let hint: number | undefined;
    while (!this.stopped) {
      this.state('connecting');
      this.abort = new AbortController();
      let wait: number | undefined;
      try {
        const token = await this.options.accessToken();
        const res = await this.fetchFn(this.options.url, {
          headers: streamHeaders(token, this.parser.lastEventId),
          signal: this.abort.signal,
          cache: 'no-store',
        });
        if (res.status === 401) {
          if (await this.options.refresh()) continue;
          return this.close('signed out');
        }
        if (res.status === 404 || res.status === 400 || res.status === 403) {
          return this.close(`the stream is not available (${res.status})`);
        }
        if (res.status === 429 || res.status === 503) {
          const after = Number(res.headers.get('Retry-After'));
          if (after > 0) wait = after * 1000;
          throw new Error(`busy (${res.status})`);
        }
        if (!res.ok || !res.body) throw new Error(`unexpected status ${res.status}`);
        this.state('open');
        attempt = 0;
        await this.read(res.body);
        hint = this.parser.retry;
      } catch (e) {
        if (this.stopped) break;
        this.state('waiting', e instanceof Error ? e.message : String(e));
      }
      if (this.stopped) break;
      attempt += 1;
      this.parser.reset();
      await this.sleep(wait ?? reconnectDelay(attempt, hint, this.options.random));
    }
    return this.close('stopped');
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of this.parser.push(decoder.decode(value, { stream: true }))) {
          if (this.stopped) return;
          this.options.onEvent(event);
        }
      }
    } finally {
      reader.releaseLock();
    }
  }

  private state(state: StreamState, detail?: string): void {
    this.options.onState?.(state, detail);
  }

  private close(reason: string): string {
    this.stopped = true;
    this.state('closed', reason);
    return reason;
  }
}
