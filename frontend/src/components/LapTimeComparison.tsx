import { useId, useState } from 'react';
import type { Driver, LapTable } from '../api/types';
import { distinctColours, formatGap, formatLapTime, teamColour } from '../lib/format';
import { bestLap, lapByLapDelta, median } from '../lib/lapDelta';
import { linePath, linearScale, ticks } from './charts/scale';
import { useWidth } from './charts/useWidth';

/**
 * Two drivers compared lap by lap from the timing data alone, for sessions without car
 * telemetry: each lap's time and B's minus A's, with the running total.
 */
export function LapTimeComparison({ drivers, laps, initial, isRace }: {
  drivers: Driver[];
  laps: LapTable;
  initial: [string, string];
  /** In a race the per-lap differences add up to the change in the gap between the two cars. */
  isRace: boolean;
}) {
  const [a, setA] = useState(initial[0]);
  const [b, setB] = useState(initial[1]);
  const rows = lapByLapDelta(laps, a, b);
  const byCode = new Map(drivers.map((d) => [d.abbreviation, d]));
  const [colourA, colourB] = distinctColours(teamColour(byCode.get(a)?.team_colour), teamColour(byCode.get(b)?.team_colour));
  const quickerA = rows.filter((r) => r.delta > 0).length;
  const typical = median(rows.map((r) => r.delta));
  const total = rows.length ? rows[rows.length - 1].cumulative : null;

  return (
    <div className="lap-time-comparison">
      <div className="row">
        {([['a', a, setA], ['b', b, setB]] as const).map(([side, value, set]) => (
          <div className="field" key={side}>
            <label htmlFor={`laptime-${side}`}>{side === 'a' ? 'Driver A' : 'Driver B'}</label>
            <select id={`laptime-${side}`} value={value} onChange={(e) => set(e.target.value)}>
              {drivers.map((d) => (
                <option key={d.abbreviation} value={d.abbreviation}>{d.abbreviation}{d.full_name ? ` · ${d.full_name}` : ''}</option>
              ))}
            </select>
          </div>
        ))}
      </div>
      {a !== b && <BestLapTable laps={laps} a={a} b={b} />}
      {a === b ? (
        <p className="hint" role="status">Pick two different drivers.</p>
      ) : rows.length === 0 ? (
        <p className="muted">{a} and {b} have no timed lap in common.</p>
      ) : (
        <>
          <p className="lap-delta-summary" data-testid="lap-delta-summary">
            Over {rows.length} laps both timed, <b>{a}</b> was quicker on {quickerA} and <b>{b}</b> on{' '}
            {rows.length - quickerA - rows.filter((r) => r.delta === 0).length}. Median lap difference{' '}
            <b>{formatGap(typical)}</b> ({b} minus {a})
            {isRace ? <>; summed over those laps <b>{formatGap(total)}</b></> : ''}.
          </p>
          <LapDeltaChart rows={rows} a={{ label: a, colour: colourA }} b={{ label: b, colour: colourB }} />
        </>
      )}
    </div>
  );
}

interface Side { label: string; colour: string }

const sectorTime = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(3) : '—');

