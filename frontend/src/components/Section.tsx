import { useId } from 'react';
import type { ReactNode } from 'react';
import type { Narrative } from '../api/types';
import type { AsyncState } from '../lib/useAsync';
import { InsightsPanel } from './InsightsPanel';
import { ErrorNotice, Loading } from './Status';

/** A titled card; `actions` (downloads) sit beside the title. */
export function Section({ title, actions, children, className = '' }: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const id = useId();
  return (
    <section className={`card ${className}`} aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        {actions && <div className="section-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** Renders a request's data, or says it is loading, or why it failed (with a retry when worth it). */
export function Async<T>({ state, what, children }: {
  state: AsyncState<T> & { reload: () => void };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'error') {
    return <ErrorNotice error={state.error} onRetry={state.reload} title={`Could not load ${what}`} />;
  }
  if (state.data === undefined) return <Loading label={`Loading ${what}…`} />;
  return <>{children(state.data)}</>;
}

/** How each figure was computed, as the facts state it. */
export function Rules({ rules, notes = [] }: { rules: Record<string, string>; notes?: string[] }) {
  const entries = Object.entries(rules);
  if (entries.length === 0 && notes.length === 0) return null;
  return (
    <details className="rules">
      <summary>How these figures are computed</summary>
      <dl>
        {entries.map(([name, rule]) => (
          <div key={name}>
            <dt>{name.replace(/_/g, ' ')}</dt>
            <dd>{rule}</dd>
          </div>
        ))}
      </dl>
      {notes.length > 0 && (
        <ul className="notes">
          {notes.map((note, i) => <li key={i}>{note}</li>)}
        </ul>
      )}
    </details>
  );
}

/** An analysis' narrative with the rules its figures follow. */
export function AnalysisInsights({ title, insights, rules, notes = [] }: {
  title: string;
  insights: Narrative;
  rules: Record<string, string>;
  notes?: string[];
}) {
  return (
    <Section title={title}>
      <InsightsPanel narrative={insights} empty="Nothing to add beyond the chart." />
      <Rules rules={rules} notes={notes} />
    </Section>
  );
}
