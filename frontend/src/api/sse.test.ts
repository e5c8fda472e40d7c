import { describe, expect, it } from 'vitest';
import { SseParser, readEvents } from './sse';

function parseAll(chunks: string[]) {
  const parser = new SseParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

function body(chunks: (string | Uint8Array)[]): Response {
  const encoder = new TextEncoder();
  return new Response(new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  }));
}

describe('SseParser', () => {
  const stream = 'event: tool_call\ndata: {"name":"laps"}\n\n: keep-alive\n\ndata: first\ndata: second\n\nevent: answer\nid: 7\ndata: {"text":"NOR"}\n\n';

  it('reads named events, multi-line data, comments and ids', () => {
    expect(parseAll([stream])).toEqual([
      { event: 'tool_call', data: '{"name":"laps"}' },
      { event: 'message', data: 'first\nsecond' },
      { event: 'answer', data: '{"text":"NOR"}', id: '7' },
    ]);
  });

  it('gives the same events however the text is cut', () => {
    const whole = parseAll([stream]);
    for (let cut = 1; cut < stream.length; cut += 1) {
      expect(parseAll([stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
    expect(parseAll([...stream])).toEqual(whole);
  });

  it('accepts CRLF and CR line ends, also split between chunks', () => {
    const crlf = stream.replace(/\n/g, '\r\n');
    const cr = stream.replace(/\n/g, '\r');
    const whole = parseAll([stream]);
    expect(parseAll([crlf])).toEqual(whole);
    expect(parseAll([...crlf])).toEqual(whole);
    expect(parseAll([cr])).toEqual(whole);
  });

  it('keeps a value without the optional space, ignores unknown fields and events without data', () => {
    expect(parseAll(['event:partial\ndata:{"text":"a"}\nretry: 10\nfoo: bar\n\nevent: empty\n\n'])).toEqual([
      { event: 'partial', data: '{"text":"a"}' },
    ]);
  });

  it('drops an event the stream cut off before its blank line', () => {
    expect(parseAll(['event: answer\ndata: {"text":"half'])).toEqual([]);
    expect(parseAll(['data: whole\n\nevent: answer\ndata: {}\n'])).toEqual([{ event: 'message', data: 'whole' }]);
  });
});

describe('readEvents', () => {
  it('decodes UTF-8 split across reads', async () => {
    const bytes = new TextEncoder().encode('data: Räikkönen – 1:16.609\n\n');
    const split = bytes.indexOf(0xc3) + 1; // inside the two bytes of "ä"
    const events = [];
    for await (const event of readEvents(body([bytes.slice(0, split), bytes.slice(split)]))) events.push(event);
    expect(events).toEqual([{ event: 'message', data: 'Räikkönen – 1:16.609' }]);
  });

  it('cancels the body when the caller stops reading', async () => {
    let cancelled = false;
    let reads = 0;
    const encoder = new TextEncoder();
    const response = new Response(new ReadableStream({
      pull(controller) {
        reads += 1;
        controller.enqueue(encoder.encode(`data: ${reads}\n\n`));
      },
      cancel() {
        cancelled = true;
      },
    }));
    const seen: string[] = [];
    for await (const event of readEvents(response)) {
      seen.push(event.data);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['1', '2']);
    expect(cancelled).toBe(true);
  });
});
