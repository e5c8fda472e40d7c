import { useId, useState } from 'react';
import { exportsApi } from '../api/endpoints';
import type { ColumnNames, CsvTable, SessionKey } from '../api/endpoints';
import { describeError } from '../api/http';

/**
 * "Download CSV" beside a table, with Pitwall's column names or FastF1's (`names=fastf1`, e.g.
 * `LapTime`, `Compound`), fetched with the user's token and saved under the server's file name.
 */
export function CsvDownload({ sessionKey, table, label, buttonText = 'CSV' }: {
  sessionKey: SessionKey;
  table: CsvTable;
  label: string;
  /** Visible text; name the table when a section offers more than one. */
  buttonText?: string;
}) {
  const [names, setNames] = useState<ColumnNames>('pitwall');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function download() {
    setBusy(true);
    setError(null);
    try {
      await exportsApi.csv(sessionKey, table, names);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="csv-download">
      <label htmlFor={`${id}-names`} className="visually-hidden">Column names for the {label} CSV</label>
      <select id={`${id}-names`} value={names} onChange={(e) => setNames(e.target.value as ColumnNames)}
        className="compact">
        <option value="pitwall">Pitwall columns</option>
        <option value="fastf1">FastF1 columns</option>
      </select>
      <button type="button" className="button ghost small" disabled={busy}
        aria-label={`Download ${label} as CSV`} onClick={() => void download()}>
        {busy ? 'Preparing…' : buttonText}
      </button>
      {error && <span className="error-text" role="alert">{error}</span>}
    </div>
  );
}
