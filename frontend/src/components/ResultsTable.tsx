import type { SessionInfo } from '../api/types';
import { formatGap, formatLapTime, teamColour } from '../lib/format';

interface ColumnSpec {
  key: string;
  label: string;
  render: (value: unknown, row: number) => string;
  numeric?: boolean;
}

const time = (v: unknown) => formatLapTime(typeof v === 'number' ? v : null);
const text = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));
const integer = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(Math.round(v)) : '—');

function raceTime(value: unknown, row: number): string {
  if (typeof value !== 'number') return '—';
  // FastF1 gives the winner's total race time and everyone else's gap to the winner.
  return row === 0 ? formatLapTime(value) : formatGap(value);
}

function columnsFor(code: string, results: SessionInfo['results']): ColumnSpec[] {
  const has = (key: string) =>
    Array.isArray(results[key]) && results[key].some((v) => v !== null && v !== '');
  const columns: ColumnSpec[] = [];
  if (code === 'Q' || code === 'SQ' || code === 'SS') {
    for (const key of ['q1_s', 'q2_s', 'q3_s']) {
      if (has(key)) columns.push({ key, label: key.slice(0, 2).toUpperCase(), render: time, numeric: true });
    }
  } else if (code === 'R' || code === 'S') {
    if (has('grid')) columns.push({ key: 'grid', label: 'Grid', render: integer, numeric: true });
    if (has('laps')) columns.push({ key: 'laps', label: 'Laps', render: integer, numeric: true });
    if (has('time_s')) columns.push({ key: 'time_s', label: 'Time / gap', render: raceTime, numeric: true });
    if (has('status')) columns.push({ key: 'status', label: 'Status', render: text });
    if (has('points')) columns.push({ key: 'points', label: 'Pts', render: integer, numeric: true });
  } else if (has('time_s')) {
    columns.push({ key: 'time_s', label: 'Best', render: time, numeric: true });
  }
  return columns;
}

export function ResultsTable({ info }: { info: SessionInfo }) {
  const results = info.results;
  const abbreviations = (results.abbreviation ?? []) as string[];
  const positions = (results.position ?? []) as (number | null)[];
  const drivers = new Map(info.drivers.map((d) => [d.abbreviation, d]));
  const columns = columnsFor(info.session.session, results);

  if (abbreviations.length === 0) {
    return <p className="muted">No classification is available for this session.</p>;
  }
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Session results">
      <table className="results">
        <caption className="visually-hidden">
          Classification of {info.session.event_name} {info.session.session_name}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">Pos</th>
            <th scope="col">Driver</th>
            <th scope="col" className="hide-narrow">Team</th>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : ''}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {abbreviations.map((abbreviation, row) => {
            const driver = drivers.get(abbreviation);
            return (
              <tr key={abbreviation}>
                <td className="num">{integer(positions[row])}</td>
                <th scope="row">
                  <span className="team-bar" style={{ background: teamColour(driver?.team_colour) }} />
                  <span className="abbr">{abbreviation}</span>
                  <span className="full-name">{driver?.full_name}</span>
                </th>
                <td className="hide-narrow">{driver?.team ?? text(results.team?.[row])}</td>
                {columns.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num mono' : ''}>
                    {c.render(results[c.key]?.[row], row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
