import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, describeError } from '../api/http';
import type { AsyncState } from '../lib/useAsync';

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Worth retrying as is: the network, a timeout, rate limiting or the server's own trouble. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/** Shows what went wrong in the server's own words (problem+json `detail`). */
export function ErrorNotice({
  error,
  onRetry,
  title = 'Something went wrong',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  const heading = error instanceof ApiError && error.problem.title ? error.problem.title : title;
  return (
    <div className="notice notice-error" role="alert">
      <strong>{heading}</strong>
      <p>{describeError(error)}</p>
      {requestId && <p className="muted small">Reference: {requestId}</p>}
      {onRetry && isRetryable(error) && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A list page's states around its items: loading, why it failed, or nothing yet with a way to start. */
export function ListStatus({ state, what, isEmpty, empty }: {
  state: AsyncState<unknown> & { reload: () => void };
  what: string;
  isEmpty: boolean;
  empty: ReactNode;
}) {
  return (
    <>
      {state.status === 'loading' && !state.data && <Loading label={`Loading ${what}…`} />}
      {state.status === 'error' && (
        <ErrorNotice error={state.error} onRetry={state.reload} title={`Could not load ${what}`} />
      )}
      {state.data !== undefined && isEmpty && (
        <div className="card empty">
          <p>{empty}</p>
          <Link to="/" className="button primary">Explore a session</Link>
        </div>
      )}
    </>
  );
}
