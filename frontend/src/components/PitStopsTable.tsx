import type { StrategyFacts } from '../api/types';
import { compoundLabel } from '../lib/compounds';
import { formatGap } from '../lib/format';

const seconds = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(3)} s`);

/** Every stop with what it really cost against cars that stayed out, or why that cannot be measured. */
export function PitStopsTable({ facts }: { facts: StrategyFacts }) {
  if (facts.pit_stops.length === 0) return <p className="muted">No pit stops in this session.</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Pit stops">
      <table className="results pit-stops">
        <thead>
          <tr>
            <th scope="col">Driver</th>
            <th scope="col" className="num">In-lap</th>
            <th scope="col" className="num">Time lost</th>
            <th scope="col" className="num">Position</th>
            <th scope="col">Tyres</th>
            <th scope="col" className="num">In + out</th>
            <th scope="col" className="num">Others</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {facts.pit_stops.map((p) => {
            const inOut = p.in_lap_s !== null && p.in_lap_s !== undefined && p.out_lap_s !== null && p.out_lap_s !== undefined
              ? p.in_lap_s + p.out_lap_s : null;
            const gained = p.positions_gained;
            return (
              <tr key={`${p.driver}-${p.in_lap}`} data-driver={p.driver}>
                <th scope="row"><span className="abbr">{p.driver}</span></th>
                <td className="num mono">{p.in_lap}{p.neutralisation && <span className="badge neutral">{p.neutralisation}</span>}</td>
                <td className="num mono time-loss">{p.time_loss_s === null || p.time_loss_s === undefined ? 'not measurable' : formatGap(p.time_loss_s)}</td>
                <td className="num mono">
                  {p.position_before ?? '—'} → {p.position_after ?? '—'}
                  {gained !== null && gained !== undefined && gained !== 0 && (
                    <span className={gained > 0 ? 'gain' : 'loss'}> ({gained > 0 ? '+' : '−'}{Math.abs(gained)})</span>
                  )}
                </td>
                <td>{compoundLabel(p.compound_before)} → {compoundLabel(p.compound_after)}</td>
                <td className="num mono">{seconds(inOut)}</td>
                <td className="num mono" title="In-lap + out-lap median of the cars that pitted on neither lap">
                  {p.reference_s === null || p.reference_s === undefined ? '—' : `${p.reference_s.toFixed(3)} s (${p.comparison_cars ?? 0} cars)`}
                </td>
                <td className="note">{p.note ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const OUTCOME: Record<string, string> = { undercut: 'Undercut worked', overcut: 'Overcut worked', held: 'Order held' };

/** Undercut / overcut outcomes between cars close together before the first of them stopped. */
export function BattlesList({ facts }: { facts: StrategyFacts }) {
  const battles = facts.battles ?? [];
  if (battles.length === 0) return <p className="muted">No two cars were close enough around their stops to call an undercut or overcut.</p>;
  return (
    <ul className="battle-list">
      {battles.map((b) => (
        <li key={`${b.first_to_pit}-${b.other}-${b.first_in_lap}`}>
          <span className={`badge outcome-${b.outcome}`}>{OUTCOME[b.outcome] ?? b.outcome}</span>{' '}
          <b className="mono">{b.first_to_pit}</b> pitted on lap {b.first_in_lap}, <b className="mono">{b.other}</b> on lap {b.other_in_lap};
          gap {formatGap(b.gap_before_s)} before, {formatGap(b.gap_after_s)} after. Ahead: <b className="mono">{b.winner}</b>.
        </li>
      ))}
    </ul>
  );
}
