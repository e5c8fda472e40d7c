import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LapComparison } from '../api/types';
import comparisonFixture from '../test/fixtures/hungary-2024-q-nor-pia.json';
import cornersFixture from '../test/fixtures/hungary-2024-corners.json';
import { USER, fakeServer, problemReply, signIn } from '../test/fakeServer';
import { renderAt } from '../test/render';
import { ComparePage, mapData } from './ComparePage';

afterEach(() => vi.unstubAllGlobals());

const comparison = comparisonFixture as unknown as LapComparison;
const base = '/api/v1/telemetry/sessions/2024/Hungary/Q';
const info = {
  session: comparison.session,
  has_telemetry: true,
  drivers: [
    { abbreviation: 'NOR', full_name: 'Lando Norris', team: 'McLaren', team_colour: 'FF8000' },
    { abbreviation: 'PIA', full_name: 'Oscar Piastri', team: 'McLaren', team_colour: 'FF8000' },
  ],
  results: { position: [1, 2], abbreviation: ['NOR', 'PIA'] },
};

function routes(analysisReply: object) {
  return {
    'GET /api/v1/auth/me': { body: USER },
    [`GET ${base}`]: { body: info },
    [`GET ${base}/laps`]: { body: { session: info.session, count: 0, laps: {} } },
    [`GET ${base}/compare`]: { body: comparison },
    [`GET ${base}/circuit`]: { body: { session: info.session, track_length_m: 4381, corners: cornersFixture.corners, outline: {} } },
    'GET /api/v1/analysis/sessions/2024/Hungary/Q/lap-comparison': analysisReply,
  };
}

describe('ComparePage', () => {
  it('asks for both laps and shows traces, map and insights', async () => {
    signIn();
    const { calls } = fakeServer(routes({
      body: { kind: 'lap_comparison', session: {}, facts: {}, insights: { source: 'deterministic', insights: [{ text: 'NOR was 0.022 s faster.' }] } },
    }));
    renderAt('/sessions/2024/Hungary/Q/compare?a=NOR&la=fastest&b=PIA&lb=18', [
      { path: '/sessions/:year/:event/:session/compare', element: <ComparePage /> },
    ]);
    expect(await screen.findByText('NOR was 0.022 s faster.')).toBeInTheDocument();
    expect(await screen.findByRole('img', { name: /Speed, throttle, brake and delta/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /who gains time/ })).toBeInTheDocument();
    const compare = calls.find((c) => c.path === `${base}/compare`)!;
    expect(Object.fromEntries(compare.query)).toMatchObject({ driver_a: 'NOR', lap_a: 'fastest', driver_b: 'PIA', lap_b: '18' });
    const analysis = calls.find((c) => c.path.endsWith('/lap-comparison'))!;
    expect(analysis.query.get('lap_b')).toBe('18');
    // The page's requests start while the stored token is still being checked: all carry it.
    expect(calls.map((c) => c.authorization)).toEqual(calls.map(() => 'Bearer access-1'));
  });

  it('keeps the traces when only the analysis fails, and says why it failed', async () => {
    signIn();
    fakeServer(routes(problemReply(504, 'The telemetry service did not answer in time', 'Gateway Timeout')));
    renderAt('/sessions/2024/Hungary/Q/compare?a=NOR&b=PIA', [
      { path: '/sessions/:year/:event/:session/compare', element: <ComparePage /> },
    ]);
    expect(await screen.findByRole('alert')).toHaveTextContent('The telemetry service did not answer in time');
    expect(await screen.findByRole('img', { name: /Speed, throttle, brake and delta/ })).toBeInTheDocument();
  });
});

describe('mapData', () => {
  it('falls back to the circuit outline, looking values up by distance', () => {
    const withoutPositions = { ...comparison, channels_a: { speed: comparison.channels_a.speed } };
    const outline = { x: [0, 10, 20], y: [0, 5, 0], distance: [0, 2000, 4000] };
    const data = mapData(withoutPositions, {
      session: comparison.session, track_length_m: 4381, rotation_deg: 0, corners: [], outline,
    })!;
    expect(data.xs).toEqual(outline.x);
    expect(data.speed[0]).toBe(comparison.channels_a.speed[0]);
    expect(data.delta).toHaveLength(3);
    expect(mapData(withoutPositions, undefined)).toBeNull();
  });
});
