import type { QualifyingOverviewFacts } from '../../api/types';
import { formatLapTime, teamColour } from '../../lib/format';
import { linearScale } from './scale';
import { useWidth } from './useWidth';

/** Gap to pole per driver in qualifying order, with a line where each segment's eliminations begin. */
export function QualifyingGapChart({ facts }: { facts: QualifyingOverviewFacts }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const drivers = facts.drivers.filter((d) => d.gap_to_pole_s !== null && d.gap_to_pole_s !== undefined);
  if (drivers.length === 0) return <p className="muted">No timed laps in this session.</p>;
  const row = 22;
  const margin = { left: 46, right: 130, top: 8, bottom: 8 };
  const height = margin.top + drivers.length * row + margin.bottom;
  const gaps = drivers.map((d) => d.gap_to_pole_s ?? 0);
  // A driver without a representative time (a penalty, a crash) can be 20 s off and would
  // squash everyone else: the axis stops at twice the gap of the driver at 85 %, and longer
  // bars run to the edge with their value written out.
  const typical = [...gaps].sort((p, q) => p - q)[Math.floor(gaps.length * 0.85)] ?? 0;
  const maxGap = Math.max(0.1, Math.min(Math.max(...gaps), Math.max(1, typical * 2)));
  const x = linearScale([0, maxGap], [margin.left, Math.max(margin.left + 60, width - margin.right)]);
  // A cut-off line above the first driver knocked out in each segment.
  const cutoffs = drivers
    .map((d, i) => ({ i, segment: d.knocked_out_in }))
    .filter((c, k, all) => c.segment && (k === 0 || all[k - 1].segment !== c.segment));
  return (
    <div ref={ref} className="quali-gaps">
      <svg role="img" width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="chart-svg"
        aria-label={`Gap to pole of ${drivers.length} drivers; pole ${facts.pole?.driver ?? ''} ${formatLapTime(facts.pole_time_s)}.`}>
        {drivers.map((d, i) => {
          const y = margin.top + i * row;
          const gap = Math.min(d.gap_to_pole_s ?? 0, maxGap);
          const ideal = d.ideal_lap_s !== null && d.ideal_lap_s !== undefined && facts.pole_time_s
            ? d.ideal_lap_s - facts.pole_time_s : null;
          return (
            <g key={d.driver} className="quali-row" data-driver={d.driver}>
              <title>{`${d.driver}: ${formatLapTime(d.best_lap_s)}${i ? `, +${(d.gap_to_pole_s ?? 0).toFixed(3)} s to pole` : ' (pole)'}${
                d.knocked_out_in ? `, out in ${d.knocked_out_in}` : ''}`}</title>
              <text x={margin.left - 8} y={y + row / 2} dy="0.32em" textAnchor="end" className="bar-label">{d.driver}</text>
              <rect x={margin.left} y={y + 4} height={row - 8} width={Math.max(2, x(gap) - margin.left)} rx={3}
                fill={teamColour(d.team_colour)} />
              {ideal !== null && ideal < gap - 0.0005 && (
                <line className="ideal-mark" x1={x(Math.max(0, ideal))} x2={x(Math.max(0, ideal))} y1={y + 2} y2={y + row - 2}>
                  <title>{`${d.driver}'s ideal lap (best sectors): ${formatLapTime(d.ideal_lap_s)}`}</title>
                </line>
              )}
              <text x={x(gap) + 6} y={y + row / 2} dy="0.32em" className="bar-value">
                {i === 0 ? formatLapTime(d.best_lap_s) : `+${(d.gap_to_pole_s ?? 0).toFixed(3)}`}
                {(d.gap_to_pole_s ?? 0) > maxGap ? ' ›' : ''}
                {d.knocked_out_in ? `  · ${d.knocked_out_in}` : ''}
              </text>
            </g>
          );
        })}
        {cutoffs.map((c) => {
          const y = margin.top + c.i * row;
          return (
            <g key={c.segment} className="cutoff">
              <line x1={4} x2={width - 4} y1={y} y2={y} />
              <text x={width - 6} y={y - 3} textAnchor="end">{`knocked out in ${c.segment}`}</text>
            </g>
          );
        })}
      </svg>
      <p className="muted small">Bars: each driver's best lap as the gap to pole. Thin mark: the ideal lap from
        the driver's best sectors, where it is quicker.</p>
    </div>
  );
}

const time = (v: number | null | undefined) => formatLapTime(v ?? null);

/** Each segment: who topped it, the slowest time that went through, and who went out. */
export function SegmentsTable({ facts }: { facts: QualifyingOverviewFacts }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Qualifying segments">
      <table className="results">
        <thead>
          <tr>
            <th scope="col">Segment</th>
            <th scope="col">Fastest</th>
            <th scope="col" className="num">Time</th>
            <th scope="col" className="num">Cut-off</th>
            <th scope="col">Knocked out</th>
          </tr>
        </thead>
        <tbody>
          {facts.segments.map((s) => (
            <tr key={s.segment}>
              <th scope="row">{s.segment}</th>
              <td className="mono">{s.fastest ?? '—'}</td>
              <td className="num mono">{time(s.fastest_s)}</td>
              <td className="num mono">{time(s.cutoff_s)}</td>
              <td className="wrap">{(s.eliminated ?? []).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Best lap against the lap the driver's best sectors add up to. */
export function IdealLapsTable({ facts }: { facts: QualifyingOverviewFacts }) {
  const segments = facts.segments.map((s) => s.segment);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Best and ideal laps">
      <table className="results">
        <thead>
          <tr>
            <th scope="col" className="num">Pos</th>
            <th scope="col">Driver</th>
            {segments.map((s) => <th key={s} scope="col" className="num">{s}</th>)}
            <th scope="col" className="num">Best</th>
            <th scope="col" className="num">Ideal</th>
            <th scope="col" className="num">Left on track</th>
          </tr>
        </thead>
        <tbody>
          {facts.drivers.map((d) => (
            <tr key={d.driver}>
              <td className="num">{d.finish_position ?? '—'}</td>
              <th scope="row">
                <span className="team-bar" style={{ background: teamColour(d.team_colour) }} />
                <span className="abbr">{d.driver}</span>
              </th>
              {segments.map((s) => <td key={s} className="num mono">{time(d.segment_best_s?.[s])}</td>)}
              <td className="num mono">{time(d.best_lap_s)}</td>
              <td className="num mono">{time(d.ideal_lap_s)}</td>
              <td className="num mono">{d.ideal_gain_s === null || d.ideal_gain_s === undefined ? '—' : `${d.ideal_gain_s.toFixed(3)} s`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
