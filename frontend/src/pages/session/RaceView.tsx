import { useState } from 'react';
import type { ReactNode } from 'react';
import { analysis } from '../../api/endpoints';
import type { SessionKey } from '../../api/endpoints';
import type { LapTable, SessionCode, SessionInfo } from '../../api/types';
import { ChartDownload } from '../../components/ChartExports';
import { CsvDownload } from '../../components/CsvDownload';
import { DriverHighlighter } from '../../components/DriverHighlighter';
import { InsightsPanel } from '../../components/InsightsPanel';
import { ReportCreator } from '../../components/ReportCreator';
import { ResultsTable } from '../../components/ResultsTable';
import { AnalysisInsights, Async, Section } from '../../components/Section';
import { Tabs } from '../../components/Tabs';
import { PaceDistributionChart, TeamPaceChart, TeammateTable } from '../../components/charts/PaceCharts';
import { PositionsChart, RaceTraceChart } from '../../components/charts/RaceTraceChart';
import { BattlesList, PitStopsTable } from '../../components/PitStopsTable';
import { DegradationChart, StintBars } from '../../components/charts/StrategyCharts';
import { useAsync } from '../../lib/useAsync';
import { CompareSection, LapTimesSection } from './common';

interface RaceProps {
  info: SessionInfo;
  sessionKey: SessionKey;
  laps: ReturnType<typeof useAsync<LapTable>>;
  highlighted: string[];
  onHighlight: (drivers: string[]) => void;
}

function Overview({ info, sessionKey, laps, highlighted }: RaceProps) {
  const summary = useAsync((signal) => analysis.summary(sessionKey, signal), [sessionKey]);
  const story = useAsync((signal) => analysis.raceTrace(sessionKey, signal), [sessionKey]);
  return (
    <div className="stack">
      <div className="grid-2 wide-left">
        <Section title="Results" actions={<CsvDownload sessionKey={sessionKey} table="results" label="results" />}>
          <ResultsTable info={info} />
        </Section>
        <div className="stack">
          <Section title="Insights">
            <Async state={summary} what="the race summary">
              {(data) => <InsightsPanel narrative={data.insights} empty="No insights for this session." />}
            </Async>
          </Section>
          <Section title="How the race unfolded">
            <Async state={story} what="the race story">
              {(data) => <InsightsPanel narrative={data.insights} empty="Nothing stood out." />}
            </Async>
          </Section>
        </div>
      </div>
      <LapTimesSection info={info} sessionKey={sessionKey} laps={laps} highlighted={highlighted} />
      <Section title="Session report">
        <ReportCreator
          description="A PDF of this race: results, race trace, pace, strategy with the real cost of each stop, and the insights."
          request={{ kind: 'session_summary', year: sessionKey.year, event: sessionKey.event, session: sessionKey.session as SessionCode }}
        />
      </Section>
      <CompareSection info={info} sessionKey={sessionKey} laps={laps} />
    </div>
  );
}

function Pace({ info, sessionKey }: RaceProps) {
  const pace = useAsync((signal) => analysis.paceDistribution(sessionKey, signal), [sessionKey]);
  const year = info.session.year;
  return (
    <Async state={pace} what="race pace">
      {({ facts, insights }) => (
        <div className="stack">
          <Section title="Race pace by driver" actions={<>
            <CsvDownload sessionKey={sessionKey} table="pace-drivers" label="pace by driver" buttonText="Drivers CSV" />
            <CsvDownload sessionKey={sessionKey} table="pace-laps" label="clean laps" buttonText="Laps CSV" />
          </>}>
            <PaceDistributionChart facts={facts} year={year} />
            <ChartDownload sessionKey={sessionKey} chart="race-pace" label="Race pace" />
          </Section>
          <div className="grid-2">
            <Section title="Team pace ranking" actions={<CsvDownload sessionKey={sessionKey} table="pace-teams" label="team pace" />}>
              <TeamPaceChart facts={facts} />
              <ChartDownload sessionKey={sessionKey} chart="team-pace" label="Team pace" />
            </Section>
            <Section title="Team-mates">
              <TeammateTable facts={facts} />
            </Section>
          </div>
          <AnalysisInsights title="Pace insights" insights={insights} rules={facts.rules} notes={facts.notes ?? []} />
        </div>
      )}
    </Async>
  );
}

