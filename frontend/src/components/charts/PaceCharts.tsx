import type { PaceDistributionFacts } from '../../api/types';
import { compoundColour, compoundLabel, compoundOutline } from '../../lib/compounds';
import { formatLapTime, teamColour } from '../../lib/format';
import { linearScale, ticks } from './scale';
import { useWidth } from './useWidth';

/** A stable jitter in [-1, 1] per lap, so points do not dance between renders. */
function jitter(seed: number): number {
  const s = Math.sin(seed * 12.9898) * 43758.5453;
  return (s - Math.floor(s)) * 2 - 1;
}

const secondsTick = (t: number) => formatLapTime(t).replace(/\.\d+$/, '');

/** Each driver's clean laps: box (quartiles), whiskers (min-max), median, and the laps as points coloured by compound. */
export function PaceDistributionChart({ facts, year }: { facts: PaceDistributionFacts; year: number }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const drivers = facts.drivers.filter((d) => d.quantiles);
  if (drivers.length === 0) return <p className="muted">No clean laps to compare.</p>;
  const column = 34;
  const chartWidth = Math.max(width, drivers.length * column + 70);
  const height = 360;
  const margin = { left: 58, right: 10, top: 12, bottom: 40 };
  const low = Math.min(...drivers.map((d) => d.quantiles!.min_s));
  const high = Math.max(...drivers.map((d) => d.quantiles!.max_s));
  const y = linearScale([low - 0.2, high + 0.2], [height - margin.bottom, margin.top]);
  const step = (chartWidth - margin.left - margin.right) / drivers.length;
  const compounds = [...new Set(drivers.flatMap((d) => d.compound ?? []))].filter(Boolean) as string[];
  return (
    <div ref={ref} className="chart-scroll">
      <svg role="img" width={chartWidth} height={height} viewBox={`0 0 ${chartWidth} ${height}`} className="chart-svg"
        aria-label={`Clean-lap pace of ${drivers.length} drivers in finishing order, box from first to third quartile with the median. Fastest median: ${
          [...drivers].sort((p, q) => p.quantiles!.median_s - q.quantiles!.median_s)[0].driver}.`}>
        {ticks(y.domain, 6).map((t) => (
          <g key={t} className="tick">
            <line x1={margin.left} x2={chartWidth - margin.right} y1={y(t)} y2={y(t)} />
            <text x={margin.left - 6} y={y(t)} dy="0.32em" textAnchor="end">{secondsTick(t)}</text>
          </g>
        ))}
        {drivers.map((d, i) => {
          const q = d.quantiles!;
          const cx = margin.left + step * (i + 0.5);
          const half = Math.min(12, step * 0.32);
          const colour = teamColour(d.team_colour);
          return (
            <g key={d.driver} className="pace-box" data-driver={d.driver}>
              <title>{`${d.driver}: median ${formatLapTime(q.median_s)}, quartiles ${formatLapTime(q.q1_s)}-${formatLapTime(q.q3_s)}, ${d.clean_laps} clean laps`}</title>
              <line x1={cx} x2={cx} y1={y(q.min_s)} y2={y(q.max_s)} stroke={colour} className="whisker" />
              <rect x={cx - half} y={y(q.q3_s)} width={half * 2} height={Math.max(1, y(q.q1_s) - y(q.q3_s))}
                fill={colour} fillOpacity={0.25} stroke={colour} rx={3} />
              <line x1={cx - half} x2={cx + half} y1={y(q.median_s)} y2={y(q.median_s)} stroke={colour} className="median" />
              {(d.lap_time_s ?? []).map((t, k) => {
                const fill = compoundColour(d.compound?.[k], year);
                return (
                  <circle key={k} cx={cx + jitter((d.lap_number?.[k] ?? k) + i * 101) * half * 0.8} cy={y(t)} r={2.4}
                    fill={fill} stroke={compoundOutline(fill)} strokeWidth={0.6} className="lap-point">
                    <title>{`${d.driver} lap ${d.lap_number?.[k]}: ${formatLapTime(t)} (${compoundLabel(d.compound?.[k])})`}</title>
                  </circle>
                );
              })}
              <text x={cx} y={height - margin.bottom + 14} textAnchor="middle" className="bar-label">{d.driver}</text>
              <text x={cx} y={height - margin.bottom + 28} textAnchor="middle" className="muted-label">
                {d.finish_position ? `P${d.finish_position}` : ''}
              </text>
            </g>
          );
        })}
      </svg>
      <div className="legend">
        {compounds.map((c) => (
          <span key={c}><i className="swatch round" style={{ background: compoundColour(c, year),
            outline: compoundOutline(compoundColour(c, year)) === 'none' ? undefined : '1px solid #6b7280' }} />{compoundLabel(c)}</span>
        ))}
        <span className="muted small">Boxes: middle half of each driver's clean laps; line: median; whiskers: fastest to slowest.</span>
      </div>
    </div>
  );
}