/** Each driver's fastest lap sector by sector, with B's time minus A's. */
export function BestLapTable({ laps, a, b }: { laps: LapTable; a: string; b: string }) {
  const bestA = bestLap(laps, a);
  const bestB = bestLap(laps, b);
  if (!bestA || !bestB) return null;
  const cells = [
    ...[0, 1, 2].map((k) => ({ label: `S${k + 1}`, a: bestA.sectors[k], b: bestB.sectors[k] })),
    { label: 'Lap', a: bestA.time, b: bestB.time },
  ];
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Fastest laps sector by sector">
      <table className="results best-laps">
        <thead>
          <tr>
            <th scope="col">Fastest lap</th>
            {cells.map((c) => <th key={c.label} scope="col" className="num">{c.label}</th>)}
          </tr>
        </thead>
        <tbody>
          {[{ code: a, best: bestA, key: 'a' as const }, { code: b, best: bestB, key: 'b' as const }].map((row) => (
            <tr key={row.key}>
              <th scope="row"><span className="abbr">{row.code}</span><span className="muted small">lap {row.best.lap}</span></th>
              {cells.map((c) => (
                <td key={c.label} className="num mono">{c.label === 'Lap' ? formatLapTime(c[row.key]) : sectorTime(c[row.key])}</td>
              ))}
            </tr>
          ))}
          <tr className="delta-row">
            <th scope="row">{b} − {a}</th>
            {cells.map((c) => (
              <td key={c.label} className="num mono">
                {typeof c.a === 'number' && typeof c.b === 'number' ? formatGap(c.b - c.a) : '—'}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

export function LapDeltaChart({ rows, a, b }: { rows: ReturnType<typeof lapByLapDelta>; a: Side; b: Side }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const clipId = `clip${useId().replace(/:/g, '')}`;
  const top = { height: 200, margin: 14 };
  const bottom = { height: 140 };
  const left = 60;
  const right = 14;
  const height = top.height + bottom.height + 30;
  const laps = rows.map((r) => r.lap);
  const x = linearScale([laps[0] - 0.5, laps[laps.length - 1] + 0.5], [left, Math.max(left + 10, width - right)]);
  // Lines break where a lap is missing rather than join laps that were not consecutive.
  const byLap = new Map(rows.map((r) => [r.lap, r]));
  const span = Array.from({ length: laps[laps.length - 1] - laps[0] + 1 }, (_, i) => laps[0] + i);
  // Slow laps (safety car, pit stops, cool-down laps) would squash the rest: the scale stops
  // at the 90th percentile and at most 10 % above the quickest lap.
  const times = rows.flatMap((r) => [r.a, r.b]).sort((p, q) => p - q);
  const ceiling = Math.min(times[Math.floor(times.length * 0.9)] ?? times[times.length - 1], times[0] * 1.1);
  const yTime = linearScale([times[0] - 0.3, ceiling + 0.5], [top.height, top.margin]);
  const biggest = Math.max(0.2, ...rows.map((r) => Math.min(5, Math.abs(r.delta))));
  const yDelta = linearScale([-biggest, biggest], [top.height + bottom.height, top.height + 20]);
  const barWidth = Math.max(1.5, (width - left - right) / rows.length - 2);
  const clip = (v: number) => Math.max(-biggest, Math.min(biggest, v));
  return (
    <div ref={ref} className="lap-delta-chart">
      <svg role="img" width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="chart-svg"
        aria-label={`Lap times of ${a.label} and ${b.label} over ${rows.length} laps, and the difference on each lap.`}>
        <defs>
          <clipPath id={clipId}><rect x={left} y={0} width={Math.max(0, width - left - right)} height={top.height} /></clipPath>
        </defs>
        {ticks(yTime.domain, 4).map((t) => (
          <g key={`t${t}`} className="tick">
            <line x1={left} x2={width - right} y1={yTime(t)} y2={yTime(t)} />
            <text x={left - 6} y={yTime(t)} dy="0.32em" textAnchor="end">{formatLapTime(t).replace(/\.\d+$/, '')}</text>
          </g>
        ))}
        <g clipPath={`url(#${clipId})`}>
          {[{ side: a, key: 'a' as const }, { side: b, key: 'b' as const }].map(({ side, key }) => (
            <path key={key} d={linePath(span, span.map((lap) => byLap.get(lap)?.[key] ?? null), x, yTime)}
              stroke={side.colour} className="lap-line trace" />
          ))}
        </g>
        <line className="zero" x1={left} x2={width - right} y1={yDelta(0)} y2={yDelta(0)} />
        <text x={left - 6} y={yDelta(biggest)} dy="0.32em" textAnchor="end" className="delta-hint">{a.label} +</text>
        <text x={left - 6} y={yDelta(-biggest)} dy="0.32em" textAnchor="end" className="delta-hint">{b.label} +</text>
        {rows.map((r) => (
          <rect key={r.lap} className="delta-bar-lap" x={x(r.lap) - barWidth / 2} width={barWidth}
            y={Math.min(yDelta(0), yDelta(clip(r.delta)))} height={Math.max(1, Math.abs(yDelta(clip(r.delta)) - yDelta(0)))}
            fill={r.delta >= 0 ? a.colour : b.colour}>
            <title>{`Lap ${r.lap}: ${a.label} ${formatLapTime(r.a)}, ${b.label} ${formatLapTime(r.b)}; ${
              r.delta === 0 ? 'level' : `${r.delta > 0 ? a.label : b.label} quicker by ${Math.abs(r.delta).toFixed(3)} s`}`}</title>
          </rect>
        ))}
        {ticks(x.domain, Math.max(2, Math.floor(width / 80))).filter(Number.isInteger).map((t) => (
          <text key={t} className="x-tick" x={x(t)} y={height - 8} textAnchor="middle">{t}</text>
        ))}
        <text className="axis-label" x={left - 6} y={height - 8} textAnchor="end">Lap</text>
      </svg>
      <div className="legend">
        <span><i className="swatch" style={{ background: a.colour }} />{a.label}</span>
        <span><i className="swatch" style={{ background: b.colour }} />{b.label}</span>
        <span className="muted small">Bars: the lap's difference, towards the driver who was quicker (capped at 5 s).</span>
      </div>
    </div>
  );
}
