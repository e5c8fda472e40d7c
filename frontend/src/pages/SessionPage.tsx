import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { telemetry } from '../api/endpoints';
import type { SessionKey } from '../api/endpoints';
import type { SessionInfo } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { SessionLoadGate } from '../components/SessionLoadGate';
import { AskPanel } from '../components/ask/AskPanel';
import { ErrorNotice, Loading } from '../components/Status';
import { exampleQuestions } from '../lib/askExamples';
import { formatDate } from '../lib/format';
import { sessionFamily } from '../lib/sessionKinds';
import { useAsync } from '../lib/useAsync';
import { QualifyingView, PracticeView } from './session/QualifyingView';
import { RaceView } from './session/RaceView';
import { driverOrder } from './session/common';

export { comparePath, defaultPick } from './session/common';

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

function SessionContent({ sessionKey }: { sessionKey: SessionKey }) {
  const { user } = useAuth();
  const info = useAsync((signal) => telemetry.session(sessionKey, signal), [sessionKey]);
  const laps = useAsync((signal) => telemetry.laps(sessionKey, signal), [sessionKey]);
  const favourites = user?.preferences.favourite_drivers ?? [];

  if (info.status === 'error') {
    return (
      <>
        <h1>Session unavailable</h1>
        <ErrorNotice error={info.error} onRetry={info.reload} title="Could not load this session" />
        <p><Link to="/">Choose another session</Link></p>
      </>
    );
  }
  if (!info.data) return <Loading label="Loading the session…" />;

  const data = info.data;
  const order = driverOrder(data, favourites);
  const wanted = favourites.filter((f) => order.includes(f));
  const highlighted = wanted.length ? wanted : order.slice(0, 3);
  const props = { info: data, sessionKey, laps };
  const family = sessionFamily(data.session.session);
  const askPanel = <AskPanel sessionKey={sessionKey} examples={exampleQuestions(data.session.session, order, data.has_telemetry)} />;
  return (
    <>
      <SessionHeader info={data} />
      {data.notes?.length ? <p className="notice notice-info">{data.notes.join(' ')}</p> : null}
      {family === 'race' && <RaceView {...props} initialHighlight={highlighted} askPanel={askPanel} />}
      {family !== 'race' && askPanel}
      {family === 'qualifying' && <QualifyingView {...props} highlighted={highlighted} />}
      {family === 'practice' && <PracticeView {...props} highlighted={highlighted} />}
    </>
  );
}

export function SessionPage() {
  const key = useSessionKey();
  return (
    <main id="main" className="page">
      <SessionLoadGate sessionKey={key}>
        <SessionContent sessionKey={key} />
      </SessionLoadGate>
    </main>
  );
}
