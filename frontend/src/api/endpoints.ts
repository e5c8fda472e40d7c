/** Every backend call the app makes, one typed function each. */
import { downloadFile, request, withQuery } from './http';
import type {
  AnalysisResponse,
  Circuit,
  LapComparison,
  LapTable,
  Preferences,
  ReportJob,
  ReportRequest,
  ScheduleEvent,
  SessionInfo,
  TokenPair,
  User,
} from './types';

const enc = encodeURIComponent;

export interface SessionKey {
  year: number;
  event: string;
  session: string;
}

function sessionPath({ year, event, session }: SessionKey): string {
  return `${year}/${enc(event)}/${enc(session)}`;
}

// --- auth ---------------------------------------------------------------------------------

export const auth = {
  register: (body: { email: string; password: string; display_name: string }) =>
    request<User>('/api/v1/auth/register', { method: 'POST', body, anonymous: true }),
  login: (body: { email: string; password: string }) =>
    request<TokenPair>('/api/v1/auth/login', { method: 'POST', body, anonymous: true }),
  refresh: (refreshToken: string) =>
    request<TokenPair>('/api/v1/auth/refresh', {
      method: 'POST',
      body: { refresh_token: refreshToken },
      anonymous: true,
    }),
  logout: (refreshToken: string | null) =>
    request<void>('/api/v1/auth/logout', {
      method: 'POST',
      body: refreshToken ? { refresh_token: refreshToken } : undefined,
    }),
  me: () => request<User>('/api/v1/auth/me'),
  deleteAccount: (password: string) =>
    request<void>('/api/v1/auth/me', { method: 'DELETE', body: { password } }),
  updateMe: (body: { display_name?: string; preferences?: Partial<Preferences> }) =>
    request<User>('/api/v1/auth/me', { method: 'PATCH', body }),
};

// --- telemetry ----------------------------------------------------------------------------

export const telemetry = {
  schedule: (year: number, signal?: AbortSignal) =>
    request<ScheduleEvent[] | { events: ScheduleEvent[] }>(
      `/api/v1/telemetry/seasons/${year}/schedule`,
      { signal },
    ).then((body) => (Array.isArray(body) ? body : body.events)),
  session: (key: SessionKey, signal?: AbortSignal) =>
    request<SessionInfo>(`/api/v1/telemetry/sessions/${sessionPath(key)}`, { signal }),
  laps: (key: SessionKey, signal?: AbortSignal) =>
    request<LapTable>(`/api/v1/telemetry/sessions/${sessionPath(key)}/laps`, { signal }),
  compare: (
    key: SessionKey,
    pick: { driverA: string; lapA: string; driverB: string; lapB: string },
    signal?: AbortSignal,
  ) =>
    request<LapComparison>(`/api/v1/telemetry/sessions/${sessionPath(key)}/compare`, {
      query: {
        driver_a: pick.driverA,
        lap_a: pick.lapA,
        driver_b: pick.driverB,
        lap_b: pick.lapB,
        channels: ['speed', 'throttle', 'brake', 'gear', 'x', 'y'],
        points: 600,
      },
      signal,
    }),
  circuit: (key: SessionKey, signal?: AbortSignal) =>
    request<Circuit>(`/api/v1/telemetry/sessions/${sessionPath(key)}/circuit`, { signal }),
};

// --- analysis -----------------------------------------------------------------------------

export const analysis = {
  lapComparison: (
    key: SessionKey,
    pick: { driverA: string; lapA: string; driverB: string; lapB: string },
    signal?: AbortSignal,
  ) =>
    request<AnalysisResponse>(
      `/api/v1/analysis/sessions/${sessionPath(key)}/lap-comparison`,
      {
        query: {
          driver_a: pick.driverA,
          lap_a: pick.lapA,
          driver_b: pick.driverB,
          lap_b: pick.lapB,
        },
        signal,
      },
    ),
};

// --- reports ------------------------------------------------------------------------------

export const reports = {
  create: (body: ReportRequest) =>
    request<{ id: string }>('/api/v1/reports', { method: 'POST', body }),
  list: (signal?: AbortSignal) =>
    request<ReportJob[] | { items: ReportJob[] }>('/api/v1/reports', { signal }).then((body) =>
      Array.isArray(body) ? body : body.items,
    ),
  get: (id: string, signal?: AbortSignal) =>
    request<ReportJob>(`/api/v1/reports/${enc(id)}`, { signal }),
  remove: (id: string) => request<void>(`/api/v1/reports/${enc(id)}`, { method: 'DELETE' }),
  download: (id: string, filename: string) =>
    downloadFile(`/api/v1/reports/${enc(id)}/pdf`, filename),
  retry: (id: string) => request<ReportJob>(`/api/v1/reports/${enc(id)}/retry`, { method: 'POST' }),
};

// --- charts (drawn by report-svc in the user's style preset) ------------------------------

export type ChartKind = 'speed-trace' | 'delta' | 'inputs' | 'track-map' | 'lap-times' | 'tyre-strategy';

export const charts = {
  download: (
    key: SessionKey,
    chart: ChartKind,
    format: 'png' | 'svg',
    options: { drivers?: string[]; laps?: string[]; color_by?: 'speed' | 'gear' | 'delta' },
    filename: string,
  ) =>
    downloadFile(
      withQuery(`/api/v1/charts/sessions/${sessionPath(key)}/${chart}.${format}`, {
        drivers: options.drivers,
        laps: options.laps,
        color_by: options.color_by,
        width: 1600,
        height: 900,
      }),
      filename,
    ),
};
