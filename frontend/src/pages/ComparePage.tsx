import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { analysis, telemetry } from '../api/endpoints';
import type { Circuit, Corner, LapComparison, LapRef, SessionCode, SessionInfo } from '../api/types';
import { ChartExports } from '../components/ChartExports';
import { ComparePicker } from '../components/ComparePicker';
import type { ComparePick } from '../components/ComparePicker';
import { InsightsPanel } from '../components/InsightsPanel';
import { ReportCreator } from '../components/ReportCreator';
import { ErrorNotice, Loading } from '../components/Status';
import { TraceChart } from '../components/charts/TraceChart';
import type { DriverStyle } from '../components/charts/TraceChart';
import { TrackMap } from '../components/charts/TrackMap';
import { nearestIndex } from '../components/charts/scale';
import { distinctColours, formatGap, formatLapTime, teamColour } from '../lib/format';
import { useAsync } from '../lib/useAsync';
import { SessionHeader, comparePath, useSessionKey } from './SessionPage';

const NO_CORNERS: Corner[] = [];

function driverStyles(info: SessionInfo | undefined, pick: ComparePick): [DriverStyle, DriverStyle] {
  const colourOf = (abbr: string) =>
    teamColour(info?.drivers.find((d) => d.abbreviation === abbr)?.team_colour);
  const [ca, cb] = distinctColours(colourOf(pick.driverA), colourOf(pick.driverB));
  return [
    { label: pick.driverA, colour: ca },
    { label: pick.driverB, colour: cb },
  ];
}

function LapSummary({ comparison, a, b }: { comparison: LapComparison; a: DriverStyle; b: DriverStyle }) {
  const gap =
    comparison.a.lap_time_s !== null && comparison.b.lap_time_s !== null
      ? comparison.b.lap_time_s - comparison.a.lap_time_s
      : null;
  const row = (lap: LapRef, style: DriverStyle) => (
    <div className="lap-summary-row">
      <span className="driver-chip" style={{ borderColor: style.colour }}>{style.label}</span>
      <span>Lap {lap.lap_number}</span>
      <b className="mono">{formatLapTime(lap.lap_time_s)}</b>
      {lap.compound && <span className="muted small">{lap.compound.toLowerCase()}</span>}
    </div>
  );
  return (
    <div className="lap-summary">
      {row(comparison.a, a)}
      {row(comparison.b, b)}
      <p className="gap-line">
        {b.label} to {a.label}: <b className="mono">{formatGap(gap)}</b>
      </p>
    </div>
  );
}

