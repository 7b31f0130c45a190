// An incremental parser for text/event-stream, as the WHATWG HTML standard defines it
// ("Server-sent events", section 9.2.6 "Interpreting an event stream"). It takes decoded text
// in whatever pieces the network delivers and returns the events each piece completes.
// The browser's EventSource cannot send an Authorization header, so the player reads the
// stream with fetch and parses it here.

export interface SseEvent {
  type: string; // "message" when the stream gave no event name
  data: string;
  // The event's own `id:` field, or undefined when it had none (TTA sends no id for answers
  // that record nothing, so they must not move the resume position).
  id: string | undefined;
  lastEventId: string; // the stream's last event id after this event, as EventSource keeps it
}

export class SseParser {
  private buffer = '';
  private sawCr = false;
  private data: string[] = [];
  private type = '';
  private id: string | undefined;
  // The standard's "last event ID buffer": set by an id line, committed when the event is
  // dispatched, so an event cut off mid-way never moves the resume position.
  private idBuffer: string;
  private lastId: string;
  private retryMs: number | undefined;

  constructor(lastEventId = '') {
    this.lastId = lastEventId;
    this.idBuffer = lastEventId;
  }

  get lastEventId(): string {
    return this.lastId;
  }

  // The last `retry:` the stream asked for, in milliseconds.
  get retry(): number | undefined {
    return this.retryMs;
  }

  push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n' && this.sawCr) {
        // The LF of a CRLF pair already ended the line at the CR.
        this.sawCr = false;
        start = i + 1;
        continue;
      }
      this.sawCr = false;
      if (c === '\r' || c === '\n') {
        this.line(this.buffer + text.slice(start, i), events);
        this.buffer = '';
        this.sawCr = c === '\r';
        start = i + 1;
      }
    }
    this.buffer += text.slice(start);
    return events;
  }

  // Forgets a half-received event, as a reconnect must (the standard drops it at end of stream).
  reset(): void {
    this.buffer = '';
    this.sawCr = false;
    this.data = [];
    this.type = '';
    this.id = undefined;
    this.idBuffer = this.lastId;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return; // a comment, e.g. TTA's heartbeat
    const colon = line.indexOf(':');
    let field = line;
    let value = '';
    if (colon >= 0) {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
    }
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.id = value;
          this.idBuffer = value;
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(events: SseEvent[]): void {
    const id = this.id;
    this.lastId = this.idBuffer;
    const hasData = this.data.length > 0;
    const event = { type: this.type || 'message', data: this.data.join('\n'), id, lastEventId: this.lastId };
    this.data = [];
    this.type = '';
    this.id = undefined;
    if (hasData) events.push(event);
  }
}
