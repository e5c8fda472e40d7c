import { useId, useMemo, useState } from 'react';
import type { MouseEvent } from 'react';
import type { Neutralisation, RaceTraceFacts } from '../../api/types';
import { formatGap } from '../../lib/format';
import { driverColours } from './colours';
import { linePath, linearScale, spreadLabels, ticks } from './scale';
import { useWidth } from './useWidth';

export interface DriverTrace {
  driver: string;
  laps: number[];
  gap: (number | null)[];
  position: (number | null)[];
  lapsDown: number[];
}

/** The columnar trace regrouped per driver, laps in order. */
export function traceByDriver(trace: RaceTraceFacts['trace']): Map<string, DriverTrace> {
  const out = new Map<string, DriverTrace>();
  trace.driver.forEach((driver, i) => {
    const entry = out.get(driver) ?? { driver, laps: [], gap: [], position: [], lapsDown: [] };
    entry.laps.push(trace.lap_number[i]);
    entry.gap.push(trace.gap_to_leader_s[i]);
    entry.position.push(trace.position[i]);
    entry.lapsDown.push(trace.laps_down?.[i] ?? 0);
    out.set(driver, entry);
  });
  return out;
}

/**
 * Where the gap axis stops. Lapped cars and laps behind a pit stop run to minutes and would
 * flatten the fight at the front: the axis covers the highlighted drivers' gaps on the lead lap
 * (or, with none highlighted, three quarters of all lead-lap gaps); longer lines are clipped.
 */
export function gapCeiling(trace: RaceTraceFacts['trace'], focus: ReadonlySet<string>): number {
  const gaps = trace.gap_to_leader_s.filter(
    (g, i): g is number =>
      typeof g === 'number' && (trace.laps_down?.[i] ?? 0) === 0 && (focus.size === 0 || focus.has(trace.driver[i])),
  );
  if (gaps.length === 0) return 10;
  const sorted = [...gaps].sort((p, q) => p - q);
  const ceiling = focus.size ? sorted[sorted.length - 1] : sorted[Math.floor(sorted.length * 0.75)];
  return Math.max(10, ceiling * 1.05);
}

const NEUTRAL_LABEL: Record<string, string> = { SC: 'Safety car', VSC: 'Virtual safety car', RED: 'Red flag' };

export function NeutralisationBands({ items, x, top, bottom }: {
  items: Neutralisation[];
  x: (lap: number) => number;
  top: number;
  bottom: number;
}) {
  return (
    <g className="neutralisations">
      {items.map((n) => (
        <g key={`${n.kind}-${n.first_lap}`} className={`band band-${n.kind.toLowerCase()}`}>
          <rect x={x(n.first_lap - 0.5)} y={top} width={Math.max(2, x(n.last_lap + 0.5) - x(n.first_lap - 0.5))}
            height={bottom - top}>
            <title>{`${NEUTRAL_LABEL[n.kind] ?? n.kind}: laps ${n.first_lap}-${n.last_lap}`}</title>
          </rect>
          <text x={x(n.first_lap - 0.5) + 3} y={top + 11}>{n.kind}</text>
        </g>
      ))}
    </g>
  );
}

