import { describe, expect, it } from 'vitest';
import type { LapTable } from '../api/types';
import lapsFixture from '../test/fixtures/azerbaijan-2018-r-laps-ham-rai.json';
import { bestLap, lapByLapDelta, median } from './lapDelta';

const laps = lapsFixture as unknown as LapTable;

/** The fixture's lap time of one driver on one lap, read straight from its columns. */
function lapTime(driver: string, lap: number): number | null {
  const index = (laps.laps.driver as string[]).findIndex(
    (d, i) => d === driver && laps.laps.lap_number[i] === lap,
  );
  return index < 0 ? null : (laps.laps.lap_time_s[index] as number | null);
}

describe('lapByLapDelta', () => {
  it('takes B minus A on every lap both drivers have a time for (2018 Azerbaijan, HAM and RAI)', () => {
    const rows = lapByLapDelta(laps, 'HAM', 'RAI');
    const common = [...new Set(laps.laps.lap_number as number[])].filter(
      (lap) => lapTime('HAM', lap) !== null && lapTime('RAI', lap) !== null,
    );
    expect(rows.map((r) => r.lap)).toEqual(common.sort((p, q) => p - q));
    expect(rows.length).toBeGreaterThan(40);
    for (const row of rows) {
      expect(row.a).toBe(lapTime('HAM', row.lap));
      expect(row.b).toBe(lapTime('RAI', row.lap));
      expect(row.delta).toBeCloseTo(row.b - row.a, 3);
    }
    const summed = rows.reduce((sum, r) => sum + (r.b - r.a), 0);
    expect(rows[rows.length - 1].cumulative).toBeCloseTo(summed, 2);
  });

  it('is empty for a driver without laps and takes the middle value as the median', () => {
    expect(lapByLapDelta(laps, 'HAM', 'XYZ')).toEqual([]);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('bestLap', () => {
  it('finds the fastest timed lap and its sectors', () => {
    const best = bestLap(laps, 'HAM')!;
    const times = (laps.laps.lap_time_s as (number | null)[]).filter(
      (t, i): t is number => laps.laps.driver[i] === 'HAM' && typeof t === 'number',
    );
    expect(best.time).toBe(Math.min(...times));
    expect(lapTime('HAM', best.lap)).toBe(best.time);
    const row = (laps.laps.driver as string[]).findIndex((d, i) => d === 'HAM' && laps.laps.lap_number[i] === best.lap);
    expect(best.sectors).toEqual([laps.laps.sector1_s[row], laps.laps.sector2_s[row], laps.laps.sector3_s[row]]);
    expect(bestLap(laps, 'XYZ')).toBeNull();
  });
});
