import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionPage } from './SessionPage';
import { USER, fakeServer, problemReply, signIn } from '../test/fakeServer';
import { renderAt } from '../test/render';
import azLaps from '../test/fixtures/azerbaijan-2018-r-laps-ham-rai.json';
import azPace from '../test/fixtures/azerbaijan-2018-r-pace-distribution.json';
import azTrace from '../test/fixtures/azerbaijan-2018-r-race-trace.json';
import azSession from '../test/fixtures/azerbaijan-2018-r-session.json';
import azStrategy from '../test/fixtures/azerbaijan-2018-r-strategy.json';
import azSummary from '../test/fixtures/azerbaijan-2018-r-summary.json';
import huLaps from '../test/fixtures/hungary-2024-q-laps-nor-pia-ver.json';
import huOverview from '../test/fixtures/hungary-2024-q-qualifying-overview.json';
import huSession from '../test/fixtures/hungary-2024-q-session.json';

afterEach(() => vi.unstubAllGlobals());

const ROUTES = [{ path: '/sessions/:year/:event/:session', element: <SessionPage /> }];
const AZ = '/api/v1/telemetry/sessions/2018/Azerbaijan/R';
const AZ_ANALYSIS = '/api/v1/analysis/sessions/2018/Azerbaijan/R';

function raceServer() {
  return fakeServer({
    'GET /api/v1/auth/me': { body: USER },
    [`GET ${AZ}/status`]: { body: { state: 'ready' } },
    [`GET ${AZ}`]: { body: azSession },
    [`GET ${AZ}/laps`]: { body: azLaps },
    [`GET ${AZ_ANALYSIS}/summary`]: { body: azSummary },
    [`GET ${AZ_ANALYSIS}/race-trace`]: { body: azTrace },
    [`GET ${AZ_ANALYSIS}/strategy`]: { body: azStrategy },
    [`GET ${AZ_ANALYSIS}/pace-distribution`]: { body: azPace },
  });
}

