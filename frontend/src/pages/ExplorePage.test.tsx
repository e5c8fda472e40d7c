import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExplorePage, sessionChoices } from './ExplorePage';
import { USER, fakeServer, problemReply, signIn } from '../test/fakeServer';
import { renderAt } from '../test/render';
import samples from '../test/fixtures/samples.json';

afterEach(() => vi.unstubAllGlobals());

const HUNGARY = {
  round: 13,
  event_name: 'Hungarian Grand Prix',
  country: 'Hungary',
  location: 'Budapest',
  event_date: '2024-07-21T00:00:00',
  event_format: 'conventional',
  sessions: [
    { code: 'FP1', name: 'Practice 1', date: '2024-07-19T11:30:00Z' },
    { name: 'Qualifying', date: '2024-07-20T14:00:00Z' },
    { code: 'R', name: 'Race', date: '2024-07-21T13:00:00Z' },
  ],
};

describe('ExplorePage', () => {
  it('walks season -> event -> session and opens it', async () => {
    signIn();
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/telemetry/seasons/2024/schedule': { body: [HUNGARY] },
      'GET /api/v1/telemetry/samples': { body: samples },
    });
    renderAt('/', [{ path: '/', element: <ExplorePage /> }]);
    const event = screen.getByLabelText('Grand Prix');
    await screen.findByRole('option', { name: /Hungarian Grand Prix/ });
    const open = screen.getByRole('button', { name: 'Open session' });
    expect(open).toBeDisabled();
    await userEvent.selectOptions(event, '13');
    const session = screen.getByLabelText('Session');
    expect(within(session).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Select a session',
      expect.stringMatching(/^Practice 1/),
      expect.stringMatching(/^Qualifying/),
      expect.stringMatching(/^Race/),
    ]);
    await userEvent.selectOptions(session, 'Q');
    await userEvent.click(open);
    expect(screen.getByTestId('location')).toHaveTextContent('/sessions/2024/Hungarian%20Grand%20Prix/Q');
    expect(calls.some((c) => c.path === '/api/v1/telemetry/seasons/2024/schedule')).toBe(true);
  });

  it('shows why the calendar could not load and can retry', async () => {
    signIn();
    let attempts = 0;
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/telemetry/seasons/2024/schedule': () => {
        attempts += 1;
        return attempts === 1
          ? problemReply(503, 'Upstream rate limit reached, retry in 30 s', 'Service Unavailable')
          : { body: [HUNGARY] };
      },
      'GET /api/v1/telemetry/samples': { body: samples },
    });
    renderAt('/', [{ path: '/', element: <ExplorePage /> }]);
    expect(await screen.findByRole('alert')).toHaveTextContent('Upstream rate limit reached, retry in 30 s');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('option', { name: /Hungarian Grand Prix/ })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lists every stored sample session, grouped by session type', async () => {
    signIn();
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/telemetry/seasons/2024/schedule': { body: [HUNGARY] },
      'GET /api/v1/telemetry/samples': { body: samples },
    });
    renderAt('/', [{ path: '/', element: <ExplorePage /> }]);
    const group = async (name: string) =>
      within(await screen.findByRole('list', { name })).getAllByRole('link').map((l) => l.textContent);
    expect(await group('Races and sprints')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^2018 Azerbaijan GP · Race/), expect.stringMatching(/^2025 Miami GP · Sprint/),
    ]));
    expect(await group('Qualifying')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^2019 Italian GP · Qualifying/), expect.stringMatching(/^2024 Hungarian GP · Qualifying.*Full telemetry/),
    ]));
    expect(await group('Practice')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^2020 Hungarian GP · Practice 2/), expect.stringMatching(/^2022 British GP · Practice 1/),
      expect.stringMatching(/^2024 British GP · Practice 1/),
    ]));
    const total = (await group('Races and sprints')).length + (await group('Qualifying')).length + (await group('Practice')).length;
    expect(total).toBe(samples.length);
    expect(screen.getByRole('link', { name: /2018 Azerbaijan GP · Race/ })).toHaveAttribute('href', '/sessions/2018/Azerbaijan/R');
  });

  it('maps session names to codes when the schedule omits them', () => {
    expect(sessionChoices(HUNGARY).map((s) => s.code)).toEqual(['FP1', 'Q', 'R']);
  });
});
