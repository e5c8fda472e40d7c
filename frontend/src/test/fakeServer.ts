/**
 * A scripted stand-in for the gateway, installed as `fetch` in component tests. The backend is
 * not what these tests exercise (the browser tests run the real stack); this lets each test
 * state exactly what the server answers, including problem+json errors, and inspect what the
 * app sent.
 */
import { vi } from 'vitest';

export interface FakeReply {
  status?: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Send the body in these pieces, one read each, as a streamed response does. */
  chunks?: string[];
  /** A body the test feeds itself, to look at the app while an answer is still streaming. */
  stream?: ReadableStream<Uint8Array>;
}

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

type Handler = (request: { url: URL; method: string; body: unknown; headers: Headers }) =>
  FakeReply | Promise<FakeReply>;

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | null;
}

export function fakeServer(routes: Record<string, Handler | FakeReply>) {
  const calls: RecordedCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://pitwall.test');
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({
      method,
      path: url.pathname,
      query: url.searchParams,
      body,
      authorization: headers.get('Authorization'),
    });
    const route = routes[`${method} ${url.pathname}`];
    if (!route) {
      return problem(404, `No fake route for ${method} ${url.pathname}`);
    }
    const reply = typeof route === 'function' ? await route({ url, method, body, headers }) : route;
    const status = reply.status ?? 200;
    if (status === 204) return new Response(null, { status });
    const contentType =
      reply.contentType ?? (status >= 400 ? 'application/problem+json' : 'application/json');
    if (reply.chunks || reply.stream) {
      const stream = reply.stream ?? streamOf(reply.chunks ?? []);
      return new Response(stream, { status, headers: { 'Content-Type': contentType, ...reply.headers } });
    }
    const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    return new Response(payload, { status, headers: { 'Content-Type': contentType, ...reply.headers } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export function problem(status: number, detail: string, title = 'Error'): Response {
  return new Response(
    JSON.stringify({ type: 'about:blank', title, status, detail, instance: '/x', request_id: 'req-123' }),
    { status, headers: { 'Content-Type': 'application/problem+json' } },
  );
}

export function problemReply(status: number, detail: string, title = 'Error'): FakeReply {
  return {
    status,
    body: { type: 'https://pitwall.dev/problems/x', title, status, detail, instance: '/x', request_id: 'req-123' },
  };
}

export function signIn(access = 'access-1', refresh = 'refresh-1'): void {
  localStorage.setItem('pitwall.session', JSON.stringify({ access, refresh }));
}

export const USER = {
  id: 'u1',
  email: 'ada@example.com',
  display_name: 'Ada',
  role: 'user',
  preferences: { plot_style: 'light', favourite_drivers: [] as string[] },
  created_at: '2026-01-01T00:00:00Z',
};

/** A response body the test writes to as it goes: `send` some text, then `close`. */
export function controlledStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start(c) { controller = c; } });
  return {
    stream,
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
  };
}

/** One server-sent event as the services write it. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
