/**
 * Names for the API's shapes. Provisional hand-written mirror of the shared contracts until
 * the generated schema replaces it.
 */

export type SessionCode = 'FP1' | 'FP2' | 'FP3' | 'SQ' | 'SS' | 'Q' | 'S' | 'R';
export type StylePreset = 'light' | 'dark' | 'print' | 'team';
export type Column = unknown[];

export interface Preferences {
  plot_style: StylePreset;
  favourite_drivers: string[];
}

export interface User {
  id: string;
  email: string;
  display_name: string;
  role: 'user' | 'admin';
  preferences: Preferences;
  created_at: string;
}

export interface TokenPair {
  access_token: string;
  token_type?: 'bearer';
  expires_in: number;
  refresh_token?: string | null;
}

export interface SessionRef {
  year: number;
  round: number;
  event_name: string;
  country?: string;
  location?: string;
  session: SessionCode;
  session_name: string;
  date?: string | null;
}

export interface Driver {
  abbreviation: string;
  number?: string;
  full_name?: string;
  team?: string;
  team_colour?: string;
}

export interface SessionInfo {
  session: SessionRef;
  drivers: Driver[];
  results: Record<string, Column>;
  has_telemetry: boolean;
}

export interface LapTable {
  session: SessionRef;
  count: number;
  laps: Record<string, Column>;
}

export interface LapRef {
  driver: string;
  lap_number: number;
  lap_time_s: number | null;
  sector_times_s?: (number | null)[];
  compound?: string | null;
  tyre_life?: number | null;
}

export interface LapComparison {
  session: SessionRef;
  a: LapRef;
  b: LapRef;
  points: number;
  distance: number[];
  delta_s: number[];
  channels_a: Record<string, (number | null)[]>;
  channels_b: Record<string, (number | null)[]>;
  sector_boundaries_m?: number[];
}

export interface Corner {
  number: number;
  letter?: string;
  distance_m: number;
  x: number;
  y: number;
  angle?: number;
}

export interface Circuit {
  session: SessionRef;
  track_length_m: number | null;
  rotation_deg?: number;
  corners: Corner[];
  outline: Record<string, number[]>;
}

export interface ScheduleEvent {
  round: number;
  event_name: string;
  country: string;
  location: string;
  event_date: string | null;
  event_format: string;
  sessions: { code?: string; name?: string; date?: string | null }[];
}

export interface Insight {
  text: string;
  figures?: number[];
  fact_refs?: string[];
}

export interface Narrative {
  source: 'model' | 'deterministic';
  model?: string | null;
  insights: Insight[];
  dropped_claims?: string[];
  prompt_version?: string;
  cached?: boolean;
}

export interface AnalysisResponse {
  kind: string;
  session: Record<string, unknown>;
  facts: Record<string, unknown>;
  insights: Narrative;
}

export type ReportState = 'queued' | 'running' | 'succeeded' | 'failed';
export type ReportKind = 'lap_comparison' | 'race_pace' | 'session_summary';

export interface ReportJob {
  id: string;
  kind?: ReportKind;
  status: ReportState;
  progress: number;
  stage?: string | null;
  title?: string | null;
  created_at?: string;
  error?: string | null;
  file_size?: number | null;
  page_count?: number | null;
  pdf_url?: string | null;
}

export interface ReportRequest {
  kind?: ReportKind;
  year: number;
  event: string;
  session: SessionCode;
  drivers?: string[];
  driver_a?: string | null;
  driver_b?: string | null;
  lap_a?: string | null;
  lap_b?: string | null;
  style?: StylePreset | null;
  title?: string | null;
}
