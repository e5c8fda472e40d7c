/**
 * Server-sent events read from a `fetch` response. `EventSource` cannot send an Authorization
 * header, so streamed answers come over a POST whose body is parsed here (the WHATWG
 * event-stream format: `event:`/`data:` fields, blank line ends an event, `:` comments).
 */

export interface SseEvent {
  /** `message` when the server named none, as the format says. */
  event: string;
  data: string;
  id?: string;
}

/** Feed it text as it arrives, in chunks cut anywhere; it hands back each completed event. */
export class SseParser {
  private buffer = '';
  private dataLines: string[] = [];
  private eventName = '';
  private lastId: string | undefined;

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    // A lone trailing CR may be half of a CRLF still in flight: wait for the next chunk.
    let match: RegExpExecArray | null;
    const lineEnd = /\r\n|\r(?!$)|\n/g;
    let consumed = 0;
    while ((match = lineEnd.exec(this.buffer)) !== null) {
      const line = this.buffer.slice(consumed, match.index);
      consumed = match.index + match[0].length;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(consumed);
    return events;
  }

  /** The stream ended: an event without its closing blank line is incomplete and dropped. */
  end(): SseEvent[] {
    // A CR held back as possibly half a CRLF did end its line after all.
    const events = this.buffer.endsWith('\r') ? this.push('\n') : [];
    this.buffer = '';
    this.dataLines = [];
    this.eventName = '';
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    // `retry` only matters to a reconnecting EventSource; unknown fields are ignored by the format.
    return null;
  }

  private dispatch(): SseEvent | null {
    const hadData = this.dataLines.length > 0;
    const event: SseEvent = {
      event: this.eventName || 'message',
      data: this.dataLines.join('\n'),
      ...(this.lastId !== undefined ? { id: this.lastId } : {}),
    };
    this.dataLines = [];
    this.eventName = '';
    return hadData ? event : null;
  }
}

/** Every event of a response body, in order, as it arrives. */
export async function* readEvents(response: Response, signal?: AbortSignal): AsyncGenerator<SseEvent> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const cancel = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', cancel, { once: true });
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    signal?.removeEventListener('abort', cancel);
    // A reader that stopped early (an answer arrived, or an error) frees the connection.
    if (!finished) cancel();
  }
}
