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

// Ask Pitwall: questions answered from the analysis tools (`pitwall_shared.contracts.ask`).
export type AskContext = Schemas['AskContext'];
export type AskRequest = Schemas['AskRequest'];
export type AskAnswer = Schemas['AskAnswer'];
export type ToolCallRecord = Schemas['ToolCallRecord'];
export type Conversation = Schemas['Conversation'];
export type ConversationPage = Schemas['ConversationPage'];
export type ConversationSummary = Schemas['ConversationSummary'];
