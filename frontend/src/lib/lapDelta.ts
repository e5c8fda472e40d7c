import type { LapTable } from '../api/types';

export interface LapDeltaRow {
  lap: number;
  a: number;
  b: number;
  /** B's lap time minus A's: positive when A was quicker on that lap. */
  delta: number;
  /** Running sum of `delta` over the laps both completed with a time. */
  cumulative: number;
}

function lapTimes(table: LapTable, driver: string): Map<number, number> {
  const drivers = (table.laps.driver ?? []) as string[];
  const numbers = (table.laps.lap_number ?? []) as (number | null)[];
  const times = (table.laps.lap_time_s ?? []) as (number | null)[];
  const out = new Map<number, number>();
  drivers.forEach((d, i) => {
    const lap = numbers[i];
    const time = times[i];
    if (d === driver && typeof lap === 'number' && typeof time === 'number') out.set(lap, time);
  });
  return out;
}

/** Lap-by-lap delta of two drivers from the laps table: only laps both have a time for. */
export function lapByLapDelta(table: LapTable, a: string, b: string): LapDeltaRow[] {
  const timesA = lapTimes(table, a);
  const timesB = lapTimes(table, b);
  const laps = [...timesA.keys()].filter((lap) => timesB.has(lap)).sort((p, q) => p - q);
  let cumulative = 0;
  return laps.map((lap) => {
    const delta = timesB.get(lap)! - timesA.get(lap)!;
    cumulative += delta;
    return {
      lap,
      a: timesA.get(lap)!,
      b: timesB.get(lap)!,
      delta: Math.round(delta * 1000) / 1000,
      cumulative: Math.round(cumulative * 1000) / 1000,
    };
  });
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface BestLap {
  lap: number;
  time: number;
  sectors: (number | null)[];
}

/** A driver's fastest timed lap with its three sector times, from the laps table. */
export function bestLap(table: LapTable, driver: string): BestLap | null {
  const drivers = (table.laps.driver ?? []) as string[];
  const numbers = (table.laps.lap_number ?? []) as (number | null)[];
  const times = (table.laps.lap_time_s ?? []) as (number | null)[];
  const sectorColumns = (['sector1_s', 'sector2_s', 'sector3_s'] as const).map(
    (name) => (table.laps[name] ?? []) as (number | null)[],
  );
  let best: BestLap | null = null;
  drivers.forEach((d, i) => {
    const time = times[i];
    const lap = numbers[i];
    if (d !== driver || typeof time !== 'number' || typeof lap !== 'number') return;
    if (best === null || time < best.time) {
      best = { lap, time, sectors: sectorColumns.map((column) => column[i] ?? null) };
    }
  });
  return best;
}
