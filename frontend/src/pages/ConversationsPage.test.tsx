import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConversationsPage } from './ConversationsPage';
import { USER, fakeServer, problemReply, signIn } from '../test/fakeServer';
import { renderAt } from '../test/render';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const ROUTES = [{ path: '/conversations', element: <ConversationsPage /> }];
const SUMMARIES = [
  { id: 'c2', title: 'What did HAM’s pit stops cost?', created_at: '2026-11-30T19:00:00Z', updated_at: '2026-11-30T19:05:00Z', answers: 1 },
  { id: 'c1', title: 'Who was fastest?', created_at: '2026-11-29T19:00:00Z', updated_at: '2026-11-29T19:02:00Z', answers: 2 },
];
const ANSWER = {
  conversation_id: 'c1', answer_id: 'a1', question: 'Who was fastest?', answerer: 'rules',
  answerer_reason: 'rule-based answerer: no model configured', text: 'NOR was fastest: 1:15.227.',
  dropped_claims: [], created_at: '2026-11-29T19:00:00Z',
  tool_calls: [{ name: 'fastest_laps', arguments: {}, summary: 'fastest lap of each driver', link: '/sessions/2024/Hungary/Q', ok: true }],
};

describe('ConversationsPage', () => {
  it('lists my conversations and opens one with its answers and tool links', async () => {
    signIn();
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/analysis/conversations': { body: { items: SUMMARIES, total: 2, limit: 100, offset: 0 } },
      'GET /api/v1/analysis/conversations/c1': { body: { ...SUMMARIES[1], answers: [ANSWER] } },
    });
    renderAt('/conversations', ROUTES);
    const list = await screen.findByRole('list', { name: 'Conversations' });
    expect(within(list).getAllByRole('heading').map((h) => h.textContent)).toEqual(SUMMARIES.map((s) => s.title));
    expect(list).toHaveTextContent('2 answers');

    const open = screen.getByRole('button', { name: 'Open Who was fastest?' });
    expect(open).toHaveAttribute('aria-expanded', 'false');
    open.focus();
    await userEvent.keyboard('{Enter}');
    expect(open).toHaveAttribute('aria-expanded', 'true');
    const card = await screen.findByTestId('answer');
    expect(within(card).getByTestId('answerer')).toHaveTextContent('Answered by the rules');
    await userEvent.click(within(card).getByRole('link', { name: 'fastest lap of each driver' }));
    expect(screen.getByTestId('location')).toHaveTextContent('/sessions/2024/Hungary/Q');
    expect(calls.filter((c) => c.path === '/api/v1/analysis/conversations/c2')).toHaveLength(0);
  });

  it('deletes a conversation after confirmation and says when deleting failed', async () => {
    signIn();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    let refuse = true;
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/analysis/conversations': { body: { items: SUMMARIES, total: 2, limit: 100, offset: 0 } },
      'DELETE /api/v1/analysis/conversations/c2': () => {
        if (refuse) { refuse = false; return problemReply(503, 'The analysis service is restarting.'); }
        return { status: 204 };
      },
    });
    renderAt('/conversations', ROUTES);
    const remove = await screen.findByRole('button', { name: 'Delete What did HAM’s pit stops cost?' });
    await userEvent.click(remove);
    expect(await screen.findByRole('alert')).toHaveTextContent('The analysis service is restarting.');
    await userEvent.click(remove);
    await screen.findByRole('heading', { name: 'Who was fastest?' });
    expect(screen.queryByRole('heading', { name: 'What did HAM’s pit stops cost?' })).toBeNull();
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/api/v1/analysis/conversations/c2', '/api/v1/analysis/conversations/c2',
    ]);
  });

  it('offers a way to start when there is nothing yet', async () => {
    signIn();
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/analysis/conversations': { body: { items: [], total: 0, limit: 100, offset: 0 } },
    });
    renderAt('/conversations', ROUTES);
    expect(await screen.findByText(/No conversations yet/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Explore a session' })).toHaveAttribute('href', '/');
  });
});
