/** Every backend call the app makes, one typed function each. */
import { downloadFile, request, withQuery } from './http';
import type {
  AskAnswer,
  AskRequest,
  Circuit,
  Conversation,
  ConversationPage,
  LapComparison,
  LapComparisonResponse,
  LapTable,
  PaceDistributionResponse,
  QualifyingOverviewResponse,
  RaceTraceResponse,
  ReportJob,
  ReportPage,
  ReportRequest,
  SampleSession,
  SessionSummaryResponse,
  ScheduleEvent,
  SessionInfo,
  LoadStatus,
  StrategyResponse,
  TableResponse,
  TokenPair,
  User,
} from './types';

import type { components, paths } from './schema';

type Schemas = components['schemas'];

const enc = encodeURIComponent;

/** A path of the API as the OpenAPI document spells it: a typo or a removed route fails the build. */
export type ApiPath = keyof paths;

/** Fill a documented path template (`/x/{year}/{event}`) with URL-encoded values. */
export function apiPath(template: ApiPath, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`missing path parameter ${name} for ${template}`);
    return enc(String(params[name]));
  });
}

export interface SessionKey {
  year: number;
  event: string;
  session: string;
}

const sessionParams = ({ year, event, session }: SessionKey) => ({ year, event, session });

// --- auth ---------------------------------------------------------------------------------

export const auth = {
  register: (body: Schemas['RegisterRequest']) =>
    request<User>(apiPath('/api/v1/auth/register'), { method: 'POST', body, anonymous: true }),
  login: (body: Schemas['LoginRequest']) =>
    request<TokenPair>(apiPath('/api/v1/auth/login'), { method: 'POST', body, anonymous: true }),
  refresh: (refreshToken: string) =>
    request<TokenPair>(apiPath('/api/v1/auth/refresh'), {
      method: 'POST',
      body: { refresh_token: refreshToken },
      anonymous: true,
    }),
  logout: (refreshToken: string | null) =>
    request<void>(apiPath('/api/v1/auth/logout'), {
      method: 'POST',
      body: refreshToken ? { refresh_token: refreshToken } : undefined,
    }),
  me: () => request<User>(apiPath('/api/v1/auth/me')),
  deleteAccount: (password: string) =>
    request<void>(apiPath('/api/v1/auth/me'), { method: 'DELETE', body: { password } }),
  updateMe: (body: Schemas['ProfileUpdate']) =>
    request<User>(apiPath('/api/v1/auth/me'), { method: 'PATCH', body }),
};

// --- telemetry ----------------------------------------------------------------------------

