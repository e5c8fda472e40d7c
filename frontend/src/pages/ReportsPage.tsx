import { useState } from 'react';
import { reports } from '../api/endpoints';
import type { ReportJob } from '../api/types';
import { DownloadButton, ProgressBar } from '../components/ReportProgress';
import { ErrorNotice, ListStatus } from '../components/Status';
import { formatDateTime } from '../lib/format';
import { jobPhase, useReportJob } from '../lib/reportJob';
import { useConfirmedDelete } from '../lib/useConfirmedDelete';
import { useAsync } from '../lib/useAsync';

function ReportRow({ initial, onDeleted }: { initial: ReportJob; onDeleted: (id: string) => void }) {
  const pending = jobPhase(initial) === 'waiting' || jobPhase(initial) === 'working';
  const [watching, setWatching] = useState(pending);
  const [retried, setRetried] = useState<ReportJob | null>(null);
  const { job: polled } = useReportJob(watching ? initial.id : null);
  const job = (watching ? polled : null) ?? retried ?? initial;
  const [retryError, setRetryError] = useState<unknown>(null);
  const removal = useConfirmedDelete(
    'Delete this report? This cannot be undone.',
    () => reports.remove(job.id),
    () => onDeleted(job.id),
  );
  const error = removal.error ?? retryError;

  async function retry() {
    setRetryError(null);
    try {
      setRetried(await reports.retry(job.id));
      setWatching(true);
    } catch (caught) {
      setRetryError(caught);
    }
  }

  return (
    <li className="report-row card">
      <div className="report-main">
        <h3>{job.title ?? `Report ${job.id.slice(0, 8)}`}</h3>
        {job.created_at && <p className="muted small">Created {formatDateTime(job.created_at)}</p>}
        <ProgressBar job={job} />
      </div>
      <div className="report-actions">
        {jobPhase(job) === 'done' && <DownloadButton job={job} />}
        {jobPhase(job) === 'failed' && (
          <button type="button" className="button secondary" onClick={() => void retry()}>
            Retry
          </button>
        )}
        <button type="button" className="button ghost danger" onClick={() => void removal.confirmAndDelete()}
          disabled={removal.deleting} aria-label={`Delete ${job.title ?? 'report'}`}>
          {removal.deleting ? 'Deleting…' : 'Delete'}
        </button>
      </div>
      {error !== null && <ErrorNotice error={error} title="That did not work" />}
    </li>
  );
}

export function ReportsPage() {
  const list = useAsync((signal) => reports.list(signal), []);
  const [deleted, setDeleted] = useState<Set<string>>(new Set());
  const items = (list.data ?? []).filter((job) => !deleted.has(job.id));

  return (
    <main id="main" className="page">
      <header className="page-header">
        <h1>My reports</h1>
        <p className="lead">PDF reports you have created. New ones appear here as they are
          written.</p>
      </header>
      <ListStatus state={list} what="your reports" isEmpty={items.length === 0}
        empty={<>No reports yet. Compare two laps and choose <b>Create PDF report</b>.</>} />
      {items.length > 0 && (
        <ul className="report-list" aria-label="Reports">
          {items.map((job) => (
            <ReportRow
              key={job.id}
              initial={job}
              onDeleted={(id) => setDeleted((previous) => new Set(previous).add(id))}
            />
          ))}
        </ul>
      )}
    </main>
  );
}
