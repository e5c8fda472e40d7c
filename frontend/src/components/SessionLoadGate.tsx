import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { telemetry } from '../api/endpoints';
import type { SessionKey } from '../api/endpoints';
import { describeError } from '../api/http';
import type { LoadStage, LoadStatus } from '../api/types';

const POLL_MS = 800;

type Gate =
  | { phase: 'checking' }
  | { phase: 'loading'; status: LoadStatus }
  | { phase: 'failed'; reason: string }
  | { phase: 'ready' };

const STATE_LABELS: Record<string, string> = {
  not_loaded: 'Asking the server to load this session',
  loading: 'Loading the session',
};

export const STAGE_LABELS: Record<LoadStage, string> = {
  queued: 'Waiting for a free loader',
  schedule: 'Reading the season schedule',
  session: 'Reading the session',
  results: 'Results and drivers',
  laps: 'Lap timing and track status',
  telemetry: 'Car telemetry',
  weather: 'Weather',
  messages: 'Race control messages',
  writing: 'Storing it for next time',
};

/** The server reports the share of the load done (0..1); the bar shows a percentage. */
export function progressPercent(progress: number | null | undefined): number | null {
  if (progress === null || progress === undefined || !Number.isFinite(progress)) return null;
  return Math.max(0, Math.min(100, Math.round(progress * 100)));
}

function failureReason(status: LoadStatus): string {
  const reason = status.reason ?? 'The server could not load this session.';
  return status.retry_after_s ? `${reason} It can be tried again in ${status.retry_after_s} s.` : reason;
}

/**
 * Shows how far the server has got loading a session that is not in its store yet (`status`,
 * after a `prewarm`), and renders the page once it is ready. A status that cannot be read (an
 * unknown event, say) lets the page through: its own request explains the problem.
 */
export function SessionLoadGate({ sessionKey, children }: { sessionKey: SessionKey; children: ReactNode }) {
  const [gate, setGate] = useState<Gate>({ phase: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let prewarmed = false;

    async function poll() {
      try {
        const status = await telemetry.status(sessionKey, controller.signal);
        if (controller.signal.aborted) return;
        if (status.state === 'ready') {
          setGate({ phase: 'ready' });
          return;
        }
        if (status.state === 'failed' && prewarmed) {
          setGate({ phase: 'failed', reason: failureReason(status) });
          return;
        }
        if (!prewarmed && (status.state === 'not_loaded' || status.state === 'failed')) {
          prewarmed = true;
          await telemetry.prewarm(sessionKey);
        }
        setGate({ phase: 'loading', status });
        timer = setTimeout(() => void poll(), POLL_MS);
      } catch (error) {
        if (controller.signal.aborted) return;
        if (prewarmed) setGate({ phase: 'failed', reason: describeError(error) });
        else setGate({ phase: 'ready' });
      }
    }

    setGate({ phase: 'checking' });
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [sessionKey, attempt]);

  if (gate.phase === 'ready') return <>{children}</>;
  if (gate.phase === 'failed') {
    return (
      <div className="card load-gate">
        <div className="notice notice-error" role="alert">
          <strong>This session could not be loaded</strong>
          <p>{gate.reason}</p>
          <button type="button" className="button secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  const status = gate.phase === 'loading' ? gate.status : null;
  const percent = progressPercent(status?.progress);
  const stage = status?.stage
    ? STAGE_LABELS[status.stage]
    : status ? STATE_LABELS[status.state] : 'Checking whether this session is stored';
  return (
    <div className="card load-gate" aria-live="polite">
      <h2>Preparing {sessionKey.year} {sessionKey.event} {sessionKey.session}</h2>
      <p className="muted">The first visit to a session loads and stores its data once; later visits
        open at once.</p>
      <div className={`progress${percent === null ? ' indeterminate' : ''}`}>
        <div className="progress-label">
          <span data-testid="load-stage">{stage}</span>
          {percent !== null && <span>{percent}%</span>}
        </div>
        <div className="progress-track" role="progressbar" aria-label="Loading the session"
          aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent ?? undefined}
          aria-valuetext={percent === null ? stage : `${stage}, ${percent}%`}>
          <div className="progress-fill" style={{ width: `${percent ?? 35}%` }} />
        </div>
      </div>
    </div>
  );
}