function Strategy({ info, sessionKey, highlighted, onHighlight }: RaceProps) {
  const strategy = useAsync((signal) => analysis.strategy(sessionKey, signal), [sessionKey]);
  const year = info.session.year;
  return (
    <Async state={strategy} what="strategy">
      {({ facts, insights }) => (
        <div className="stack">
          <Section title="Tyre strategy" actions={<CsvDownload sessionKey={sessionKey} table="strategy-stints" label="stints" />}>
            <StintBars facts={facts} year={year} />
            <ChartDownload sessionKey={sessionKey} chart="tyre-strategy" label="Tyre strategy" />
          </Section>
          <Section title="Pit stops and what they cost" actions={<CsvDownload sessionKey={sessionKey} table="strategy-pit-stops" label="pit stops" />}>
            <PitStopsTable facts={facts} />
            <h3 className="subhead">Undercuts and overcuts</h3>
            <BattlesList facts={facts} />
          </Section>
          <Section title="Tyre degradation">
            <DriverHighlighter drivers={facts.drivers} selected={highlighted} onChange={onHighlight} label="Drivers shown" />
            <DegradationChart facts={facts} drivers={highlighted} year={year} />
            <ChartDownload sessionKey={sessionKey} chart="degradation" label="Degradation" drivers={highlighted} />
          </Section>
          <AnalysisInsights title="Strategy insights" insights={insights} rules={facts.rules} notes={facts.notes ?? []} />
        </div>
      )}
    </Async>
  );
}

function Trace({ sessionKey, highlighted, onHighlight }: RaceProps) {
  const trace = useAsync((signal) => analysis.raceTrace(sessionKey, signal), [sessionKey]);
  return (
    <Async state={trace} what="the race trace">
      {({ facts, insights }) => (
        <div className="stack">
          <Section title="Gap to the leader" actions={<CsvDownload sessionKey={sessionKey} table="race-trace" label="race trace" />}>
            <DriverHighlighter drivers={facts.drivers} selected={highlighted} onChange={onHighlight} />
            <RaceTraceChart facts={facts} highlighted={highlighted} />
            <ChartDownload sessionKey={sessionKey} chart="race-trace" label="Race trace" drivers={highlighted} />
          </Section>
          <Section title="Positions">
            <PositionsChart facts={facts} highlighted={highlighted} />
            <ChartDownload sessionKey={sessionKey} chart="positions" label="Position changes" drivers={highlighted} />
          </Section>
          <AnalysisInsights title="Race trace insights" insights={insights} rules={facts.rules} notes={facts.notes ?? []} />
        </div>
      )}
    </Async>
  );
}

/** Race and sprint: results and insights, pace, strategy, race trace, and questions about it. */
export function RaceView({ askPanel, ...props }: Omit<RaceProps, 'highlighted' | 'onHighlight'> & {
  initialHighlight: string[];
  askPanel: ReactNode;
}) {
  const [highlighted, setHighlighted] = useState(props.initialHighlight);
  const shared: RaceProps = { ...props, highlighted, onHighlight: setHighlighted };
  return (
    <>
      <Tabs
        label="Race analysis"
        tabs={[
          { id: 'overview', label: 'Overview', render: () => <Overview {...shared} /> },
          { id: 'pace', label: 'Pace', render: () => <Pace {...shared} /> },
          { id: 'strategy', label: 'Strategy', render: () => <Strategy {...shared} /> },
          { id: 'trace', label: 'Race trace', render: () => <Trace {...shared} /> },
          { id: 'ask', label: 'Ask', render: () => askPanel },
        ]}
      />
    </>
  );
}