export const telemetry = {
  schedule: (year: number, signal?: AbortSignal) =>
    request<ScheduleEvent[]>(apiPath('/api/v1/telemetry/seasons/{year}/schedule', { year }), {
      signal,
    }),
  samples: (signal?: AbortSignal) =>
    request<SampleSession[]>(apiPath('/api/v1/telemetry/samples'), { signal }),
  session: (key: SessionKey, signal?: AbortSignal) =>
    request<SessionInfo>(apiPath('/api/v1/telemetry/sessions/{year}/{event}/{session}', sessionParams(key)), { signal }),
  laps: (key: SessionKey, signal?: AbortSignal) =>
    request<LapTable>(apiPath('/api/v1/telemetry/sessions/{year}/{event}/{session}/laps', sessionParams(key)), { signal }),
  compare: (
    key: SessionKey,
    pick: { driverA: string; lapA: string; driverB: string; lapB: string },
    signal?: AbortSignal,
  ) =>
    request<LapComparison>(apiPath('/api/v1/telemetry/sessions/{year}/{event}/{session}/compare', sessionParams(key)), {
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
    request<Circuit>(apiPath('/api/v1/telemetry/sessions/{year}/{event}/{session}/circuit', sessionParams(key)), { signal }),
  status: (key: SessionKey, signal?: AbortSignal) =>
    request<LoadStatus>(apiPath('/api/v1/telemetry/sessions/{year}/{event}/{session}/status', sessionParams(key)), { signal }),
  prewarm: (key: SessionKey) =>
    request<LoadStatus>(apiPath('/api/v1/telemetry/sessions/{year}/{event}/{session}/prewarm', sessionParams(key)), { method: 'POST' }),
  stints: (key: SessionKey, signal?: AbortSignal) =>
    request<TableResponse>(apiPath('/api/v1/telemetry/sessions/{year}/{event}/{session}/stints', sessionParams(key)), { signal }),
  pitStops: (key: SessionKey, signal?: AbortSignal) =>
    request<TableResponse>(apiPath('/api/v1/telemetry/sessions/{year}/{event}/{session}/pitstops', sessionParams(key)), { signal }),
};

// --- analysis -----------------------------------------------------------------------------

export const analysis = {
  lapComparison: (
    key: SessionKey,
    pick: { driverA: string; lapA: string; driverB: string; lapB: string },
    signal?: AbortSignal,
  ) =>
    request<LapComparisonResponse>(
      apiPath('/api/v1/analysis/sessions/{year}/{event}/{session}/lap-comparison', sessionParams(key)),
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
  summary: (key: SessionKey, signal?: AbortSignal) =>
    request<SessionSummaryResponse>(apiPath('/api/v1/analysis/sessions/{year}/{event}/{session}/summary', sessionParams(key)), { signal }),
  raceTrace: (key: SessionKey, signal?: AbortSignal) =>
    request<RaceTraceResponse>(apiPath('/api/v1/analysis/sessions/{year}/{event}/{session}/race-trace', sessionParams(key)), { signal }),
  strategy: (key: SessionKey, signal?: AbortSignal) =>
    request<StrategyResponse>(apiPath('/api/v1/analysis/sessions/{year}/{event}/{session}/strategy', sessionParams(key)), { signal }),
  paceDistribution: (key: SessionKey, signal?: AbortSignal) =>
    request<PaceDistributionResponse>(apiPath('/api/v1/analysis/sessions/{year}/{event}/{session}/pace-distribution', sessionParams(key)), { signal }),
  qualifyingOverview: (key: SessionKey, signal?: AbortSignal) =>
    request<QualifyingOverviewResponse>(apiPath('/api/v1/analysis/sessions/{year}/{event}/{session}/qualifying-overview', sessionParams(key)), { signal }),
};

// --- ask: questions answered from the analysis tools, kept as conversations ----------------

export const ASK_STREAM_PATH = apiPath('/api/v1/analysis/ask/stream');

export const ask = {
  answer: (body: AskRequest, signal?: AbortSignal) =>
    request<AskAnswer>(apiPath('/api/v1/analysis/ask'), { method: 'POST', body, signal }),
  conversations: (signal?: AbortSignal) =>
    request<ConversationPage>(apiPath('/api/v1/analysis/conversations'), { query: { limit: 100 }, signal }),
  conversation: (id: string, signal?: AbortSignal) =>
    request<Conversation>(apiPath('/api/v1/analysis/conversations/{conversation_id}', { conversation_id: id }), { signal }),
  removeConversation: (id: string) =>
    request<void>(apiPath('/api/v1/analysis/conversations/{conversation_id}', { conversation_id: id }), { method: 'DELETE' }),
};

// --- table exports (CSV with Pitwall's or FastF1's column names) ---------------------------

export type ColumnNames = 'pitwall' | 'fastf1';

/** Every table the app offers as CSV: the endpoint answering it and, where one endpoint serves several, which. */
export const CSV_TABLES = {
  results: { path: '/api/v1/telemetry/sessions/{year}/{event}/{session}' },
  laps: { path: '/api/v1/telemetry/sessions/{year}/{event}/{session}/laps' },
  stints: { path: '/api/v1/telemetry/sessions/{year}/{event}/{session}/stints' },
  'pit-stops': { path: '/api/v1/telemetry/sessions/{year}/{event}/{session}/pitstops' },
  'race-control': { path: '/api/v1/telemetry/sessions/{year}/{event}/{session}/race-control' },
  'race-trace': { path: '/api/v1/analysis/sessions/{year}/{event}/{session}/race-trace' },
  'strategy-stints': { path: '/api/v1/analysis/sessions/{year}/{event}/{session}/strategy', table: 'stints' },
  'strategy-pit-stops': { path: '/api/v1/analysis/sessions/{year}/{event}/{session}/strategy', table: 'pit-stops' },
  'pace-drivers': { path: '/api/v1/analysis/sessions/{year}/{event}/{session}/pace-distribution', table: 'drivers' },
  'pace-teams': { path: '/api/v1/analysis/sessions/{year}/{event}/{session}/pace-distribution', table: 'teams' },
  'pace-laps': { path: '/api/v1/analysis/sessions/{year}/{event}/{session}/pace-distribution', table: 'laps' },
  'qualifying-overview': { path: '/api/v1/analysis/sessions/{year}/{event}/{session}/qualifying-overview' },
} satisfies Record<string, { path: ApiPath; table?: string }>;

export type CsvTable = keyof typeof CSV_TABLES;

export function csvUrl(key: SessionKey, table: CsvTable, names: ColumnNames): string {
  const spec: { path: ApiPath; table?: string } = CSV_TABLES[table];
  return withQuery(apiPath(spec.path, sessionParams(key)), {
    format: 'csv',
    names: names === 'fastf1' ? 'fastf1' : undefined,
    table: spec.table,
  });
}

/** The name the browser saves a CSV under when the server names none. */
export function csvFilename(key: SessionKey, table: CsvTable, names: ColumnNames): string {
  return `${key.year}-${key.event}-${key.session}-${table}${names === 'fastf1' ? '-fastf1' : ''}.csv`
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-');
}

export const exportsApi = {
  csv: (key: SessionKey, table: CsvTable, names: ColumnNames) =>
    downloadFile(csvUrl(key, table, names), csvFilename(key, table, names)),
};

// --- reports ------------------------------------------------------------------------------

export const reports = {
  create: (body: ReportRequest) =>
    request<ReportJob>(apiPath('/api/v1/reports'), { method: 'POST', body }),
  list: (signal?: AbortSignal) =>
    request<ReportPage>(apiPath('/api/v1/reports'), { query: { limit: 100 }, signal }).then(
      (page) => page.items,
    ),
  get: (id: string, signal?: AbortSignal) =>
    request<ReportJob>(apiPath('/api/v1/reports/{report_id}', { report_id: id }), { signal }),
  remove: (id: string) => request<void>(apiPath('/api/v1/reports/{report_id}', { report_id: id }), { method: 'DELETE' }),
  download: (id: string, filename: string) =>
    downloadFile(apiPath('/api/v1/reports/{report_id}/pdf', { report_id: id }), filename),
  retry: (id: string) => request<ReportJob>(apiPath('/api/v1/reports/{report_id}/retry', { report_id: id }), { method: 'POST' }),
};

// --- charts (drawn by report-svc in the user's style preset) ------------------------------

/** The chart kinds report-svc draws, as its OpenAPI document lists them. */
export type ChartKind =
  paths['/api/v1/charts/sessions/{year}/{event}/{session}/{chart}.{fmt}']['get']['parameters']['path']['chart'];

export const charts = {
  download: (
    key: SessionKey,
    chart: ChartKind,
    format: 'png' | 'svg',
    options: { drivers?: string[]; laps?: string[]; color_by?: 'speed' | 'gear' | 'delta' },
    filename: string,
  ) =>
    downloadFile(
      withQuery(apiPath('/api/v1/charts/sessions/{year}/{event}/{session}/{chart}.{fmt}', {
        ...sessionParams(key),
        chart,
        fmt: format,
      }), {
        drivers: options.drivers,
        laps: options.laps,
        color_by: options.color_by,
        width: 1600,
        height: 900,
      }),
      filename,
    ),
};
