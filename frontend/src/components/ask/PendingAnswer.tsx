import type { ToolCallStarted } from '../../api/askStream';
import type { ToolCallRecord } from '../../api/types';

export interface LiveCall extends ToolCallStarted {
  record?: ToolCallRecord;
}

export interface Pending {
  question: string;
  calls: LiveCall[];
  partial: string;
  /** Live progress stopped and the plain request is answering. */
  waitingWithoutProgress: boolean;
}

/** Pair a finished call with the oldest started call of that name still running. */
export function withResult(calls: LiveCall[], record: ToolCallRecord): LiveCall[] {
  const index = calls.findIndex((call) => !call.record && call.name === record.name);
  if (index === -1) return [...calls, { name: record.name, arguments: record.arguments ?? {}, record }];
  return calls.map((call, i) => (i === index ? { ...call, record } : call));
}

/** The question being answered: the tools it calls as they run, then the text as it is written. */
export function PendingAnswer({ pending }: { pending: Pending }) {
  return (
    <article className="answer pending" aria-busy="true" data-testid="pending-answer">
      <h3 className="answer-question">{pending.question}</h3>
      <div className="loading">
        <span className="spinner" aria-hidden="true" />
        <span>{pending.waitingWithoutProgress ? 'Still working on it…' : 'Working it out…'}</span>
      </div>
      {pending.calls.length > 0 && (
        <ul className="live-calls" aria-label="Tool calls so far">
          {pending.calls.map((call, i) => (
            <li key={i} className={call.record ? (call.record.ok ? 'done' : 'failed') : 'running'}>
              <code className="tool-name">{call.name}</code>{' '}
              <span className="muted small">
                {call.record ? (call.record.ok ? call.record.summary : call.record.error ?? 'failed') : 'running…'}
              </span>
            </li>
          ))}
        </ul>
      )}
      {pending.partial && <p className="answer-text partial">{pending.partial}</p>}
    </article>
  );
}
