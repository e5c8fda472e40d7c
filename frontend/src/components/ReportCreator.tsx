import { useState } from 'react';
import { Link } from 'react-router-dom';
import { reports } from '../api/endpoints';
import type { ReportRequest } from '../api/types';
import { jobPhase, useReportJob } from '../lib/reportJob';
import { DownloadButton, ProgressBar } from './ReportProgress';
import { ErrorNotice, Loading } from './Status';

/** Ask for a PDF report, follow its progress in place, and offer the download when ready. */
export function ReportCreator({ request, description }: { request: ReportRequest; description: string }) {
  const [id, setId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { job, error: pollError } = useReportJob(id);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const created = await reports.create(request);
      setId(created.id);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const finished = job && (jobPhase(job) === 'done' || jobPhase(job) === 'failed');
  return (
    <div className="report-creator">
      <p className="muted">{description}</p>
      {(!id || finished) && (
        <button type="button" className="button secondary" onClick={create} disabled={busy}>
          {busy ? 'Creating…' : id ? 'Create another report' : 'Create PDF report'}
        </button>
      )}
      {error !== null && <ErrorNotice error={error} title="Could not create the report" />}
      {id && !job && <Loading label="Report queued…" />}
      {job && (
        <div className="report-status" aria-live="polite">
          <ProgressBar job={job} />
          {jobPhase(job) === 'done' && (
            <div className="row">
              <DownloadButton job={job} />
              <Link to="/reports">All my reports</Link>
            </div>
          )}
        </div>
      )}
      {pollError !== null && <ErrorNotice error={pollError} title="Lost track of the report" />}
    </div>
  );
}