describe('SessionPage for a race (2018 Azerbaijan, lap timing only)', () => {
  it('opens on the overview: results, insights, and drivers compared lap by lap instead of traces', async () => {
    signIn();
    const { calls } = raceServer();
    renderAt('/sessions/2018/Azerbaijan/R', ROUTES);
    expect(await screen.findByRole('tab', { name: 'Overview', selected: true })).toBeInTheDocument();
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Overview', 'Pace', 'Strategy', 'Race trace', 'Ask']);
    const results = await screen.findByRole('region', { name: 'Session results' });
    expect(within(results).getAllByRole('row')[1]).toHaveTextContent('HAM');
    expect(await screen.findByText('HAM (Mercedes) was first, 2.46 s ahead of RAI.')).toBeInTheDocument();
    expect(await screen.findByText(/ALO made up the most ground/)).toBeInTheDocument();
    expect(await screen.findByTestId('lap-delta-summary')).toHaveTextContent(/Over \d+ laps both timed, HAM was quicker on \d+/);
    expect(screen.queryByRole('button', { name: 'Compare laps' })).toBeNull();
    const sectors = screen.getByRole('region', { name: 'Fastest laps sector by sector' });
    expect(within(sectors).getAllByRole('row').map((r) => r.querySelector('th')?.textContent)).toEqual([
      'Fastest lap', expect.stringMatching(/^HAMlap \d+$/), expect.stringMatching(/^RAIlap \d+$/), 'RAI − HAM',
    ]);
    // Only the overview's data is asked for until another tab is opened.
    expect(calls.some((c) => c.path.endsWith('/strategy') || c.path.endsWith('/pace-distribution'))).toBe(false);
  });

  it('walks pace, strategy and race trace, keeping the highlighted drivers across tabs', async () => {
    signIn();
    raceServer();
    renderAt('/sessions/2018/Azerbaijan/R?tab=trace', ROUTES);
    const vet = await screen.findByRole('button', { name: 'VET', pressed: false });
    await userEvent.click(vet);
    expect(screen.getByRole('button', { name: 'VET', pressed: true })).toBeInTheDocument();
    expect(document.querySelector('.race-trace g.series.on[data-driver="VET"]')).not.toBeNull();

    await userEvent.click(screen.getByRole('tab', { name: 'Strategy' }));
    expect(await screen.findByRole('region', { name: 'Pit stops' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'VET', pressed: true })).toBeInTheDocument();
    expect(document.querySelectorAll('.deg-stint[data-driver="VET"]').length).toBeGreaterThan(0);
    expect(screen.getByTestId('location')).toHaveTextContent('tab=strategy');

    await userEvent.click(screen.getByRole('tab', { name: 'Pace' }));
    expect(await screen.findByRole('region', { name: 'Team-mate pace' })).toBeInTheDocument();
    expect(document.querySelectorAll('.pace-box').length).toBeGreaterThan(15);
    expect(screen.getByRole('button', { name: 'Download pace by driver as CSV' })).toBeInTheDocument();
  });

  it('moves between tabs with the arrow keys', async () => {
    signIn();
    raceServer();
    renderAt('/sessions/2018/Azerbaijan/R', ROUTES);
    const overview = await screen.findByRole('tab', { name: 'Overview', selected: true });
    overview.focus();
    await userEvent.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Ask', selected: true })).toHaveFocus();
    await userEvent.keyboard('{Home}');
    expect(screen.getByRole('tab', { name: 'Overview', selected: true })).toHaveFocus();
  });

  it('asks about the race from its own tab, with questions naming its drivers that its lap timing can answer', async () => {
    signIn();
    raceServer();
    renderAt('/sessions/2018/Azerbaijan/R?tab=ask', ROUTES);
    const ask = await screen.findByRole('region', { name: 'Ask about this session' });
    const examples = within(ask).getByRole('group', { name: 'Example questions' });
    expect(within(examples).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Who gained the most places?', 'What did HAM\'s pit stops cost?', 'How did RAI\'s pace fade per stint?', 'Who set the fastest lap?',
    ]);
  });

  it('says why an analysis failed inside its tab and keeps the rest of the page', async () => {
    signIn();
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      [`GET ${AZ}/status`]: { body: { state: 'ready' } },
      [`GET ${AZ}`]: { body: azSession },
      [`GET ${AZ}/laps`]: { body: azLaps },
      [`GET ${AZ_ANALYSIS}/pace-distribution`]: problemReply(503, 'The analysis service is restarting', 'Service Unavailable'),
    });
    renderAt('/sessions/2018/Azerbaijan/R?tab=pace', ROUTES);
    expect(await screen.findByRole('alert')).toHaveTextContent('The analysis service is restarting');
    expect(screen.getByRole('heading', { name: /Azerbaijan Grand Prix/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});

describe('SessionPage for qualifying (2024 Hungary, car telemetry)', () => {
  it('shows gap to pole, segments and ideal laps, then the two-lap comparison', async () => {
    signIn();
    const HU = '/api/v1/telemetry/sessions/2024/Hungary/Q';
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      [`GET ${HU}/status`]: { body: { state: 'ready' } },
      [`GET ${HU}`]: { body: huSession },
      [`GET ${HU}/laps`]: { body: huLaps },
      'GET /api/v1/analysis/sessions/2024/Hungary/Q/qualifying-overview': { body: huOverview },
    });
    renderAt('/sessions/2024/Hungary/Q', ROUTES);
    expect(await screen.findByRole('heading', { name: 'Gap to pole' })).toBeInTheDocument();
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(await screen.findByRole('img', { name: /Gap to pole of 20 drivers; pole NOR/ })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Qualifying segments' })).toHaveTextContent('PER, RUS, ZHO, OCO, GAS');
    expect(screen.getByRole('region', { name: 'Best and ideal laps' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Compare laps' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download qualifying overview as CSV' })).toBeInTheDocument();
    const ask = screen.getByRole('region', { name: 'Ask about this session' });
    expect(within(ask).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Ask', 'Who was fastest?', 'Who was fastest in sector 2?', 'Compare NOR and PIA',
    ]);
  });
});
