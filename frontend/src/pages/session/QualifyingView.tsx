import { analysis } from '../../api/endpoints';
import type { SessionKey } from '../../api/endpoints';
import type { LapTable, SessionCode, SessionInfo } from '../../api/types';
import { ChartDownload } from '../../components/ChartExports';
import { CsvDownload } from '../../components/CsvDownload';
import { ReportCreator } from '../../components/ReportCreator';
import { ResultsTable } from '../../components/ResultsTable';
import { AnalysisInsights, Async, Section } from '../../components/Section';
import { IdealLapsTable, QualifyingGapChart, SegmentsTable } from '../../components/charts/QualifyingCharts';
import { useAsync } from '../../lib/useAsync';
import { CompareSection, LapTimesSection } from './common';

interface ViewProps {
  info: SessionInfo;
  sessionKey: SessionKey;
  laps: ReturnType<typeof useAsync<LapTable>>;
  highlighted: string[];
}

/** Qualifying and sprint qualifying: gap to pole, segments, ideal laps, then the lap comparison. */
export function QualifyingView({ info, sessionKey, laps, highlighted }: ViewProps) {
  const overview = useAsync((signal) => analysis.qualifyingOverview(sessionKey, signal), [sessionKey]);
  return (
    <div className="stack">
      <Async state={overview} what="the qualifying overview">
        {({ facts, insights }) => (
          <>
            <div className="grid-2 wide-left">
              <Section title="Gap to pole" actions={<CsvDownload sessionKey={sessionKey} table="qualifying-overview" label="qualifying overview" />}>
                <QualifyingGapChart facts={facts} />
                <ChartDownload sessionKey={sessionKey} chart="quali-gaps" label="Gap to pole" />
              </Section>
              <div className="stack">
                <AnalysisInsights title="Insights" insights={insights} rules={facts.rules} notes={facts.notes ?? []} />
                <Section title="Segments"><SegmentsTable facts={facts} /></Section>
              </div>
            </div>
            <Section title="Ideal laps"><IdealLapsTable facts={facts} /></Section>
          </>
        )}
      </Async>
      <CompareSection info={info} sessionKey={sessionKey} laps={laps} />
      <div className="grid-2">
        <LapTimesSection info={info} sessionKey={sessionKey} laps={laps} highlighted={highlighted} />
        <Section title="Results" actions={<CsvDownload sessionKey={sessionKey} table="results" label="results" />}>
          <ResultsTable info={info} />
        </Section>
      </div>
      <SessionReport sessionKey={sessionKey} />
    </div>
  );
}

/** Practice: the lap comparison, lap times, fastest laps. */
export function PracticeView({ info, sessionKey, laps, highlighted }: ViewProps) {
  return (
    <div className="stack">
      <CompareSection info={info} sessionKey={sessionKey} laps={laps} />
      <div className="grid-2">
        <LapTimesSection info={info} sessionKey={sessionKey} laps={laps} highlighted={highlighted} />
        <Section title="Fastest laps" actions={<CsvDownload sessionKey={sessionKey} table="results" label="results" />}>
          <ResultsTable info={info} />
        </Section>
      </div>
      <SessionReport sessionKey={sessionKey} />
    </div>
  );
}

function SessionReport({ sessionKey }: { sessionKey: SessionKey }) {
  return (
    <Section title="Session report">
      <ReportCreator
        description="A PDF summary of this session: results and gaps, fastest laps, tyres, weather and race control."
        request={{ kind: 'session_summary', year: sessionKey.year, event: sessionKey.event, session: sessionKey.session as SessionCode }}
      />
    </Section>
  );
}
