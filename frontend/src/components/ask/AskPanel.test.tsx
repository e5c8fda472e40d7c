import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AskPanel } from './AskPanel';
import type { AskAnswer } from '../../api/types';
import { USER, controlledStream, fakeServer, problemReply, signIn, sseEvent } from '../../test/fakeServer';
import { renderAt } from '../../test/render';

const KEY = { year: 2024, event: 'Hungary', session: 'Q' };
const EXAMPLES = ['Who was fastest?', 'Who was fastest in sector 2?', 'Compare NOR and PIA'];
const ROUTES = [{ path: '/sessions/:year/:event/:session', element: <AskPanel sessionKey={KEY} examples={EXAMPLES} /> }];
const CHART = '/api/v1/charts/sessions/2024/Hungary/Q/speed-trace.png?drivers=NOR,PIA';
const COMPARE_LINK = '/sessions/2024/Hungary/Q/compare?a=NOR&la=fastest&b=PIA&lb=fastest';

function answer(overrides: Partial<AskAnswer>): AskAnswer {
  return {
    conversation_id: 'c1',
    answer_id: 'a1',
    question: 'Who was fastest?',
    answerer: 'rules',
    answerer_reason: 'rule-based answerer: no model configured',
    text: 'NOR was fastest: 1:15.227 on lap 21.',
    dropped_claims: [],
    tool_calls: [{ name: 'fastest_laps', arguments: {}, summary: 'fastest lap of each of 20 drivers', link: '/sessions/2024/Hungary/Q', ok: true }],
    created_at: '2026-11-30T20:00:00Z',
    ...overrides,
  };
}

const COMPARE = answer({
  answer_id: 'a2',
  question: 'Compare NOR and PIA',
  text: 'NOR was 0.022 s faster than PIA over their fastest laps.\n\nPIA was quicker in sector 3.',
  tool_calls: [
    { name: 'compare_laps', arguments: { a: 'NOR', b: 'PIA' }, summary: 'NOR vs PIA, fastest laps', link: COMPARE_LINK, ok: true },
    { name: 'chart', arguments: { chart: 'speed-trace' }, summary: 'speed trace of NOR and PIA', chart_url: CHART, ok: true },
  ],
});

/** jsdom has no object URLs: hand out names and remember which were given back. */
function objectUrls() {
  const revoked: string[] = [];
  let n = 0;
  vi.stubGlobal('URL', Object.assign(URL, {
    createObjectURL: () => `blob:pitwall/${++n}`,
    revokeObjectURL: (url: string) => revoked.push(url),
  }));
  return revoked;
}

