import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/sse';

describe('SseParser', () => {
  it('parses TTA narrative and turn events with their ids', () => {
    const p = new SseParser();
    const events = p.push('id: 13.0\nevent: narrative\ndata: {"number":13,"index":0,"text":"The quay."}\n\nid: 13\nevent: turn\ndata: {"number":13}\n\n');
    expect(events.map((e) => [e.type, e.id, e.data])).toEqual([
      ['narrative', '13.0', '{"number":13,"index":0,"text":"The quay."}'],
      ['turn', '13', '{"number":13}'],
    ]);
    expect(p.lastEventId).toBe('13');
  });

  it('completes events split anywhere across network reads, including inside CRLF', () => {
    const text = 'id: 1\r\nevent: turn\r\ndata: {"a":1}\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const events = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(events, `cut at ${cut}`).toHaveLength(1);
      expect(events[0].data).toBe('{"a":1}');
    }
  });

  it('joins multi-line data with newlines and accepts bare CR line ends', () => {
    const p = new SseParser();
    expect(p.push('data: one\rdata: two\r\r')[0].data).toBe('one\ntwo');
  });

  it('ignores comments such as the heartbeat, and unknown fields', () => {
    const p = new SseParser();
    expect(p.push(': heartbeat\n\nfoo: bar\n\n')).toEqual([]);
  });

  it('gives events without an id field no id and keeps the last id unchanged', () => {
    const p = new SseParser('5');
    const [e] = p.push('event: turn\ndata: {"kind":"help"}\n\n');
    expect(e.id).toBeUndefined();
    expect(e.lastEventId).toBe('5');
    expect(p.lastEventId).toBe('5');
  });

  it('does not move the resume position for an event cut off before its blank line', () => {
    const p = new SseParser('4');
    p.push('id: 5.0\nevent: narrative\ndata: {"text":"half"}\n');
    expect(p.lastEventId).toBe('4');
    p.reset();
    expect(p.push('id: 5.0\nevent: narrative\ndata: {}\n\n')).toHaveLength(1);
    expect(p.lastEventId).toBe('5.0');
  });

  it('reads retry hints and strips only one leading space from values', () => {
    const p = new SseParser();
    const [e] = p.push('retry: 3000\ndata:  two spaces\n\n');
    expect(p.retry).toBe(3000);
    expect(e.data).toBe(' two spaces');
    expect(e.type).toBe('message');
  });
});
