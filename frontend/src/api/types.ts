/**
 * Names for the API's shapes, taken from the generated OpenAPI schema (`npm run gen:api`), so a
 * contract change in a service shows up here as a type error at build time.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type User = Schemas['UserPublic'];
export type Preferences = Schemas['Preferences'];
export type StylePreset = NonNullable<Preferences['plot_style']>;
export type TokenPair = Schemas['TokenPair'];

export type SessionRef = Schemas['SessionRef'];
export type SessionCode = SessionRef['session'];
export type Driver = Schemas['Driver'];
export type SessionInfo = Schemas['SessionInfo'];
export type LapTable = Schemas['LapTable'];
export type LapRef = Schemas['LapRef'];
export type LapComparison = Schemas['LapComparison'];
export type Corner = Schemas['Corner'];
export type Circuit = Schemas['Circuit'];
export type ScheduleEvent = Schemas['ScheduleEvent'];
export type SampleSession = Schemas['SampleSession'];

export type Insight = Schemas['Insight'];
export type Narrative = Schemas['Narrative'];
export type LapComparisonResponse = Schemas['LapComparisonResponse'];
export type SessionSummaryResponse = Schemas['SessionSummaryResponse'];

export type ReportJob = Schemas['ReportOut'];
export type ReportState = ReportJob['status'];
export type ReportKind = ReportJob['kind'];
export type ReportPage = Schemas['ReportPage'];
export type ReportRequest = Schemas['ReportCreate'];

export type LoadStatus = Schemas['LoadStatus'];
export type LoadStage = NonNullable<LoadStatus['stage']>;
export type TableResponse = Schemas['TableResponse'];

// Race-weekend analyses (typed facts from `pitwall_shared.contracts.race`).
export type RaceTraceResponse = Schemas['RaceTraceResponse'];
export type RaceTraceFacts = Schemas['RaceTraceFacts'];
export type StrategyResponse = Schemas['StrategyResponse'];
export type StrategyFacts = Schemas['StrategyFacts'];
export type StintFact = Schemas['StintFact'];
export type PitStopFact = Schemas['PitStopFact'];
export type PitBattle = Schemas['PitBattle'];
export type PaceDistributionResponse = Schemas['PaceDistributionResponse'];
export type PaceDistributionFacts = Schemas['PaceDistributionFacts'];
export type DriverPaceDistribution = Schemas['DriverPaceDistribution'];
export type TeamPace = Schemas['TeamPace'];
export type TeammateDelta = Schemas['TeammateDelta'];
export type QualifyingOverviewResponse = Schemas['QualifyingOverviewResponse'];
export type QualifyingOverviewFacts = Schemas['QualifyingOverviewFacts'];
export type QualifyingDriver = Schemas['QualifyingDriver'];
export type Neutralisation = Schemas['Neutralisation'];

// Ask Pitwall: questions answered from the same tools the analyses use.
export interface AskContext {
  year: number;
  event: string;
  session: string;
  drivers?: string[];
  laps?: (number | 'fastest')[];
}
export interface AskRequest {
  question: string;
  context?: AskContext | null;
  conversation_id?: string | null;
}
export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
  summary: string;
  link?: string | null;
  chart_url?: string | null;
  ok: boolean;
  error?: string | null;
}
export interface AskAnswer {
  conversation_id: string;
  answer_id: string;
  question: string;
  answerer: 'model' | 'rules';
  answerer_reason: string;
  text: string;
  dropped_claims: string[];
  tool_calls: ToolCallRecord[];
  created_at: string;
}
export interface ConversationSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  answers: number;
}
export interface ConversationPage {
  items: ConversationSummary[];
  total: number;
  limit: number;
  offset: number;
}
export interface Conversation {
  id: string;
  title: string;
  answers: AskAnswer[];
}
