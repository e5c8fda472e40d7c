import type { Narrative } from '../api/types';

/** The narrative, saying plainly who wrote it: a language model or our deterministic writer. */
export function InsightsPanel({ narrative, empty = 'No insights for these two laps.' }: { narrative: Narrative; empty?: string }) {
  const fromModel = narrative.source === 'model';
  const dropped = narrative.dropped_claims ?? [];
  return (
    <div className="insights">
      <p className="insight-source">
        <span className={`badge ${fromModel ? 'model' : 'deterministic'}`} data-testid="insight-source">
          {fromModel ? `Written by a model${narrative.model ? ` (${narrative.model})` : ''}` : 'Written by the deterministic writer'}
        </span>
        <span className="muted small">
          {fromModel
            ? 'Every number it cites was checked against the computed facts.'
            : 'Generated directly from the computed facts.'}
          {narrative.cached ? ' Cached.' : ''}
        </span>
      </p>
      {!fromModel && narrative.fallback_reason && (
        <p className="muted small fallback">Why not a model: {narrative.fallback_reason}</p>
      )}
      {narrative.insights.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="insight-list">
          {narrative.insights.map((insight, i) => (
            <li key={i}>{insight.text}</li>
          ))}
        </ul>
      )}
      {dropped.length > 0 && (
        <details className="dropped">
          <summary>
            {dropped.length} claim{dropped.length === 1 ? '' : 's'} removed because the numbers did
            not match the facts
          </summary>
          <ul>
            {dropped.map((claim, i) => (
              <li key={i}>{claim}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
