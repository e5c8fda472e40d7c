import { useId } from 'react';
import { Link } from 'react-router-dom';
import type { AskAnswer, ToolCallRecord } from '../../api/types';
import { isAppPath } from '../../lib/askExamples';
import { formatDateTime } from '../../lib/format';
import { ChartImage } from './ChartImage';

/** Says plainly who wrote an answer and why: a model, or the rules because no model could. */
export function AnswererBadge({ answer }: { answer: Pick<AskAnswer, 'answerer' | 'answerer_reason'> }) {
  const fromModel = answer.answerer === 'model';
  return (
    <p className="insight-source">
      <span className={`badge ${fromModel ? 'model' : 'deterministic'}`} data-testid="answerer">
        {fromModel ? 'Answered by a model' : 'Answered by the rules'}
      </span>
      {answer.answerer_reason && <span className="muted small">{answer.answerer_reason}</span>}
    </p>
  );
}

function AnswerText({ text }: { text: string }) {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return (
    <div className="answer-text">
      {paragraphs.map((paragraph, i) => <p key={i}>{paragraph}</p>)}
    </div>
  );
}

/** What the answer rests on: each tool call with its one-line summary, opening the page that shows it. */
export function ToolCallList({ calls }: { calls: ToolCallRecord[] }) {
  if (calls.length === 0) return null;
  return (
    <div className="tool-calls">
      <h4>Based on</h4>
      <ul>
        {calls.map((call, i) => (
          <li key={i} className={call.ok ? 'tool-call' : 'tool-call failed'}>
            <code className="tool-name">{call.name}</code>{' '}
            {isAppPath(call.link) ? <Link to={call.link}>{call.summary || call.name}</Link> : <span>{call.summary}</span>}
            {!call.ok && <span className="error-text"> {call.error ?? 'This call failed.'}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function AnswerCard({ answer }: { answer: AskAnswer }) {
  const id = useId();
  const dropped = answer.dropped_claims ?? [];
  const calls = answer.tool_calls ?? [];
  const charts = calls.filter((call) => call.ok && call.chart_url);
  return (
    <article className="answer" aria-labelledby={id} data-testid="answer">
      <h3 id={id} className="answer-question">{answer.question}</h3>
      <AnswererBadge answer={answer} />
      <AnswerText text={answer.text} />
      {charts.map((call, i) => (
        <ChartImage key={i} path={call.chart_url as string} alt={`Chart: ${call.summary || call.name}`} />
      ))}
      {dropped.length > 0 && (
        <details className="dropped">
          <summary>
            {dropped.length} claim{dropped.length === 1 ? '' : 's'} removed because the numbers did
            not match the tool results
          </summary>
          <ul>
            {dropped.map((claim, i) => <li key={i}>{claim}</li>)}
          </ul>
        </details>
      )}
      <ToolCallList calls={calls} />
      {answer.created_at && <p className="muted small answer-time">{formatDateTime(answer.created_at)}</p>}
    </article>
  );
}