/** How far behind the leader each car was at the end of every lap; SC/VSC laps shaded. */
export function RaceTraceChart({ facts, highlighted }: { facts: RaceTraceFacts; highlighted: string[] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [lap, setLap] = useState<number | null>(null);
  const series = useMemo(() => traceByDriver(facts.trace), [facts.trace]);
  const colours = driverColours(facts.drivers, highlighted);
  const focus = new Set(highlighted);
  const height = 340;
  const margin = { left: 52, right: 44, top: 16, bottom: 30 };
  const lastLap = Math.max(facts.total_laps, ...facts.trace.lap_number);
  const maxGap = gapCeiling(facts.trace, focus);
  const x = linearScale([0.5, lastLap + 0.5], [margin.left, width - margin.right]);
  const y = linearScale([0, maxGap], [margin.top, height - margin.bottom]);
  const ordered = facts.drivers.map((d) => d.driver).sort((p, q) => Number(focus.has(p)) - Number(focus.has(q)));
  const clipId = `clip${useId().replace(/:/g, '')}`;

  function onMove(event: MouseEvent<SVGSVGElement>) {
    const box = event.currentTarget.getBoundingClientRect();
    const value = Math.round(((event.clientX - box.left - margin.left) / (width - margin.left - margin.right)) * lastLap + 0.5);
    setLap(Math.min(lastLap, Math.max(1, value)));
  }

  const readout = lap === null ? null : (highlighted.length ? highlighted : facts.drivers.slice(0, 3).map((d) => d.driver))
    .map((driver) => {
      const s = series.get(driver);
      const i = s ? s.laps.indexOf(lap) : -1;
      if (!s || i < 0) return `${driver} —`;
      const down = s.lapsDown[i] > 0 ? ` (${s.lapsDown[i]} lap${s.lapsDown[i] > 1 ? 's' : ''} down)` : '';
      return `${driver} P${s.position[i] ?? '?'} ${s.gap[i] === 0 ? 'leader' : formatGap(s.gap[i])}${down}`;
    });

  return (
    <div ref={ref} className="race-trace">
      <svg role="img" width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="chart-svg"
        aria-label={`Gap to the leader at the end of each of ${lastLap} laps for ${series.size} drivers${
          highlighted.length ? `, highlighting ${highlighted.join(', ')}` : ''}. Shaded: ${
          (facts.neutralisations ?? []).map((n) => `${n.kind} laps ${n.first_lap}-${n.last_lap}`).join('; ') || 'none'}.`}
        onMouseMove={onMove} onClick={onMove} onMouseLeave={() => setLap(null)}>
        <defs>
          <clipPath id={clipId}>
            <rect x={margin.left} y={margin.top} width={Math.max(0, width - margin.left - margin.right)}
              height={height - margin.top - margin.bottom} />
          </clipPath>
        </defs>
        <NeutralisationBands items={facts.neutralisations ?? []} x={x} top={margin.top} bottom={height - margin.bottom} />
        {ticks(y.domain, 5).map((t) => (
          <g key={t} className="tick">
            <line x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} />
            <text x={margin.left - 6} y={y(t)} dy="0.32em" textAnchor="end">{t === 0 ? 'Leader' : `+${t}s`}</text>
          </g>
        ))}
        {ticks([1, lastLap], Math.max(2, Math.floor(width / 80))).filter(Number.isInteger).map((t) => (
          <text key={t} className="x-tick" x={x(t)} y={height - 10} textAnchor="middle">{t}</text>
        ))}
        <text className="axis-label" x={margin.left - 6} y={height - 10} textAnchor="end">Lap</text>
        <g clipPath={`url(#${clipId})`}>
          {ordered.map((driver) => {
            const s = series.get(driver);
            if (!s) return null;
            const on = focus.size === 0 || focus.has(driver);
            const colour = on ? (colours.get(driver) ?? '#8a8f98') : 'var(--faint)';
            return (
              <g key={driver} className={on ? 'series on' : 'series off'} data-driver={driver}>
                <path d={linePath(s.laps, s.gap, x, y)} stroke={colour} className="lap-line">
                  <title>{driver}</title>
                </path>
              </g>
            );
          })}
          {facts.drivers.filter((d) => focus.has(d.driver)).flatMap((d) => {
            const s = series.get(d.driver);
            return (d.pit_laps ?? []).map((pit) => {
              const i = s ? s.laps.indexOf(pit) : -1;
              const gap = s && i >= 0 ? s.gap[i] : null;
              if (gap === null) return null;
              return (
                <circle key={`${d.driver}-${pit}`} className="pit-mark" cx={x(pit)} cy={y(gap)} r={4}
                  fill="var(--surface)" stroke={colours.get(d.driver)} strokeWidth={2}>
                  <title>{`${d.driver} pitted on lap ${pit}`}</title>
                </circle>
              );
            });
          })}
        </g>
        <EndLabels
          items={facts.drivers.filter((d) => focus.has(d.driver)).flatMap((d) => {
            const s = series.get(d.driver);
            const last = s ? s.gap.length - 1 : -1;
            const gap = s && last >= 0 ? s.gap[last] : null;
            if (!s || gap === null || gap > y.domain[1]) return [];
            return [{ driver: d.driver, x: x(s.laps[last]) + 4, y: y(gap), colour: colours.get(d.driver) ?? '' }];
          })}
          bottom={height - margin.bottom}
        />
        {lap !== null && <line className="cursor" x1={x(lap)} x2={x(lap)} y1={margin.top} y2={height - margin.bottom} />}
      </svg>
      <p className="trace-readout" aria-live="polite">
        {readout ? `Lap ${lap}: ${readout.join(' · ')}` : 'Point at (or tap) the chart to read gaps and positions on a lap.'}
      </p>
    </div>
  );
}

