import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { telemetry } from '../api/endpoints';
import type { SessionKey } from '../api/endpoints';
import type { SessionCode, SessionInfo } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ComparePicker } from '../components/ComparePicker';
import type { ComparePick } from '../components/ComparePicker';
import { ReportCreator } from '../components/ReportCreator';
import { ResultsTable } from '../components/ResultsTable';
import { ErrorNotice, Loading } from '../components/Status';
import { LapTimeChart } from '../components/charts/LapTimeChart';
import { formatDate } from '../lib/format';
import { useAsync } from '../lib/useAsync';

export function useSessionKey(): SessionKey {
  const params = useParams();
  return useMemo(
    () => ({
      year: Number(params.year),
      event: params.event ?? '',
      session: params.session ?? '',
    }),
    [params.year, params.event, params.session],
  );
}

export function comparePath(key: SessionKey, pick: ComparePick): string {
  const query = new URLSearchParams({ a: pick.driverA, la: pick.lapA, b: pick.driverB, lb: pick.lapB });
  return `/sessions/${key.year}/${encodeURIComponent(key.event)}/${encodeURIComponent(key.session)}/compare?${query}`;
}

/** Favourites first (when they took part), then the top of the classification. */
export function defaultPick(info: SessionInfo, favourites: string[]): ComparePick {
  const entered = new Set(info.drivers.map((d) => d.abbreviation));
  const order = [
    ...favourites.filter((f) => entered.has(f)),
    ...((info.results.abbreviation ?? []) as string[]),
    ...info.drivers.map((d) => d.abbreviation),
  ];
  const unique = [...new Set(order)];
  return {
    driverA: unique[0] ?? '',
    lapA: 'fastest',
    driverB: unique[1] ?? unique[0] ?? '',
    lapB: 'fastest',
  };
}

export function SessionHeader({ info, children }: { info: SessionInfo; children?: ReactNode }) {
  const s = info.session;
  return (
    <header className="page-header session-header">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Explore</Link> <span aria-hidden="true">/</span> {s.year}
      </nav>
      <h1>{s.event_name} <span className="thin">· {s.session_name}</span></h1>
      <p className="lead">
        Round {s.round}{s.location ? ` · ${s.location}` : ''}{s.country ? `, ${s.country}` : ''}
        {s.date ? ` · ${formatDate(s.date)}` : ''}
        {' '}
        {info.has_telemetry ? (
          <span className="badge accent">Car telemetry</span>
        ) : (
          <span className="badge">Lap timing only</span>
        )}
      </p>
      {children}
    </header>
  );
}

export function SessionPage() {
  const key = useSessionKey();
  const navigate = useNavigate();
  const { user } = useAuth();
  const info = useAsync((signal) => telemetry.session(key, signal), [key]);
  const laps = useAsync((signal) => telemetry.laps(key, signal), [key]);
  const favourites = user?.preferences.favourite_drivers ?? [];

  if (info.status === 'loading' || info.status === 'idle') {
    return (
      <main id="main" className="page">
        <Loading label="Loading the session… the first visit can take a few seconds." />
      </main>
    );
  }
  if (info.status === 'error') {
    return (
      <main id="main" className="page">
        <h1>Session unavailable</h1>
        <ErrorNotice error={info.error} onRetry={info.reload} title="Could not load this session" />
        <p><Link to="/">Choose another session</Link></p>
      </main>
    );
  }

  const data = info.data;
  const pick = defaultPick(data, favourites);
  const isRace = data.session.session === 'R' || data.session.session === 'S';
  return (
    <main id="main" className="page">
      <SessionHeader info={data} />
      <section className="card" aria-labelledby="compare-title">
        <h2 id="compare-title">Compare two laps</h2>
        {!data.has_telemetry && (
          <p className="notice notice-info">This session has lap timing but no stored car
            telemetry, so traces may be unavailable offline.</p>
        )}
        <ComparePicker
          key={`${pick.driverA}-${pick.driverB}`}
          drivers={data.drivers}
          laps={laps.data}
          initial={pick}
          onCompare={(chosen) => navigate(comparePath(key, chosen))}
        />
      </section>
      <div className="stack">
        <section className="card" aria-labelledby="laps-title">
          <h2 id="laps-title">Lap times</h2>
          {laps.status === 'loading' && <Loading label="Loading laps…" />}
          {laps.status === 'error' && (
            <ErrorNotice error={laps.error} onRetry={laps.reload} title="Could not load laps" />
          )}
          {laps.data && (
            <LapTimeChart
              table={laps.data}
              drivers={data.drivers}
              highlighted={[...new Set([pick.driverA, pick.driverB, ...favourites])]}
              isRace={isRace}
            />
          )}
        </section>
        <section className="card" aria-labelledby="results-title">
          <h2 id="results-title">Results</h2>
          <ResultsTable info={data} />
        </section>
        <section className="card" aria-labelledby="session-report-title">
          <h2 id="session-report-title">Session report</h2>
          <ReportCreator
            description="A PDF summary of this session: results and gaps, fastest laps, tyres, weather and race control."
            request={{
              kind: 'session_summary',
              year: key.year,
              event: key.event,
              session: key.session as SessionCode,
            }}
          />
        </section>
      </div>
    </main>
  );
}
