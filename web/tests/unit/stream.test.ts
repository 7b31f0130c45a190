import { describe, expect, it } from 'vitest';
import { EventStreamClient, reconnectDelay, streamHeaders } from '../../src/stream';
import type { SseEvent } from '../../src/sse';

// A response whose body yields the given pieces and then ends, or fails mid-way.
function streamResponse(pieces: string[], failAfter = false, status = 200, headers: Record<string, string> = {}): Response {
  const enc = new TextEncoder();
  let next = 0;
  // Pull-based, so the failure comes after the pieces are read (an error discards a queue).
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < pieces.length) controller.enqueue(enc.encode(pieces[next++]));
      else if (failAfter) controller.error(new TypeError('network error'));
      else controller.close();
    },
  });
  return new Response(status === 200 ? body : null, { status, headers });
}

describe('reconnectDelay', () => {
  it('honours the server retry hint on the first reconnect only', () => {
    expect(reconnectDelay(1, 3000, () => 0.5)).toBe(3000);
    expect(reconnectDelay(2, 3000, () => 0)).toBe(500);
  });
  it('backs off exponentially with jitter up to 15 seconds', () => {
    expect(reconnectDelay(1, undefined, () => 0)).toBe(250);
    expect(reconnectDelay(1, undefined, () => 1)).toBe(500);
    expect(reconnectDelay(3, undefined, () => 1)).toBe(2000);
    expect(reconnectDelay(20, undefined, () => 1)).toBe(15000);
  });
});

describe('streamHeaders', () => {
  it('sends Last-Event-ID only when there is a position to resume from', () => {
    expect(streamHeaders('t', '')).toEqual({ Accept: 'text/event-stream', Authorization: 'Bearer t' });
    expect(streamHeaders('t', '12.3')['Last-Event-ID']).toBe('12.3');
  });
});

describe('EventStreamClient', () => {
  it('reconnects after a drop with Last-Event-ID of the last complete event, losing nothing', async () => {
    const seen: SseEvent[] = [];
    const requests: Record<string, string>[] = [];
    const answers = [
      // The first connection dies in the middle of chunk 6.1.
      () => streamResponse(['id: 5\nevent: turn\ndata: {"number":5}\n\n', 'id: 6.0\nevent: narrative\ndata: {"index":0}\n\nid: 6.1\nevent: narr'], true),
      // The server replays from after 6.0.
      () => streamResponse(['id: 6.1\nevent: narrative\ndata: {"index":1}\n\nid: 6\nevent: turn\ndata: {"number":6}\n\n']),
    ];
    let client: EventStreamClient;
    client = new EventStreamClient({
      url: '/v1/sessions/s/events',
      lastEventId: '4',
      accessToken: async () => 'token',
      refresh: async () => false,
      onEvent: (e) => {
        seen.push(e);
        if (e.id === '6') client.stop();
      },
      fetch: async (_url, init) => {
        requests.push(init!.headers as Record<string, string>);
        return answers.shift()!();
      },
      sleep: async () => {},
      random: () => 0,
    });
    await client.run();
    expect(requests.map((h) => h['Last-Event-ID'])).toEqual(['4', '6.0']);
    expect(seen.map((e) => e.id)).toEqual(['5', '6.0', '6.1', '6']);
    expect(client.lastEventId).toBe('6');
  });

  it('refreshes the token once on 401 and stops when the session is gone', async () => {
    const statuses = [401, 404];
    let refreshed = 0;
    const states: string[] = [];
    const client = new EventStreamClient({
      url: '/x',
      lastEventId: '0',
      accessToken: async () => 'token',
      refresh: async () => {
        refreshed += 1;
        return true;
      },
      onEvent: () => {},
      onState: (s) => states.push(s),
      fetch: async () => streamResponse([], false, statuses.shift()!),
      sleep: async () => {},
    });
    const reason = await client.run();
    expect(refreshed).toBe(1);
    expect(reason).toContain('404');
    expect(states[states.length - 1]).toBe('closed');
  });

  it('waits as long as Retry-After says when the server is busy', async () => {
    const waits: number[] = [];
    let calls = 0;
    const client = new EventStreamClient({
      url: '/x',
      lastEventId: '',
      accessToken: async () => 't',
      refresh: async () => true,
      onEvent: () => {},
      fetch: async () => {
        calls += 1;
        return calls === 1 ? streamResponse([], false, 429, { 'Retry-After': '7' }) : streamResponse([], false, 404);
      },
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await client.run();
    expect(waits).toEqual([7000]);
  });
});
