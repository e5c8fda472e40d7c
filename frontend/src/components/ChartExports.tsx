import { useState } from 'react';
import { charts } from '../api/endpoints';
import type { ChartKind, SessionKey } from '../api/endpoints';
import { ErrorNotice } from './Status';

export interface ExportChoice {
  chart: ChartKind;
  label: string;
  colourBy?: 'speed' | 'delta';
}

const LAP_CHOICES: ExportChoice[] = [
  { chart: 'speed-trace', label: 'Speed trace' },
  { chart: 'inputs', label: 'Throttle & brake' },
  { chart: 'track-map', label: 'Track map', colourBy: 'delta' },
];

/** Publication-ready charts drawn by the server in the user's style preset. */
export function ChartExports({
  sessionKey,
  drivers,
  laps = [],
  choices = LAP_CHOICES,
}: {
  sessionKey: SessionKey;
  drivers: string[];
  laps?: string[];
  choices?: ExportChoice[];
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function download(choice: ExportChoice, format: 'png' | 'svg') {
    const id = `${choice.chart}.${format}`;
    setBusy(id);
    setError(null);
    try {
      await charts.download(
        sessionKey,
        choice.chart,
        format,
        { drivers, laps, color_by: choice.colourBy },
        [sessionKey.year, sessionKey.event, sessionKey.session, ...drivers, `${choice.chart}.${format}`].join('-')
          .toLowerCase()
          .replace(/[^a-z0-9.-]+/g, '-'),
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="chart-exports">
      <ul className="export-list">
        {choices.map((choice) => (
          <li key={choice.chart}>
            <span>{choice.label}</span>
            {(['png', 'svg'] as const).map((format) => (
              <button
                key={format}
                type="button"
                className="button ghost small"
                disabled={busy !== null}
                aria-label={`Download ${choice.label} as ${format.toUpperCase()}`}
                onClick={() => void download(choice, format)}
              >
                {busy === `${choice.chart}.${format}` ? '…' : format.toUpperCase()}
              </button>
            ))}
          </li>
        ))}
      </ul>
      {error !== null && <ErrorNotice error={error} title="Could not draw the chart" />}
    </div>
  );
}

/** One server-drawn chart's PNG/SVG downloads, beside the chart the page draws itself. */
export function ChartDownload({ sessionKey, chart, label, drivers = [] }: {
  sessionKey: SessionKey;
  chart: ChartKind;
  label: string;
  drivers?: string[];
}) {
  return <ChartExports sessionKey={sessionKey} drivers={drivers} choices={[{ chart, label }]} />;
}
