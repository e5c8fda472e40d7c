import { useEffect, useState } from 'react';
import { reports } from '../api/endpoints';
import type { ReportJob } from '../api/types';

export type JobPhase = 'waiting' | 'working' | 'done' | 'failed';

/** Collapse the service's job states into what the screen needs to show. */
export function jobPhase(job: Pick<ReportJob, 'status'>): JobPhase {
  switch (job.status) {
    case 'succeeded':
      return 'done';
    case 'failed':
      return 'failed';
    case 'running':
      return 'working';
    default:
      return 'waiting';
  }
}

/** Progress as a whole percentage, 0-100. */
export function progressPercent(job: Pick<ReportJob, 'progress' | 'status'>): number {
  if (jobPhase(job) === 'done') return 100;
  const raw = Number(job.progress ?? 0);
  if (!Number.isFinite(raw)) return 0;
  return Math.round(Math.max(0, Math.min(100, raw <= 1 ? raw * 100 : raw)));
}

export const POLL_INTERVAL_MS = 800;

/** Follow one report job until it finishes, polling its status. */
export function useReportJob(id: string | null, initial?: ReportJob) {
  const [job, setJob] = useState<ReportJob | undefined>(initial);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const next = await reports.get(id, controller.signal);
        if (stopped) return;
        setJob(next);
        setError(null);
        const phase = jobPhase(next);
        if (phase === 'waiting' || phase === 'working') timer = setTimeout(poll, POLL_INTERVAL_MS);
      } catch (caught) {
        if (stopped) return;
        setError(caught);
        // A blip (gateway restart, rate limit) should not end the watch; back off instead.
        timer = setTimeout(poll, POLL_INTERVAL_MS * 4);
      }
    };
    void poll();
    return () => {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [id]);

  return { job, error };
}
