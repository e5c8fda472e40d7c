import { useMemo } from 'react';
import type { Driver, LapTable } from '../../api/types';
import { formatLapTime } from '../../lib/format';
import { driverColours } from './colours';
import { extent, linePath, linearScale, ticks } from './scale';
import { useWidth } from './useWidth';

export interface DriverLaps {
  driver: string;
  laps: number[];
  times: number[];
}

/** Per driver, the laps worth plotting: timed, and not far off the pace (no in/out laps). */
export function plottableLaps(table: LapTable, slowFactor: number): DriverLaps[] {
  const drivers = (table.laps.driver ?? []) as string[];
  const numbers = (table.laps.lap_number ?? []) as (number | null)[];
  const times = (table.laps.lap_time_s ?? []) as (number | null)[];
  const deleted = (table.laps.deleted ?? []) as (boolean | null)[];
  const fastest = Math.min(...times.filter((t): t is number => typeof t === 'number'));
  const limit = fastest * slowFactor;
  const byDriver = new Map<string, DriverLaps>();
  drivers.forEach((driver, i) => {
    const time = times[i];
    const lap = numbers[i];
    if (typeof time !== 'number' || typeof lap !== 'number' || time > limit || deleted[i]) return;
    const entry = byDriver.get(driver) ?? { driver, laps: [], times: [] };
    entry.laps.push(lap);
    entry.times.push(time);
    byDriver.set(driver, entry);
  });
  return [...byDriver.values()];
}

export function LapTimeChart({
  table,
  drivers,
  highlighted,
  isRace,
}: {
  table: LapTable;
  drivers: Driver[];
  highlighted: string[];
  isRace: boolean;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const series = useMemo(() => plottableLaps(table, isRace ? 1.12 : 1.07), [table, isRace]);
  const colours = driverColours(drivers.map((d) => ({ driver: d.abbreviation, team_colour: d.team_colour })), highlighted);
  const height = 280;
  const margin = { left: 64, right: 16, top: 14, bottom: 34 };

  if (series.length === 0) {
    return <p className="muted">No timed laps to plot for this session.</p>;
  }
  const lapsPerDriver = series.reduce((sum, s) => sum + s.laps.length, 0) / series.length;
  if (lapsPerDriver < 2) {
    // Only a best lap per driver (e.g. a telemetry-only sample): a ranking reads better.
    return <BestLapBars series={series} colours={colours} highlighted={highlighted} />;
  }
  const xDomain = (extent(series.flatMap((s) => s.laps)) ?? [1, 2]) as [number, number];
  const yRange = (extent(series.flatMap((s) => s.times)) ?? [60, 61]) as [number, number];
  const x = linearScale(xDomain, [margin.left, width - margin.right]);
  const y = linearScale([yRange[0] - 0.3, yRange[1] + 0.3], [height - margin.bottom, margin.top]);
  const focus = new Set(highlighted);
  // Background drivers first so the highlighted ones are drawn on top.
  const ordered = [...series].sort(
    (p, q) => Number(focus.has(p.driver)) - Number(focus.has(q.driver)),
  );
  const fastestTimes = series
    .map((s) => ({ driver: s.driver, best: Math.min(...s.times) }))
    .sort((p, q) => p.best - q.best);

  return (
    <div ref={ref} className="lap-chart">
      <svg
        role="img"
        aria-label={`Lap times by lap number for ${series.length} drivers. Fastest: ${
          fastestTimes[0].driver
        } ${formatLapTime(fastestTimes[0].best)}.`}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        className="chart-svg"
      >
        {ticks(y.domain, 5).map((t) => (
          <g key={t} className="tick">
            <line x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} />
            <text x={margin.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
              {formatLapTime(t).replace(/\.\d+$/, '')}
            </text>
          </g>
        ))}
        {ticks(xDomain, Math.max(2, Math.floor(width / 90))).filter(Number.isInteger).map((t) => (
          <text key={t} className="x-tick" x={x(t)} y={height - 12} textAnchor="middle">
            {t}
          </text>
        ))}
        <text className="axis-label" x={margin.left - 6} y={height - 12} textAnchor="end">
          Lap
        </text>
        {ordered.map((s) => {
          const on = focus.size === 0 || focus.has(s.driver);
          const colour = on ? (colours.get(s.driver) ?? '#8a8f98') : 'var(--faint)';
          return (
            <g key={s.driver} className={on ? 'series on' : 'series off'}>
              <path d={linePath(s.laps, s.times, x, y)} stroke={colour} className="lap-line" />
              {s.laps.map((lap, i) => (
                <circle key={lap} cx={x(lap)} cy={y(s.times[i])} r={on ? 3.5 : 2.5} fill={colour}>
                  <title>{`${s.driver} lap ${lap}: ${formatLapTime(s.times[i])}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <div className="legend">
        {highlighted.filter((d) => colours.has(d)).map((d) => (
          <span key={d}><i className="swatch" style={{ background: colours.get(d) }} />{d}</span>
        ))}
        <span className="muted small">Others in grey. In- and out-laps and laps well off the pace
          are left out.</span>
      </div>
    </div>
  );
}

function BestLapBars({
  series,
  colours,
  highlighted,
}: {
  series: DriverLaps[];
  colours: Map<string, string>;
  highlighted: string[];
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const best = series
    .map((s) => ({ driver: s.driver, time: Math.min(...s.times) }))
    .sort((p, q) => p.time - q.time);
  const pole = best[0].time;
  const row = 22;
  const margin = { left: 46, right: 120, top: 8 };
  const height = margin.top + best.length * row + 8;
  const maxGap = Math.max(0.1, best[best.length - 1].time - pole);
  const x = linearScale([0, maxGap], [margin.left, Math.max(margin.left + 40, width - margin.right)]);
  const focus = new Set(highlighted);
  return (
    <div ref={ref} className="lap-chart">
      <svg role="img" width={width} height={height} viewBox={`0 0 ${width} ${height}`}
        className="chart-svg"
        aria-label={`Best lap of ${best.length} drivers as a gap to the fastest, ${best[0].driver} ${formatLapTime(pole)}.`}>
        {best.map((b, i) => {
          const y = margin.top + i * row;
          const on = focus.size === 0 || focus.has(b.driver);
          const colour = colours.get(b.driver) ?? '#8a8f98';
          const gap = b.time - pole;
          return (
            <g key={b.driver} className={on ? 'series on' : 'series off'}>
              <text x={margin.left - 8} y={y + row / 2} dy="0.32em" textAnchor="end"
                className="bar-label">{b.driver}</text>
              <rect x={margin.left} y={y + 4} height={row - 8}
                width={Math.max(2, x(gap) - margin.left)} rx={3} fill={colour}
                opacity={on ? 1 : 0.35} />
              <text x={Math.max(2, x(gap)) + 6} y={y + row / 2} dy="0.32em" className="bar-value">
                {i === 0 ? formatLapTime(b.time) : `+${gap.toFixed(3)}`}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="muted small">Each driver's best lap, as the gap to the fastest.</p>
    </div>
  );
}