/** Running order lap by lap: one line per driver, P1 at the top. */
export function PositionsChart({ facts, highlighted }: { facts: RaceTraceFacts; highlighted: string[] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const series = useMemo(() => traceByDriver(facts.trace), [facts.trace]);
  const colours = driverColours(facts.drivers, highlighted);
  const focus = new Set(highlighted);
  const count = facts.drivers.length;
  const height = Math.max(260, count * 18 + 50);
  const margin = { left: 34, right: 44, top: 12, bottom: 30 };
  const lastLap = Math.max(facts.total_laps, ...facts.trace.lap_number);
  const x = linearScale([1, lastLap], [margin.left, width - margin.right]);
  const y = linearScale([1, count], [margin.top, height - margin.bottom]);
  const ordered = facts.drivers.map((d) => d.driver).sort((p, q) => Number(focus.has(p)) - Number(focus.has(q)));
  return (
    <div ref={ref} className="positions-chart">
      <svg role="img" width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="chart-svg"
        aria-label={`Position of each of ${count} drivers at the end of every lap.`}>
        <NeutralisationBands items={facts.neutralisations ?? []} x={x} top={margin.top} bottom={height - margin.bottom} />
        {Array.from({ length: count }, (_, i) => i + 1).filter((p) => p === 1 || p % 5 === 0).map((p) => (
          <g key={p} className="tick">
            <line x1={margin.left} x2={width - margin.right} y1={y(p)} y2={y(p)} />
            <text x={margin.left - 6} y={y(p)} dy="0.32em" textAnchor="end">P{p}</text>
          </g>
        ))}
        {ticks([1, lastLap], Math.max(2, Math.floor(width / 80))).filter(Number.isInteger).map((t) => (
          <text key={t} className="x-tick" x={x(t)} y={height - 10} textAnchor="middle">{t}</text>
        ))}
        {ordered.map((driver) => {
          const s = series.get(driver);
          if (!s) return null;
          const on = focus.size === 0 || focus.has(driver);
          const colour = on ? (colours.get(driver) ?? '#8a8f98') : 'var(--faint)';
          const last = s.position.length - 1;
          const end = s.position[last];
          const retired = s.laps[last] < lastLap;
          return (
            <g key={driver} className={on ? 'series on' : 'series off'} data-driver={driver}>
              <path d={linePath(s.laps, s.position, x, y)} stroke={colour} className="lap-line">
                <title>{driver}</title>
              </path>
              {end !== null && (!retired || focus.has(driver)) && (
                <text x={x(s.laps[last]) + 4} y={y(end)} dy="0.32em" className="end-label"
                  fill={on ? colour : 'var(--muted)'}>{retired ? `${driver} ×` : driver}</text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** Driver names at the end of their lines, nudged apart where lines finish close together. */
function EndLabels({ items, bottom }: { items: { driver: string; x: number; y: number; colour: string }[]; bottom: number }) {
  const ys = spreadLabels(items.map((i) => i.y), 11, bottom);
  return (
    <g className="end-labels">
      {items.map((item, k) => (
        <text key={item.driver} className="end-label" x={item.x} y={ys[k]} dy="0.32em" fill={item.colour}>{item.driver}</text>
      ))}
    </g>
  );
}
