import { afterEach, describe, expect, it, vi } from 'vitest';
import { askWithProgress } from './askStream';
import { ApiError } from './http';
import type { AskAnswer } from './types';
import { fakeServer, problemReply, sseEvent as sse } from '../test/fakeServer';

afterEach(() => vi.unstubAllGlobals());

const ANSWER: AskAnswer = {
  conversation_id: 'c1',
  answer_id: 'a1',
  question: 'Who was fastest?',
  answerer: 'rules',
  answerer_reason: 'rule-based answerer: no model configured',
  text: 'NOR was fastest with 1:15.227.',
  dropped_claims: [],
  tool_calls: [{ name: 'fastest_laps', arguments: {}, summary: 'fastest laps of 20 drivers', ok: true }],
  created_at: '2026-11-30T20:00:00Z',
};
const BODY = { question: 'Who was fastest?', context: { year: 2024, event: 'Hungary', session: 'Q' } };

describe('askWithProgress', () => {
  it('reports tool calls and the text as they stream, then returns the answer', async () => {
    const stream = [
      sse('tool_call', { name: 'fastest_laps', arguments: {} }),
      sse('tool_result', ANSWER.tool_calls?.[0]),
      sse('partial', { text: 'NOR was' }),
      sse('partial', { text: ANSWER.text }),
      sse('answer', ANSWER),
    ].join('');
    const { calls } = fakeServer({
      // Cut mid-event, as a network does.
      'POST /api/v1/analysis/ask/stream': { contentType: 'text/event-stream', chunks: [stream.slice(0, 50), stream.slice(50)] },
    });
    const seen: string[] = [];
    const answer = await askWithProgress(BODY, {
      onToolCall: (call) => seen.push(`call ${call.name}`),
      onToolResult: (record) => seen.push(`result ${record.summary}`),
      onPartial: (text) => seen.push(`text ${text}`),
      onFallback: () => seen.push('fallback'),
    });
    expect(answer).toEqual(ANSWER);
    expect(seen).toEqual([
      'call fastest_laps', 'result fastest laps of 20 drivers', 'text NOR was', `text ${ANSWER.text}`,
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toEqual(BODY);
  });

  it('asks the plain endpoint when the stream ends without an answer', async () => {
    const { calls } = fakeServer({
      'POST /api/v1/analysis/ask/stream': { contentType: 'text/event-stream', chunks: [sse('tool_call', { name: 'laps', arguments: {} })] },
      'POST /api/v1/analysis/ask': { body: ANSWER },
    });
    const onFallback = vi.fn();
    expect(await askWithProgress(BODY, { onFallback })).toEqual(ANSWER);
    expect(onFallback).toHaveBeenCalledOnce();
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/analysis/ask/stream', '/api/v1/analysis/ask']);
    expect(calls[1].body).toEqual(BODY);
  });

  it('asks the plain endpoint when the stream fails on the server', async () => {
    fakeServer({
      'POST /api/v1/analysis/ask/stream': { contentType: 'text/event-stream', chunks: [
        sse('error', { type: 'x', title: 'Service Unavailable', status: 503, detail: 'The answer could not be completed.' }),
      ] },
      'POST /api/v1/analysis/ask': { body: ANSWER },
    });
    expect(await askWithProgress(BODY)).toEqual(ANSWER);

    fakeServer({
      'POST /api/v1/analysis/ask/stream': problemReply(502, 'The analysis service broke off its answer.'),
      'POST /api/v1/analysis/ask': { body: ANSWER },
    });
    expect(await askWithProgress(BODY)).toEqual(ANSWER);
  });

  it('does not ask twice when the question itself is refused', async () => {
    const { calls } = fakeServer({
      'POST /api/v1/analysis/ask/stream': problemReply(422, 'question: String should have at most 500 characters'),
      'POST /api/v1/analysis/ask': { body: ANSWER },
    });
    const refused = askWithProgress(BODY);
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 422, message: expect.stringContaining('at most 500') });
    expect(calls).toHaveLength(1);

    const { calls: inBand } = fakeServer({
      'POST /api/v1/analysis/ask/stream': { contentType: 'text/event-stream', chunks: [
        sse('error', { title: 'Too Many Requests', status: 429, detail: 'Your question budget for today is spent.' }),
      ] },
    });
    await expect(askWithProgress(BODY)).rejects.toMatchObject({ status: 429, message: 'Your question budget for today is spent.' });
    expect(inBand).toHaveLength(1);
  });

  it('takes a whole JSON answer when something in between did not stream', async () => {
    const { calls } = fakeServer({ 'POST /api/v1/analysis/ask/stream': { body: ANSWER } });
    expect(await askWithProgress(BODY)).toEqual(ANSWER);
    expect(calls).toHaveLength(1);
  });
});
