import type { StintFact, StrategyFacts } from '../../api/types';
import { compoundColour, compoundLabel, compoundOutline } from '../../lib/compounds';
import { formatLapTime } from '../../lib/format';
import { driverColours } from './colours';
import { linearScale, ticks } from './scale';
import { NeutralisationBands } from './RaceTraceChart';
import { useWidth } from './useWidth';

/** Tyre strategy: each driver's stints as bars over the race distance, in finishing order. */
export function StintBars({ facts, year }: { facts: StrategyFacts; year: number }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const row = 22;
  const margin = { left: 44, right: 12, top: 8, bottom: 26 };
  const order = facts.drivers.map((d) => d.driver);
  const height = margin.top + order.length * row + margin.bottom;
  const x = linearScale([0.5, facts.total_laps + 0.5], [margin.left, width - margin.right]);
  const byDriver = new Map<string, StintFact[]>();
  for (const stint of facts.stints) byDriver.set(stint.driver, [...(byDriver.get(stint.driver) ?? []), stint]);
  const compounds = [...new Set(facts.stints.map((s) => s.compound ?? 'UNKNOWN'))];
  return (
    <div ref={ref} className="stint-bars">
      <svg role="img" width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="chart-svg"
        aria-label={`Tyre strategy of ${order.length} drivers over ${facts.total_laps} laps.`}>
        <NeutralisationBands items={facts.neutralisations ?? []} x={x} top={margin.top} bottom={height - margin.bottom} />
        {ticks([1, facts.total_laps], Math.max(2, Math.floor(width / 80))).filter(Number.isInteger).map((t) => (
          <text key={t} className="x-tick" x={x(t)} y={height - 8} textAnchor="middle">{t}</text>
        ))}
        {order.map((driver, i) => {
          const y = margin.top + i * row;
          return (
            <g key={driver} data-driver={driver}>
              <text x={margin.left - 6} y={y + row / 2} dy="0.32em" textAnchor="end" className="bar-label">{driver}</text>
              {(byDriver.get(driver) ?? []).map((s) => {
                const fill = compoundColour(s.compound, year);
                const left = x(s.first_lap - 0.5);
                const barWidth = Math.max(2, x(s.last_lap + 0.5) - left - 1.5);
                return (
                  <g key={s.stint} className="stint">
                    <rect x={left} y={y + 3} width={barWidth} height={row - 6} rx={4} fill={fill}
                      stroke={compoundOutline(fill)} />
                    <title>{`${driver} stint ${s.stint}: ${compoundLabel(s.compound)}, laps ${s.first_lap}-${s.last_lap} (${s.laps} laps${
                      s.tyre_age_start ? `, tyres ${s.tyre_age_start} laps old at the start` : ''})`}</title>
                    {barWidth > 26 && (
                      <text x={left + barWidth / 2} y={y + row / 2} dy="0.32em" textAnchor="middle" className="stint-label">
                        {s.laps}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <div className="legend">
        {compounds.map((c) => (
          <span key={c}><i className="swatch" style={{ background: compoundColour(c, year) }} />{compoundLabel(c)}</span>
        ))}
        <span className="muted small">Numbers: laps in the stint. Shaded: safety car periods.</span>
      </div>
    </div>
  );
}

/** Lap time against tyre age per stint, with each stint's fitted slope drawn over its laps. */
export function DegradationChart({ facts, drivers, year }: { facts: StrategyFacts; drivers: string[]; year: number }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const chosen = new Set(drivers);
  const stints = facts.stints.filter((s) => chosen.has(s.driver) && (s.clean_lap_time_s ?? []).length > 0);
  const colours = driverColours(facts.drivers, drivers);
  if (stints.length === 0) return <p className="muted">Pick drivers with clean laps to see their tyre degradation.</p>;
  const height = 320;
  const margin = { left: 58, right: 16, top: 12, bottom: 34 };
  const ages = stints.flatMap((s) => s.clean_tyre_age ?? []);
  const times = stints.flatMap((s) => s.clean_lap_time_s ?? []);
  const x = linearScale([Math.min(...ages) - 0.5, Math.max(...ages) + 0.5], [margin.left, width - margin.right]);
  const y = linearScale([Math.min(...times) - 0.2, Math.max(...times) + 0.2], [height - margin.bottom, margin.top]);
  return (
    <div ref={ref} className="degradation">
      <svg role="img" width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="chart-svg"
        aria-label={`Lap time against tyre age for ${drivers.join(', ')}, ${stints.length} stints with fitted slopes.`}>
        {ticks(y.domain, 5).map((t) => (
          <g key={t} className="tick">
            <line x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} />
            <text x={margin.left - 6} y={y(t)} dy="0.32em" textAnchor="end">{formatLapTime(t).replace(/(\.\d)\d+$/, '$1')}</text>
          </g>
        ))}
        {ticks(x.domain, Math.max(2, Math.floor(width / 80))).filter(Number.isInteger).map((t) => (
          <text key={t} className="x-tick" x={x(t)} y={height - 12} textAnchor="middle">{t}</text>
        ))}
        <text className="axis-label" x={width - margin.right} y={height - 0} textAnchor="end">Tyre age (laps)</text>
        {stints.map((s) => {
          const fill = compoundColour(s.compound, year);
          const colour = colours.get(s.driver) ?? '#8a8f98';
          const stintAges = s.clean_tyre_age ?? [];
          const slope = s.degradation_s_per_lap;
          const intercept = s.degradation_intercept_s;
          const a0 = Math.min(...stintAges);
          const a1 = Math.max(...stintAges);
          return (
            <g key={`${s.driver}-${s.stint}`} className="deg-stint" data-driver={s.driver}>
              {(s.clean_lap_time_s ?? []).map((t, k) => (
                <circle key={k} cx={x(stintAges[k])} cy={y(t)} r={3} fill={fill} stroke={colour} strokeWidth={1.2}>
                  <title>{`${s.driver} stint ${s.stint}, tyre age ${stintAges[k]}: ${formatLapTime(t)}`}</title>
                </circle>
              ))}
              {slope !== null && slope !== undefined && intercept !== null && intercept !== undefined && (
                <line className="fit-line" x1={x(a0)} x2={x(a1)} y1={y(intercept + slope * a0)} y2={y(intercept + slope * a1)}
                  stroke={colour}>
                  <title>{`${s.driver} stint ${s.stint} (${compoundLabel(s.compound)}): ${slope >= 0 ? '+' : ''}${slope.toFixed(3)} s per lap`}</title>
                </line>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="fit-list">
        {stints.map((s) => (
          <li key={`${s.driver}-${s.stint}`}>
            <i className="swatch" style={{ background: colours.get(s.driver) }} />
            <b className="mono">{s.driver}</b> stint {s.stint}, {compoundLabel(s.compound)}:{' '}
            {s.degradation_s_per_lap === null || s.degradation_s_per_lap === undefined
              ? 'too few clean laps for a slope'
              : `${s.degradation_s_per_lap >= 0 ? '+' : ''}${s.degradation_s_per_lap.toFixed(3)} s/lap over ${s.clean_laps} clean laps`}
          </li>
        ))}
      </ul>
    </div>
  );
}