beforeEach(() => signIn('access-7'));
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('AskPanel', () => {
  it('shows each tool call while it runs, then the answer with who wrote it and why', async () => {
    const live = controlledStream();
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'POST /api/v1/analysis/ask/stream': { contentType: 'text/event-stream', stream: live.stream },
    });
    renderAt('/sessions/2024/Hungary/Q', ROUTES);
    const examples = screen.getByRole('group', { name: 'Example questions' });
    expect(within(examples).getAllByRole('button').map((b) => b.textContent)).toEqual(EXAMPLES);
    await userEvent.click(within(examples).getByRole('button', { name: 'Who was fastest?' }));

    live.send(sseEvent('tool_call', { name: 'fastest_laps', arguments: {} }));
    const progress = await screen.findByRole('list', { name: 'Tool calls so far' });
    expect(progress).toHaveTextContent('fastest_laps running…');
    const asked = within(examples).getByRole('button', { name: 'Who was fastest?' });
    expect(asked).toHaveAttribute('aria-disabled', 'true');
    expect(asked).toHaveFocus();
    await userEvent.click(within(examples).getByRole('button', { name: 'Compare NOR and PIA' }));
    live.send(sseEvent('tool_result', answer({}).tool_calls?.[0]));
    await waitFor(() => expect(progress).toHaveTextContent('fastest lap of each of 20 drivers'));
    live.send(sseEvent('answer', answer({})));
    live.close();
    // The second example, clicked while the first question ran, asked nothing.
    await waitFor(() => expect(asked).toHaveAttribute('aria-disabled', 'false'));
    expect(calls.filter((c) => c.path.endsWith('/ask/stream'))).toHaveLength(1);

    const card = await screen.findByTestId('answer');
    expect(within(card).getByRole('heading', { name: 'Who was fastest?' })).toBeInTheDocument();
    expect(within(card).getByTestId('answerer')).toHaveTextContent('Answered by the rules');
    expect(card).toHaveTextContent('rule-based answerer: no model configured');
    expect(card).toHaveTextContent('NOR was fastest: 1:15.227 on lap 21.');
    expect(screen.queryByTestId('pending-answer')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('conversation=c1'));
    expect(calls.find((c) => c.path.endsWith('/ask/stream'))).toMatchObject({
      authorization: 'Bearer access-7',
      body: { question: 'Who was fastest?', context: KEY, conversation_id: null },
    });
  });

  it('links each tool call to its page and shows a tool’s chart fetched with the token', async () => {
    const revoked = objectUrls();
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'POST /api/v1/analysis/ask/stream': { contentType: 'text/event-stream', chunks: [sseEvent('answer', COMPARE)] },
      'GET /api/v1/charts/sessions/2024/Hungary/Q/speed-trace.png': { body: 'PNG', contentType: 'image/png' },
    });
    const view = renderAt('/sessions/2024/Hungary/Q', ROUTES);
    await userEvent.type(screen.getByLabelText('Your question'), 'Compare NOR and PIA{Enter}');

    const chart = await screen.findByRole('img', { name: 'Chart: speed trace of NOR and PIA' });
    expect(chart).toHaveAttribute('src', 'blob:pitwall/1');
    const fetched = calls.find((c) => c.path.endsWith('speed-trace.png'));
    expect(fetched?.authorization).toBe('Bearer access-7');
    expect(fetched?.query.get('drivers')).toBe('NOR,PIA');
    const card = screen.getByTestId('answer');
    expect(within(card).getAllByRole('paragraph').map((p) => p.textContent)).toEqual(
      expect.arrayContaining(['NOR was 0.022 s faster than PIA over their fastest laps.', 'PIA was quicker in sector 3.']),
    );
    await userEvent.click(within(card).getByRole('link', { name: 'NOR vs PIA, fastest laps' }));
    expect(screen.getByTestId('location')).toHaveTextContent(COMPARE_LINK);
    view.unmount();
    expect(revoked).toEqual(['blob:pitwall/1']);
  });

  it('continues the conversation, newest answer first, until a new one is started', async () => {
    const replies = [answer({}), COMPARE, answer({ conversation_id: 'c2', answer_id: 'a3' })];
    objectUrls();
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'POST /api/v1/analysis/ask/stream': () => ({ contentType: 'text/event-stream', chunks: [sseEvent('answer', replies.shift())] }),
      'GET /api/v1/charts/sessions/2024/Hungary/Q/speed-trace.png': { body: 'PNG', contentType: 'image/png' },
    });
    renderAt('/sessions/2024/Hungary/Q', ROUTES);
    await userEvent.click(screen.getByRole('button', { name: 'Who was fastest?' }));
    await screen.findByTestId('answer');
    await userEvent.click(screen.getByRole('button', { name: 'Compare NOR and PIA' }));
    await waitFor(() => expect(screen.getAllByTestId('answer')).toHaveLength(2));
    expect(screen.getAllByTestId('answer').map((a) => a.querySelector('h3')?.textContent)).toEqual([
      'Compare NOR and PIA', 'Who was fastest?',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'New conversation' }));
    expect(screen.queryByTestId('answer')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('location')).not.toHaveTextContent('conversation='));
    await userEvent.click(screen.getByRole('button', { name: 'Who was fastest?' }));
    await screen.findByTestId('answer');
    const asked = calls.filter((c) => c.path.endsWith('/ask/stream')).map((c) => (c.body as { conversation_id: string | null }).conversation_id);
    expect(asked).toEqual([null, 'c1', null]);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('conversation=c2'));
    // No answer was fetched again: each came from its question.
    expect(calls.filter((c) => c.path.startsWith('/api/v1/analysis/conversations'))).toHaveLength(0);
  });

  it('keeps dropped claims folded away and never follows or fetches addresses outside the app', async () => {
    const risky = answer({
      answerer: 'model',
      answerer_reason: 'the model answered from 2 tool results; every number left in the answer matches one',
      dropped_claims: ['PIA reached 341 km/h (341 matched no tool result)'],
      tool_calls: [
        { name: 'laps', arguments: {}, summary: 'laps of NOR', link: '//evil.example/phish', ok: true },
        { name: 'chart', arguments: {}, summary: 'a chart', chart_url: 'https://evil.example/x.png', ok: true },
        { name: 'race_trace', arguments: {}, summary: '', ok: false, error: 'race_trace needs a race session' },
      ],
    });
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'POST /api/v1/analysis/ask/stream': { contentType: 'text/event-stream', chunks: [sseEvent('answer', risky)] },
    });
    renderAt('/sessions/2024/Hungary/Q', ROUTES);
    await userEvent.click(screen.getByRole('button', { name: 'Who was fastest?' }));
    const card = await screen.findByTestId('answer');
    expect(within(card).getByTestId('answerer')).toHaveTextContent('Answered by a model');
    const dropped = within(card).getByText(/1 claim removed/).closest('details');
    expect(dropped).not.toHaveAttribute('open');
    expect(dropped).toHaveTextContent('PIA reached 341 km/h');
    expect(within(card).queryAllByRole('link')).toHaveLength(0);
    expect(within(card).queryByRole('img')).toBeNull();
    expect(card).toHaveTextContent('race_trace needs a race session');
    expect(calls.some((c) => c.path.endsWith('.png') || c.path.includes('evil'))).toBe(false);
  });

  it('says why a question got no answer and asks again on retry', async () => {
    let attempts = 0;
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'POST /api/v1/analysis/ask/stream': () => (++attempts === 1
        ? problemReply(429, 'Too many questions. Wait a minute and ask again.', 'Too Many Requests')
        : { contentType: 'text/event-stream', chunks: [sseEvent('answer', answer({}))] }),
    });
    renderAt('/sessions/2024/Hungary/Q', ROUTES);
    await userEvent.click(screen.getByRole('button', { name: 'Who was fastest?' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many questions. Wait a minute and ask again.');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('answer')).toHaveTextContent('NOR was fastest');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('reopens the conversation the address names', async () => {
    objectUrls();
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/analysis/conversations/c1': { body: { id: 'c1', title: 'Who was fastest?', created_at: '2026-11-30T20:00:00Z', updated_at: '2026-11-30T20:01:00Z', answers: [answer({}), COMPARE] } },
      'GET /api/v1/charts/sessions/2024/Hungary/Q/speed-trace.png': { body: 'PNG', contentType: 'image/png' },
    });
    renderAt('/sessions/2024/Hungary/Q?conversation=c1', ROUTES);
    await waitFor(() => expect(screen.getAllByTestId('answer')).toHaveLength(2));
    expect(screen.getAllByTestId('answer')[0]).toHaveTextContent('Compare NOR and PIA');
  });
});
