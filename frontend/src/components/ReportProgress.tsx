import { useState } from 'react';
import { reports } from '../api/endpoints';
import type { ReportJob } from '../api/types';
import { jobPhase, progressPercent } from '../lib/reportJob';
import { ErrorNotice } from './Status';

export function reportFilename(job: ReportJob): string {
  const base = (job.title ?? `pitwall-report-${job.id}`)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${base || 'pitwall-report'}.pdf`;
}

export function DownloadButton({ job }: { job: ReportJob }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      await reports.download(job.id, reportFilename(job));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="button primary" onClick={download} disabled={busy}>
        {busy ? 'Downloading…' : 'Download PDF'}
      </button>
      {error !== null && <ErrorNotice error={error} title="Download failed" />}
    </>
  );
}

export function ProgressBar({ job }: { job: ReportJob }) {
  const phase = jobPhase(job);
  const percent = progressPercent(job);
  const label =
    phase === 'done' ? 'Ready' :
    phase === 'failed' ? 'Failed' :
    phase === 'waiting' ? 'Queued' :
    job.stage ? capitalise(job.stage.replace(/_/g, ' ')) : 'Working';
  return (
    <div className={`progress progress-${phase}`}>
      <div className="progress-label">
        <span>{label}</span>
        <span className="mono">{percent}%</span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label="Report progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${label}, ${percent}%`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      {phase === 'failed' && job.error && <p className="error-text">{job.error}</p>}
    </div>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
