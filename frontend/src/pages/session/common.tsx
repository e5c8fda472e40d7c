import { useNavigate } from 'react-router-dom';
import type { SessionKey } from '../../api/endpoints';
import type { LapTable, SessionInfo } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ComparePicker } from '../../components/ComparePicker';
import type { ComparePick } from '../../components/ComparePicker';
import { CsvDownload } from '../../components/CsvDownload';
import { LapTimeComparison } from '../../components/LapTimeComparison';
import { Async, Section } from '../../components/Section';
import { LapTimeChart } from '../../components/charts/LapTimeChart';
import { sessionFamily } from '../../lib/sessionKinds';
import type { useAsync } from '../../lib/useAsync';

type LapsState = ReturnType<typeof useAsync<LapTable>>;

export function comparePath(key: SessionKey, pick: ComparePick): string {
  const query = new URLSearchParams({ a: pick.driverA, la: pick.lapA, b: pick.driverB, lb: pick.lapB });
  return `/sessions/${key.year}/${encodeURIComponent(key.event)}/${encodeURIComponent(key.session)}/compare?${query}`;
}

/** Favourites first (when they took part), then the top of the classification. */
export function driverOrder(info: SessionInfo, favourites: string[]): string[] {
  const entered = new Set(info.drivers.map((d) => d.abbreviation));
  return [...new Set([
    ...favourites.filter((f) => entered.has(f)),
    ...((info.results.abbreviation ?? []) as string[]),
    ...info.drivers.map((d) => d.abbreviation),
  ])];
}

export function defaultPick(info: SessionInfo, favourites: string[]): ComparePick {
  const order = driverOrder(info, favourites);
  return { driverA: order[0] ?? '', lapA: 'fastest', driverB: order[1] ?? order[0] ?? '', lapB: 'fastest' };
}

/**
 * Two laps' traces where the session has car telemetry; otherwise two drivers compared lap by
 * lap from the timing data, rather than a trace comparison that cannot work.
 */
export function CompareSection({ info, sessionKey, laps }: { info: SessionInfo; sessionKey: SessionKey; laps: LapsState }) {
  const navigate = useNavigate();
  const { user } = useAuth();
  const pick = defaultPick(info, user?.preferences.favourite_drivers ?? []);
  if (!info.has_telemetry) {
    return (
      <Section title="Compare two drivers lap by lap">
        <p className="muted small">This session has lap timing but no car telemetry, so drivers are compared
          on their lap times.</p>
        <Async state={laps} what="laps">
          {(table) => (
            <LapTimeComparison drivers={info.drivers} laps={table} initial={[pick.driverA, pick.driverB]}
              isRace={sessionFamily(info.session.session) === 'race'} />
          )}
        </Async>
      </Section>
    );
  }
  return (
    <Section title="Compare two laps">
      <ComparePicker
        key={`${pick.driverA}-${pick.driverB}`}
        drivers={info.drivers}
        laps={laps.data}
        initial={pick}
        onCompare={(chosen) => navigate(comparePath(sessionKey, chosen))}
      />
    </Section>
  );
}

export function LapTimesSection({ info, sessionKey, laps, highlighted }: {
  info: SessionInfo;
  sessionKey: SessionKey;
  laps: LapsState;
  highlighted: string[];
}) {
  return (
    <Section title="Lap times" actions={<CsvDownload sessionKey={sessionKey} table="laps" label="laps" />}>
      <Async state={laps} what="laps">
        {(table) => (
          <LapTimeChart table={table} drivers={info.drivers} highlighted={highlighted}
            isRace={sessionFamily(info.session.session) === 'race'} />
        )}
      </Async>
    </Section>
  );
}
