import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReportsPage } from './ReportsPage';
import { jobPhase, progressPercent } from '../lib/reportJob';
import { USER, fakeServer, problemReply, signIn } from '../test/fakeServer';
import { renderAt } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const base = { title: 'NOR vs PIA · 2024 Hungary Q', created_at: '2026-11-27T06:00:00Z' };

describe('ReportsPage', () => {
  it('follows a running report until it is ready, then offers the download', async () => {
    signIn();
    const states = [
      { status: 'running', progress: 40, stage: 'rendering_charts' },
      { status: 'succeeded', progress: 100, stage: 'done' },
    ];
    let polls = 0;
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/reports': { body: { items: [{ id: 'r1', status: 'queued', progress: 0, ...base }], total: 1, limit: 100, offset: 0 } },
      'GET /api/v1/reports/r1': () => ({ body: { id: 'r1', ...base, ...states[Math.min(polls++, 1)] } }),
    });
    renderAt('/reports', [{ path: '/reports', element: <ReportsPage /> }]);
    expect(await screen.findByRole('heading', { name: base.title })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Download PDF' }, { timeout: 4000 })).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    expect(calls.filter((c) => c.path === '/api/v1/reports/r1').length).toBeGreaterThanOrEqual(2);
  });

  it('deletes a report after confirmation and shows a refused delete', async () => {
    signIn();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    let refuse = true;
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/reports': { body: { items: [{ id: 'r2', status: 'failed', progress: 30, error: 'Telemetry unavailable', ...base }] } },
      'DELETE /api/v1/reports/r2': () => {
        if (refuse) { refuse = false; return problemReply(409, 'The report is being written; try again when it finishes.'); }
        return { status: 204 };
      },
    });
    renderAt('/reports', [{ path: '/reports', element: <ReportsPage /> }]);
    expect(await screen.findByText('Telemetry unavailable')).toBeInTheDocument();
    const remove = screen.getByRole('button', { name: `Delete ${base.title}` });
    await userEvent.click(remove);
    expect(await screen.findByRole('alert')).toHaveTextContent('The report is being written');
    await userEvent.click(remove);
    expect(await screen.findByText(/No reports yet/)).toBeInTheDocument();
  });
});

describe('retrying a failed report', () => {
  it('queues it again and follows it to the end', async () => {
    signIn();
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/reports': { body: { items: [{ id: 'r3', status: 'failed', progress: 60, error: 'Worker restarted', ...base }], total: 1, limit: 20, offset: 0 } },
      'POST /api/v1/reports/r3/retry': { status: 202, body: { id: 'r3', status: 'queued', progress: 0, ...base } },
      'GET /api/v1/reports/r3': { body: { id: 'r3', status: 'succeeded', progress: 100, ...base } },
    });
    renderAt('/reports', [{ path: '/reports', element: <ReportsPage /> }]);
    await userEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('button', { name: 'Download PDF' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/reports/r3/retry')).toBe(true);
  });
});

describe('report job helpers', () => {
  it('normalises progress to a percentage', () => {
    expect(progressPercent({ status: 'running', progress: 0.5 })).toBe(50);
    expect(progressPercent({ status: 'running', progress: 65 })).toBe(65);
    expect(progressPercent({ status: 'succeeded', progress: 10 })).toBe(100);
    expect(jobPhase({ status: 'queued' })).toBe('waiting');
  });
});