export function ComparePage() {
  const key = useSessionKey();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const pick: ComparePick = {
    driverA: params.get('a') ?? '',
    lapA: params.get('la') ?? 'fastest',
    driverB: params.get('b') ?? '',
    lapB: params.get('lb') ?? 'fastest',
  };
  const pickKey = `${pick.driverA}/${pick.lapA}/${pick.driverB}/${pick.lapB}`;
  const ready = Boolean(pick.driverA && pick.driverB);

  const info = useAsync((signal) => telemetry.session(key, signal), [key]);
  const laps = useAsync((signal) => telemetry.laps(key, signal), [key]);
  const circuit = useAsync((signal) => telemetry.circuit(key, signal), [key]);
  const comparison = useAsync((signal) => telemetry.compare(key, pick, signal), [key, pickKey], ready);
  const insights = useAsync(
    (signal) => analysis.lapComparison(key, pick, signal),
    [key, pickKey],
    ready,
  );
  // Stable identities, so the memoised charts skip re-rendering while other requests land.
  const [a, b] = useMemo(
    () => driverStyles(info.data, pick),
    [info.data, pickKey],
  );
  const corners = circuit.data?.corners ?? NO_CORNERS;
  const track = useMemo(
    () => (comparison.data ? mapData(comparison.data, circuit.data) : null),
    [comparison.data, circuit.data],
  );

  return (
    <main id="main" className="page">
      {info.data ? (
        <SessionHeader info={info.data} />
      ) : info.status === 'error' ? (
        <ErrorNotice error={info.error} onRetry={info.reload} title="Could not load this session" />
      ) : (
        <Loading label="Loading the session…" />
      )}

      {info.data && (
        <section className="card" aria-labelledby="pick-title">
          <h2 id="pick-title" className="visually-hidden">Laps compared</h2>
          <ComparePicker
            key={pickKey}
            drivers={info.data.drivers}
            laps={laps.data}
            initial={pick}
            submitLabel="Update comparison"
            onCompare={(chosen) => navigate(comparePath(key, chosen))}
          />
        </section>
      )}

      <div className="grid-2 wide-left compare-layout">
        <div className="stack">
        <section className="card order-1" aria-labelledby="traces-title">
          <h2 id="traces-title">{a.label} vs {b.label}: traces</h2>
          {comparison.status === 'loading' && <Loading label="Aligning the two laps…" />}
          {comparison.status === 'error' && (
            <ErrorNotice error={comparison.error} onRetry={comparison.reload}
              title="Could not compare these laps" />
          )}
          {comparison.data && (
            <>
              <LapSummary comparison={comparison.data} a={a} b={b} />
              <TraceChart comparison={comparison.data} a={a} b={b} corners={corners} />
            </>
          )}
        </section>
        <div className="grid-2 even">
          <section className="card order-5" aria-labelledby="exports-title">
            <h2 id="exports-title">Download charts</h2>
            <p className="muted small">Drawn by the server in your chart style.</p>
            {ready && (
              <ChartExports sessionKey={key} drivers={[pick.driverA, pick.driverB]}
                laps={[pick.lapA, pick.lapB]} />
            )}
          </section>

          <section className="card order-4" aria-labelledby="report-title">
            <h2 id="report-title">Report</h2>
            {ready && (
              <ReportCreator
                description="A PDF with the traces, the track map, the facts and the insights for these two laps."
                request={{
                  kind: 'lap_comparison',
                  year: key.year,
                  event: key.event,
                  session: key.session as SessionCode,
                  driver_a: pick.driverA,
                  lap_a: pick.lapA,
                  driver_b: pick.driverB,
                  lap_b: pick.lapB,
                }}
              />
            )}
          </section>
        </div>
        </div>

        <div className="stack">
          <section className="card order-2" aria-labelledby="insights-title">
            <h2 id="insights-title">Insights</h2>
            {insights.status === 'loading' && <Loading label="Reading the numbers…" />}
            {insights.status === 'error' && (
              <ErrorNotice error={insights.error} onRetry={insights.reload}
                title="Could not analyse these laps" />
            )}
            {insights.data && <InsightsPanel narrative={insights.data.insights} />}
          </section>

          <section className="card order-3" aria-labelledby="map-title">
            <h2 id="map-title">Track map</h2>
            {track ? (
              <TrackMap
                xs={track.xs}
                ys={track.ys}
                speed={track.speed}
                delta={track.delta}
                corners={corners}
                rotationDeg={circuit.data?.rotation_deg ?? 0}
                a={a}
                b={b}
              />
            ) : comparison.status === 'loading' || circuit.status === 'loading' ? (
              <Loading label="Drawing the circuit…" />
            ) : (
              <p className="muted">No position data for these laps.</p>
            )}
          </section>

        </div>
      </div>
    </main>
  );
}

interface MapData {
  xs: (number | null)[];
  ys: (number | null)[];
  speed: (number | null)[];
  delta: (number | null)[];
}

/**
 * Positions for the map: lap A's own x/y when the comparison carries them, else the circuit's
 * reference outline with speed and delta looked up by distance along the lap.
 */
export function mapData(comparison: LapComparison, circuit: Circuit | undefined): MapData | null {
  const xs = comparison.channels_a.x;
  const ys = comparison.channels_a.y;
  if (Array.isArray(xs) && Array.isArray(ys) && xs.some((v) => v !== null)) {
    return { xs, ys, speed: comparison.channels_a.speed ?? [], delta: comparison.delta_s };
  }
  const outline = circuit?.outline;
  if (!outline?.x?.length || !outline.y?.length || !outline.distance?.length) return null;
  const at = (values: readonly (number | null)[] | undefined, metres: number) => {
    if (!values?.length) return null;
    const i = nearestIndex(comparison.distance, metres);
    return i < 0 ? null : (values[i] ?? null);
  };
  return {
    xs: outline.x,
    ys: outline.y,
    speed: outline.distance.map((d) => at(comparison.channels_a.speed, d)),
    delta: outline.distance.map((d) => at(comparison.delta_s, d)),
  };
}