/** Teams ranked by the median of their drivers' clean laps. */
export function TeamPaceChart({ facts }: { facts: PaceDistributionFacts }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const teams = facts.teams;
  if (teams.length === 0) return <p className="muted">No team pace to rank.</p>;
  const row = 30;
  const margin = { left: 118, right: 70, top: 8, bottom: 26 };
  const height = margin.top + teams.length * row + margin.bottom;
  const low = Math.min(...teams.map((t) => t.quantiles.q1_s));
  const high = Math.max(...teams.map((t) => t.quantiles.q3_s));
  const x = linearScale([low - 0.1, high + 0.1], [margin.left, Math.max(margin.left + 80, width - margin.right)]);
  return (
    <div ref={ref} className="team-pace">
      <svg role="img" width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="chart-svg"
        aria-label={`Team pace ranking by median clean lap: ${teams.map((t) => `${t.rank}. ${t.team}`).join(', ')}.`}>
        {ticks(x.domain, Math.max(2, Math.floor(width / 110))).map((t) => (
          <g key={t} className="tick">
            <line x1={x(t)} x2={x(t)} y1={margin.top} y2={height - margin.bottom} />
            <text x={x(t)} y={height - 8} textAnchor="middle">{formatLapTime(t).replace(/(\.\d)\d+$/, '$1')}</text>
          </g>
        ))}
        {teams.map((t, i) => {
          const cy = margin.top + i * row + row / 2;
          const colour = teamColour(t.team_colour);
          const q = t.quantiles;
          return (
            <g key={t.team} className="team-row" data-team={t.team}>
              <title>{`${t.rank}. ${t.team} (${t.drivers.join(', ')}): median ${formatLapTime(q.median_s)}, ${t.clean_laps} clean laps`}</title>
              <text x={margin.left - 8} y={cy} dy="0.32em" textAnchor="end" className="bar-label">{t.team}</text>
              <rect x={x(q.q1_s)} y={cy - 9} width={Math.max(2, x(q.q3_s) - x(q.q1_s))} height={18} rx={3}
                fill={colour} fillOpacity={0.8} />
              <line x1={x(q.median_s)} x2={x(q.median_s)} y1={cy - 11} y2={cy + 11} className="median-mark" />
              <text x={x(q.q3_s) + 6} y={cy} dy="0.32em" className="bar-value">
                {t.rank === 1 ? formatLapTime(q.median_s) : `+${t.gap_to_fastest_s.toFixed(3)}`}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="muted small">Bars span the middle half of each team's clean laps; the mark is the median.</p>
    </div>
  );
}

/** Who was quicker within each team, by median clean lap. */
export function TeammateTable({ facts }: { facts: PaceDistributionFacts }) {
  const largest = Math.max(0.1, ...facts.teammates.map((t) => Math.abs(t.median_delta_s ?? 0)));
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Team-mate pace">
      <table className="results">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Better finisher</th>
            <th scope="col">Team-mate</th>
            <th scope="col" className="num">Median gap</th>
            <th scope="col">Faster</th>
          </tr>
        </thead>
        <tbody>
          {facts.teammates.map((t) => (
            <tr key={t.team}>
              <th scope="row">{t.team}</th>
              <td className="mono">{t.driver_a}</td>
              <td className="mono">{t.driver_b}</td>
              <td className="num mono">
                {t.median_delta_s === null || t.median_delta_s === undefined ? '—' : (
                  <>
                    <span className="delta-bar" aria-hidden="true"
                      style={{ width: `${(Math.abs(t.median_delta_s) / largest) * 48}px` }} />
                    {Math.abs(t.median_delta_s).toFixed(3)} s
                  </>
                )}
              </td>
              <td className="mono">{t.faster ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
