import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { telemetry } from '../api/endpoints';
import type { ScheduleEvent } from '../api/types';
import { ErrorNotice, Loading } from '../components/Status';
import { formatDate } from '../lib/format';
import { SESSION_NAMES, sessionFamily } from '../lib/sessionKinds';
import type { SessionFamily } from '../lib/sessionKinds';
import { useAsync } from '../lib/useAsync';

const FIRST_SEASON = 2018;
const LATEST_SEASON = Math.max(new Date().getFullYear(), 2025);
const SEASONS = Array.from(
  { length: LATEST_SEASON - FIRST_SEASON + 1 },
  (_, i) => LATEST_SEASON - i,
);

const CODE_BY_NAME: Record<string, string> = Object.fromEntries(
  Object.entries(SESSION_NAMES).map(([code, name]) => [name.toLowerCase(), code]),
);

export interface SessionChoice {
  code: string;
  name: string;
  date?: string | null;
}

/** The schedule lists sessions by name (and usually code); the API paths want the code. */
export function sessionChoices(event: ScheduleEvent): SessionChoice[] {
  const choices: SessionChoice[] = [];
  for (const s of event.sessions) {
    const name = typeof s.name === 'string' ? s.name : '';
    const code = typeof s.code === 'string' && s.code ? s.code : CODE_BY_NAME[name.toLowerCase()];
    const date = typeof s.date === 'string' ? s.date : null;
    if (code) choices.push({ code, name: name || SESSION_NAMES[code] || code, date });
  }
  return choices;
}

const FAMILY_TITLES: [SessionFamily, string][] = [
  ['race', 'Races and sprints'],
  ['qualifying', 'Qualifying'],
  ['practice', 'Practice'],
];

export function ExplorePage() {
  const navigate = useNavigate();
  const [year, setYear] = useState(2024);
  const [round, setRound] = useState<number | ''>('');
  const [sessionCode, setSessionCode] = useState('');

  const schedule = useAsync((signal) => telemetry.schedule(year, signal), [year]);
  const samples = useAsync((signal) => telemetry.samples(signal), []);
  const events = useMemo(
    () => (schedule.data ?? []).filter((e) => e.round > 0),
    [schedule.data],
  );
  const event = events.find((e) => e.round === round);
  const sessions = event ? sessionChoices(event) : [];

  function chooseYear(value: number) {
    setYear(value);
    setRound('');
    setSessionCode('');
  }

  function chooseEvent(value: string) {
    setRound(value ? Number(value) : '');
    setSessionCode('');
  }

  function open(e: FormEvent) {
    e.preventDefault();
    if (!event || !sessionCode) return;
    navigate(`/sessions/${year}/${encodeURIComponent(event.event_name)}/${sessionCode}`);
  }

  return (
    <main id="main" className="page">
      <header className="page-header">
        <h1>Explore a session</h1>
        <p className="lead">Pick a season, a Grand Prix and a session to see its results, lap times
          and driver comparisons.</p>
      </header>

      <div className="grid-2">
        <section className="card" aria-labelledby="picker-title">
          <h2 id="picker-title">Choose a session</h2>
          <form className="picker" onSubmit={open}>
            <div className="field">
              <label htmlFor="season">Season</label>
              <select id="season" value={year} onChange={(e) => chooseYear(Number(e.target.value))}>
                {SEASONS.map((y) => (
                  <option key={y} value={y}>{y}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="event">Grand Prix</label>
              <select
                id="event"
                value={round}
                disabled={schedule.status !== 'success' || events.length === 0}
                onChange={(e) => chooseEvent(e.target.value)}
              >
                <option value="">
                  {schedule.status === 'loading' ? 'Loading schedule…' : 'Select an event'}
                </option>
                {events.map((e) => (
                  <option key={e.round} value={e.round}>
                    R{e.round} · {e.event_name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="session">Session</label>
              <select
                id="session"
                value={sessionCode}
                disabled={!event}
                onChange={(e) => setSessionCode(e.target.value)}
              >
                <option value="">Select a session</option>
                {sessions.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.name}{s.date ? ` · ${formatDate(s.date)}` : ''}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button primary" disabled={!event || !sessionCode}>
              Open session
            </button>
          </form>
          {schedule.status === 'loading' && <Loading label={`Loading the ${year} calendar…`} />}
          {schedule.status === 'error' && (
            <ErrorNotice error={schedule.error} onRetry={schedule.reload}
              title="Could not load the calendar" />
          )}
          {event && (
            <p className="muted small">
              {event.location}, {event.country} · {formatDate(event.event_date)} ·{' '}
              {event.event_format.replace(/_/g, ' ')} weekend
            </p>
          )}
        </section>

        <section className="card" aria-labelledby="samples-title">
          <h2 id="samples-title">Ready to explore</h2>
          <p className="muted">These sessions are stored with Pitwall and open instantly, even
            offline.</p>
          {samples.status === 'error' && (
            <ErrorNotice error={samples.error} onRetry={samples.reload} title="Could not list the stored sessions" />
          )}
          {!samples.data && samples.status !== 'error' && <Loading label="Listing the stored sessions…" />}
          {FAMILY_TITLES.map(([family, title]) => {
            const group = (samples.data ?? []).filter((s) => sessionFamily(s.session) === family);
            if (group.length === 0) return null;
            return (
              <div key={family} className="sample-group">
                <h3 id={`samples-${family}`}>{title}</h3>
                <ul className="sample-list" aria-labelledby={`samples-${family}`}>
                  {group.map((s) => (
                    <li key={`${s.year}-${s.event}-${s.session}`}>
                      <Link to={`/sessions/${s.year}/${encodeURIComponent(s.event)}/${s.session}`} className="sample-link">
                        <span>{s.label}</span>
                        {s.telemetry && <span className="badge accent">Full telemetry</span>}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </section>
      </div>
    </main>
  );
}
