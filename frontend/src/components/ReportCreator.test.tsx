import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReportCreator } from './ReportCreator';
import { USER, fakeServer, problemReply, signIn } from '../test/fakeServer';
import { renderAt } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const request = {
  kind: 'lap_comparison' as const, year: 2024, event: 'Hungary', session: 'Q' as const,
  driver_a: 'NOR', lap_a: 'fastest', driver_b: 'PIA', lap_b: 'fastest',
};

describe('ReportCreator', () => {
  it('creates a report, shows its stages and offers the PDF', async () => {
    signIn();
    let polls = 0;
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'POST /api/v1/reports': { status: 202, body: { id: 'job-7', status: 'queued', progress: 0 } },
      'GET /api/v1/reports/job-7': () => {
        polls += 1;
        return polls < 2
          ? { body: { id: 'job-7', status: 'running', progress: 35, stage: 'fetching_telemetry' } }
          : { body: { id: 'job-7', status: 'succeeded', progress: 100, stage: 'done' } };
      },
    });
    renderAt('/', [{ path: '/', element: <ReportCreator request={request} description="PDF" /> }]);
    await userEvent.click(await screen.findByRole('button', { name: 'Create PDF report' }));
    expect(await screen.findByText('Fetching telemetry')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Download PDF' }, { timeout: 4000 })).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual(request);
  });

  it('shows why the report was refused', async () => {
    signIn();
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'POST /api/v1/reports': problemReply(422, 'a lap comparison needs exactly two drivers', 'Unprocessable Content'),
    });
    renderAt('/', [{ path: '/', element: <ReportCreator request={request} description="PDF" /> }]);
    await userEvent.click(await screen.findByRole('button', { name: 'Create PDF report' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('a lap comparison needs exactly two drivers');
    expect(screen.getByRole('button', { name: 'Create PDF report' })).toBeEnabled();
  });
});
