/**
 * Ask a question and watch the answer being worked out: the streamed variant reports each tool
 * call as it happens, then the answer. When streaming is not possible (a proxy that buffers or
 * drops the stream, the network, the server's own trouble) the plain POST answers instead, so
 * a question is never lost to the transport.
 */
import { ASK_STREAM_PATH, ask } from './endpoints';
import { ApiError, requestRaw } from './http';
import type { Problem } from './http';
import { readEvents } from './sse';
import type { AskAnswer, AskRequest, ToolCallRecord } from './types';

export interface ToolCallStarted {
  name: string;
  arguments: Record<string, unknown>;
}

export interface AskProgress {
  onToolCall?: (call: ToolCallStarted) => void;
  onToolResult?: (record: ToolCallRecord) => void;
  /** The answer text so far. */
  onPartial?: (text: string) => void;
  /** Live progress stopped; the answer now comes from the plain request. */
  onFallback?: (reason: unknown) => void;
}

class StreamBroken extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamBroken';
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * Worth asking again without the stream: the transport failed, or the server did. A problem
 * about the question itself (invalid, unknown session, rate limited) would only repeat.
 */
export function streamFailureIsRecoverable(error: unknown): boolean {
  if (isAbort(error)) return false;
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 404 || error.status === 405 || error.status === 406 || error.status >= 500;
}

function parseJson<T>(data: string, what: string): T {
  try {
    return JSON.parse(data) as T;
  } catch {
    throw new StreamBroken(`unreadable ${what} event`);
  }
}

async function streamAnswer(body: AskRequest, progress: AskProgress, signal?: AbortSignal): Promise<AskAnswer> {
  const response = await requestRaw(ASK_STREAM_PATH, { method: 'POST', body, accept: 'text/event-stream', signal });
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('text/event-stream')) {
    // Something between us and the service answered in one piece: take it as it is.
    if (type.includes('json')) return (await response.json()) as AskAnswer;
    throw new StreamBroken(`expected an event stream, got ${type || 'no content type'}`);
  }
  for await (const event of readEvents(response, signal)) {
    switch (event.event) {
      case 'tool_call':
        progress.onToolCall?.(parseJson<ToolCallStarted>(event.data, 'tool_call'));
        break;
      case 'tool_result':
        progress.onToolResult?.(parseJson<ToolCallRecord>(event.data, 'tool_result'));
        break;
      case 'partial':
        // Each partial carries the whole text so far, not a piece to append.
        progress.onPartial?.(parseJson<{ text: string }>(event.data, 'partial').text);
        break;
      case 'answer':
        return parseJson<AskAnswer>(event.data, 'answer');
      case 'error': {
        const problem = parseJson<Problem>(event.data, 'error');
        throw new ApiError(typeof problem.status === 'number' ? problem.status : 500, problem);
      }
      default:
        // Keep-alives and event kinds added later are not ours to act on.
        break;
    }
  }
  if (signal?.aborted) throw new DOMException('The question was cancelled.', 'AbortError');
  throw new StreamBroken('the stream ended before the answer');
}

export async function askWithProgress(body: AskRequest, progress: AskProgress = {}, signal?: AbortSignal): Promise<AskAnswer> {
  try {
    return await streamAnswer(body, progress, signal);
  } catch (error) {
    if (!streamFailureIsRecoverable(error)) throw error;
    progress.onFallback?.(error);
    return ask.answer(body, signal);
  }
}
