import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LapTable } from '../../api/types';
import { LapTimeChart, plottableLaps } from './LapTimeChart';

const session = {
  year: 2024, round: 13, event_name: 'Hungarian Grand Prix', country: 'Hungary', location: 'Budapest',
  session: 'Q' as const, session_name: 'Qualifying',
};
const drivers = [
  { abbreviation: 'NOR', number: '4', full_name: 'Lando Norris', team: 'McLaren', team_colour: 'FF8000' },
  { abbreviation: 'PIA', number: '81', full_name: 'Oscar Piastri', team: 'McLaren', team_colour: 'FF8000' },
  { abbreviation: 'VER', number: '1', full_name: 'Max Verstappen', team: 'Red Bull Racing', team_colour: '3671C6' },
];

function table(rows: [string, number, number | null, boolean?][]): LapTable {
  return {
    session,
    count: rows.length,
    laps: {
      driver: rows.map((r) => r[0]),
      lap_number: rows.map((r) => r[1]),
      lap_time_s: rows.map((r) => r[2]),
      deleted: rows.map((r) => r[3] ?? false),
    },
  };
}

describe('LapTimeChart', () => {
  it('leaves out untimed, deleted and slow laps', () => {
    const laps = plottableLaps(
      table([['NOR', 1, null], ['NOR', 2, 75.227], ['NOR', 3, 95.0], ['PIA', 2, 75.249], ['PIA', 3, 75.1, true]]),
      1.07,
    );
    expect(laps).toEqual([
      { driver: 'NOR', laps: [2], times: [75.227] },
      { driver: 'PIA', laps: [2], times: [75.249] },
    ]);
  });

  it('plots laps per driver, team-mates in different colours', () => {
    const { container } = render(
      <LapTimeChart
        table={table([['NOR', 5, 76.1], ['NOR', 8, 75.227], ['PIA', 5, 76.0], ['PIA', 8, 75.249], ['VER', 8, 75.273], ['VER', 9, 75.9]])}
        drivers={drivers}
        highlighted={['NOR', 'PIA']}
        isRace={false}
      />,
    );
    expect(container.querySelectorAll('path.lap-line')).toHaveLength(3);
    const fills = new Set([...container.querySelectorAll('.series.on circle')].map((c) => c.getAttribute('fill')));
    expect(fills).toEqual(new Set(['#FF8000', '#007fff']));
    expect(container.querySelectorAll('.series.off circle')).toHaveLength(2);
  });

  it('ranks best laps as gaps when there is one lap per driver', () => {
    render(
      <LapTimeChart
        table={table([['PIA', 18, 75.249], ['NOR', 17, 75.227], ['VER', 12, 75.273]])}
        drivers={drivers}
        highlighted={[]}
        isRace={false}
      />,
    );
    const chart = screen.getByRole('img', { name: /gap to the fastest, NOR 1:15.227/ });
    const values = [...chart.querySelectorAll('.bar-value')].map((t) => t.textContent);
    expect(values).toEqual(['1:15.227', '+0.022', '+0.046']);
  });
});
