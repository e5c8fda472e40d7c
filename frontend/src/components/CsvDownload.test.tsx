import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CsvDownload } from './CsvDownload';
import { USER, fakeServer, problemReply, signIn } from '../test/fakeServer';
import { renderAt } from '../test/render';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const KEY = { year: 2018, event: 'Azerbaijan', session: 'R' };
const CSV = 'Driver,LapNumber,LapTime\nHAM,1,0 days 00:02:07.470000\n';

/** jsdom has no object URLs or downloads: record what the app asked the browser to save. */
function captureDownloads() {
  const saved: { name: string; blob: Blob }[] = [];
  let lastBlob: Blob | null = null;
  vi.stubGlobal('URL', Object.assign(URL, {
    createObjectURL: (blob: Blob) => {
      lastBlob = blob;
      return 'blob:pitwall/1';
    },
    revokeObjectURL: () => {},
  }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: lastBlob! });
  });
  return saved;
}

describe('CsvDownload', () => {
  it('fetches the table as CSV with the token and FastF1 names, saved under the server’s file name', async () => {
    signIn('access-9');
    const saved = captureDownloads();
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/telemetry/sessions/2018/Azerbaijan/R/laps': {
        body: CSV,
        contentType: 'text/csv',
        headers: { 'Content-Disposition': 'attachment; filename="2018-azerbaijan-r-laps-fastf1.csv"' },
      },
    });
    renderAt('/', [{ path: '/', element: <CsvDownload sessionKey={KEY} table="laps" label="laps" /> }]);
    await userEvent.selectOptions(screen.getByLabelText('Column names for the laps CSV'), 'fastf1');
    await userEvent.click(screen.getByRole('button', { name: 'Download laps as CSV' }));
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    const call = calls.find((c) => c.path.endsWith('/laps'))!;
    expect(call.query.get('format')).toBe('csv');
    expect(call.query.get('names')).toBe('fastf1');
    expect(call.authorization).toBe('Bearer access-9');
    expect(saved[0].name).toBe('2018-azerbaijan-r-laps-fastf1.csv');
    expect(await saved[0].blob.text()).toBe(CSV);
  });

  it('names the analysis table it wants and falls back to its own file name', async () => {
    signIn();
    const saved = captureDownloads();
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/analysis/sessions/2018/Azerbaijan/R/strategy': { body: CSV, contentType: 'text/csv' },
    });
    renderAt('/', [{ path: '/', element: <CsvDownload sessionKey={KEY} table="strategy-pit-stops" label="pit stops" /> }]);
    await userEvent.click(screen.getByRole('button', { name: 'Download pit stops as CSV' }));
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    const call = calls.find((c) => c.path.endsWith('/strategy'))!;
    expect(call.query.get('table')).toBe('pit-stops');
    expect(call.query.has('names')).toBe(false);
    expect(saved[0].name).toBe('2018-azerbaijan-r-strategy-pit-stops.csv');
  });

  it('shows the server’s reason when the export is refused', async () => {
    signIn();
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'GET /api/v1/analysis/sessions/2018/Azerbaijan/R/race-trace': problemReply(422, 'format must be json or csv'),
    });
    renderAt('/', [{ path: '/', element: <CsvDownload sessionKey={KEY} table="race-trace" label="race trace" /> }]);
    await userEvent.click(screen.getByRole('button', { name: 'Download race trace as CSV' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('format must be json or csv');
  });
});
