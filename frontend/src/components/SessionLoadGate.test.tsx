import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionLoadGate, progressPercent } from './SessionLoadGate';
import { USER, fakeServer, signIn } from '../test/fakeServer';
import { renderAt } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const KEY = { year: 2019, event: 'Monza', session: 'Q' };
const STATUS = 'GET /api/v1/telemetry/sessions/2019/Monza/Q/status';
const PREWARM = 'POST /api/v1/telemetry/sessions/2019/Monza/Q/prewarm';

function page() {
  return [{ path: '/', element: <SessionLoadGate sessionKey={KEY}><h1>Session ready</h1></SessionLoadGate> }];
}

describe('SessionLoadGate', () => {
  it('starts the load of a session not stored yet, shows its stage and progress, then the page', async () => {
    signIn();
    const answers = [
      { state: 'not_loaded' },
      { state: 'loading', stage: 'laps', progress: 0.4 },
      { state: 'ready' },
    ];
    let polls = 0;
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      [STATUS]: () => ({ body: answers[Math.min(polls++, answers.length - 1)] }),
      [PREWARM]: { status: 202, body: { state: 'loading' } },
    });
    renderAt('/', page());
    expect(await screen.findByText('Lap timing and track status', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '40');
    expect(await screen.findByRole('heading', { name: 'Session ready' }, { timeout: 3000 })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST' && c.path.endsWith('/prewarm'))).toHaveLength(1);
    expect(calls.filter((c) => c.path.endsWith('/status')).length).toBe(3);
  });

  it('says why a load failed and starts it again on request', async () => {
    signIn();
    let failedOnce = false;
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      [STATUS]: () => {
        const prewarms = calls.filter((c) => c.method === 'POST').length;
        if (prewarms === 1 && !failedOnce) {
          failedOnce = true;
          return { body: { state: 'failed', reason: 'Upstream rate limit reached.', retry_after_s: 30 } };
        }
        return { body: { state: prewarms === 2 ? 'ready' : 'not_loaded' } };
      },
      [PREWARM]: { status: 202, body: {} },
    });
    renderAt('/', page());
    expect(await screen.findByRole('alert', {}, { timeout: 3000 })).toHaveTextContent('Upstream rate limit reached. It can be tried again in 30 s.');
    expect(screen.queryByRole('heading', { name: 'Session ready' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Session ready' }, { timeout: 3000 })).toBeInTheDocument();
  });

  it('lets the page explain a status it cannot read (an unknown event)', async () => {
    signIn();
    fakeServer({ 'GET /api/v1/auth/me': { body: USER } });
    renderAt('/', page());
    expect(await screen.findByRole('heading', { name: 'Session ready' })).toBeInTheDocument();
  });

  it('shows the share of the load done as a percentage', () => {
    expect(progressPercent(0.25)).toBe(25);
    expect(progressPercent(1)).toBe(100);
    expect(progressPercent(null)).toBeNull();
  });
});
