import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  PaceDistributionResponse,
  QualifyingOverviewResponse,
  RaceTraceResponse,
  StrategyResponse,
} from '../../api/types';
import paceFixture from '../../test/fixtures/azerbaijan-2018-r-pace-distribution.json';
import traceFixture from '../../test/fixtures/azerbaijan-2018-r-race-trace.json';
import strategyFixture from '../../test/fixtures/azerbaijan-2018-r-strategy.json';
import qualifyingFixture from '../../test/fixtures/hungary-2024-q-qualifying-overview.json';
import { PaceDistributionChart, TeamPaceChart, TeammateTable } from './PaceCharts';
import { IdealLapsTable, QualifyingGapChart, SegmentsTable } from './QualifyingCharts';
import { PositionsChart, RaceTraceChart, gapCeiling, traceByDriver } from './RaceTraceChart';
import { DegradationChart, StintBars } from './StrategyCharts';
import { spreadLabels } from './scale';
import { BattlesList, PitStopsTable } from '../PitStopsTable';

// Real 2018 Azerbaijan GP race and 2024 Hungarian GP qualifying answers (see fixtures/README.md).
const trace = (traceFixture as unknown as RaceTraceResponse).facts;
const strategy = (strategyFixture as unknown as StrategyResponse).facts;
const pace = (paceFixture as unknown as PaceDistributionResponse).facts;
const qualifying = (qualifyingFixture as unknown as QualifyingOverviewResponse).facts;

/** Straight from the columns: a driver's position at the end of a lap. */
function positionAt(driver: string, lap: number): number | null {
  const i = trace.trace.driver.findIndex((d, k) => d === driver && trace.trace.lap_number[k] === lap);
  return i < 0 ? null : trace.trace.position[i];
}

describe('race trace', () => {
  it('regroups the columns per driver, laps in order', () => {
    const byDriver = traceByDriver(trace.trace);
    expect(byDriver.size).toBe(trace.drivers.filter((d) => d.laps_completed > 0).length);
    const ham = byDriver.get('HAM')!;
    expect(ham.laps).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    expect(ham.position[49]).toBe(positionAt('HAM', 50));
    expect(byDriver.get('HUL')!.laps).toHaveLength(10);
  });

  it('draws every car, highlights the chosen ones and shades each safety car', () => {
    const { container } = render(<RaceTraceChart facts={trace} highlighted={['VET', 'HAM']} />);
    const on = [...container.querySelectorAll('g.series.on')].map((g) => g.getAttribute('data-driver'));
    expect(on.sort()).toEqual(['HAM', 'VET']);
    expect(container.querySelectorAll('g.series.off')).toHaveLength(traceByDriver(trace.trace).size - 2);
    expect(container.querySelectorAll('.band')).toHaveLength(trace.neutralisations!.length);
    expect([...container.querySelectorAll('.band text')].map((t) => t.textContent)).toEqual(['SC', 'SC']);
    // One marker per pit stop of a highlighted driver.
    const stops = trace.drivers.filter((d) => d.driver === 'HAM' || d.driver === 'VET').flatMap((d) => d.pit_laps ?? []);
    expect(container.querySelectorAll('.pit-mark')).toHaveLength(stops.length);
    expect(screen.getByRole('img', { name: /highlighting VET, HAM.*SC laps 1-5; SC laps 40-47/ })).toBeInTheDocument();
  });

  it('reads the highlighted drivers’ positions on the lap under the pointer', () => {
    const { container } = render(<RaceTraceChart facts={trace} highlighted={['VET']} />);
    const svg = container.querySelector('svg')!;
    // jsdom lays nothing out: the chart is 800 px wide from x = 0, so x = 52 + 25.5 laps' width is lap 26.
    const plot = 800 - 52 - 44;
    fireEvent.mouseMove(svg, { clientX: 52 + (plot * 25.5) / 51 });
    const readout = container.querySelector('.trace-readout')!.textContent!;
    expect(readout).toContain('Lap 26:');
    expect(readout).toContain(`VET P${positionAt('VET', 26)}`);
  });

  it('stops the gap axis at the highlighted drivers’ largest lead-lap gap', () => {
    const vet = trace.trace.gap_to_leader_s.filter((g, i) => trace.trace.driver[i] === 'VET' && g !== null) as number[];
    expect(gapCeiling(trace.trace, new Set(['VET']))).toBeCloseTo(Math.max(...vet) * 1.05, 6);
    expect(gapCeiling(trace.trace, new Set())).toBeGreaterThan(10);
  });

  it('draws positions lap by lap, naming finishers and only highlighted retirements', () => {
    const { container, rerender } = render(<PositionsChart facts={trace} highlighted={['HAM']} />);
    const labels = () => [...container.querySelectorAll('.end-label')].map((t) => t.textContent);
    const finishers = trace.drivers.filter((d) => d.laps_completed === trace.total_laps).map((d) => d.driver);
    expect(labels().sort()).toEqual(finishers.sort());
    rerender(<PositionsChart facts={trace} highlighted={['HAM', 'VER']} />);
    expect(labels()).toContain('VER ×');
  });

  it('keeps labels apart', () => {
    expect(spreadLabels([10, 12, 11], 10)).toEqual([10, 30, 20]);
    expect(spreadLabels([95, 96], 10, 100)).toEqual([90, 100]);
  });
});

describe('pace charts', () => {
  it('draws a box per driver in finishing order with every clean lap as a compound-coloured point', () => {
    const { container } = render(<PaceDistributionChart facts={pace} year={2018} />);
    const drivers = pace.drivers.filter((d) => d.quantiles);
    expect([...container.querySelectorAll('.pace-box')].map((g) => g.getAttribute('data-driver'))).toEqual(drivers.map((d) => d.driver));
    const laps = drivers.reduce((n, d) => n + (d.lap_time_s ?? []).length, 0);
    expect(container.querySelectorAll('.lap-point')).toHaveLength(laps);
    const fills = new Set([...container.querySelectorAll('.lap-point')].map((c) => c.getAttribute('fill')));
    // 2018 colours: supersoft red, soft yellow, ultrasoft purple.
    expect(fills).toEqual(new Set(['#da291c', '#ffd12e', '#b24ba7']));
    const legend = [...container.querySelectorAll('.legend > span')].map((s) => s.textContent);
    expect(legend).toEqual(expect.arrayContaining(['Supersoft', 'Soft', 'Ultrasoft']));
  });

  it('ranks teams fastest first and lists team-mate gaps', () => {
    const { container } = render(<><TeamPaceChart facts={pace} /><TeammateTable facts={pace} /></>);
    expect([...container.querySelectorAll('.team-row')].map((g) => g.getAttribute('data-team'))).toEqual(pace.teams.map((t) => t.team));
    const mercedes = pace.teammates.find((t) => t.team === 'Mercedes')!;
    const row = screen.getByRole('row', { name: /^Mercedes/ });
    expect(row).toHaveTextContent(`${Math.abs(mercedes.median_delta_s!).toFixed(3)} s`);
    expect(row).toHaveTextContent(mercedes.faster!);
  });
});

describe('strategy charts', () => {
  it('draws each stint in its compound colour, drivers in finishing order', () => {
    const { container } = render(<StintBars facts={strategy} year={2018} />);
    expect(container.querySelectorAll('.stint rect')).toHaveLength(strategy.stints.length);
    expect([...container.querySelectorAll('[data-driver]')].map((g) => g.getAttribute('data-driver'))).toEqual(strategy.drivers.map((d) => d.driver));
    const ham = [...container.querySelectorAll('[data-driver="HAM"] .stint rect')].map((r) => r.getAttribute('fill'));
    const hamCompounds = strategy.stints.filter((s) => s.driver === 'HAM').map((s) => s.compound);
    expect(ham).toEqual(hamCompounds.map((c) => ({ SUPERSOFT: '#da291c', SOFT: '#ffd12e', ULTRASOFT: '#b24ba7' })[c!] ?? '#9a9a9a'));
  });

  it('plots the chosen drivers’ clean laps against tyre age with each stint’s fitted slope', () => {
    const { container } = render(<DegradationChart facts={strategy} drivers={['HAM']} year={2018} />);
    const stints = strategy.stints.filter((s) => s.driver === 'HAM' && (s.clean_lap_time_s ?? []).length > 0);
    expect(container.querySelectorAll('.deg-stint')).toHaveLength(stints.length);
    expect(container.querySelectorAll('.deg-stint circle')).toHaveLength(stints.reduce((n, s) => n + s.clean_lap_time_s!.length, 0));
    expect(container.querySelectorAll('.fit-line')).toHaveLength(stints.filter((s) => s.degradation_s_per_lap !== null).length);
    const first = stints.find((s) => s.degradation_s_per_lap !== null)!;
    expect(screen.getByText(new RegExp(`${first.degradation_s_per_lap!.toFixed(3)} s/lap`))).toBeInTheDocument();
  });

  it('shows a measured stop’s cost and, for a stop under the safety car, why there is none', () => {
    render(<><PitStopsTable facts={strategy} /><BattlesList facts={strategy} /></>);
    const green = strategy.pit_stops.find((p) => p.driver === 'HAM' && p.time_loss_s !== null)!;
    const neutral = strategy.pit_stops.find((p) => p.driver === 'HAM' && p.time_loss_s === null)!;
    const rows = screen.getAllByRole('row').filter((r) => r.getAttribute('data-driver') === 'HAM');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(`+${green.time_loss_s!.toFixed(3)} s`);
    expect(rows[0]).toHaveTextContent(`${green.reference_s!.toFixed(3)} s (${green.comparison_cars} cars)`);
    expect(rows[1]).toHaveTextContent('not measurable');
    expect(rows[1]).toHaveTextContent(neutral.note!);
    expect(rows[1]).toHaveTextContent('SC');
    expect(screen.getAllByRole('listitem')).toHaveLength(strategy.battles!.length);
  });
});

describe('qualifying charts', () => {
  it('ranks the gap to pole with a line where each segment’s eliminations start', () => {
    const { container } = render(<QualifyingGapChart facts={qualifying} />);
    const rows = [...container.querySelectorAll('.quali-row')].map((g) => g.getAttribute('data-driver'));
    expect(rows).toEqual(qualifying.drivers.map((d) => d.driver));
    expect([...container.querySelectorAll('.cutoff text')].map((t) => t.textContent)).toEqual(['knocked out in Q2', 'knocked out in Q1']);
    expect(screen.getByRole('img', { name: /pole NOR 1:15\.227/ })).toBeInTheDocument();
  });

  it('keeps a driver 20 s off from squashing the others: the bar stops at the edge, the value is written', () => {
    const far = { ...qualifying, drivers: qualifying.drivers.map((d, i) => (i === qualifying.drivers.length - 1 ? { ...d, gap_to_pole_s: 22.615 } : d)) };
    const { container } = render(<QualifyingGapChart facts={far} />);
    const bars = [...container.querySelectorAll('.quali-row rect')].map((r) => Number(r.getAttribute('width')));
    const last = container.querySelectorAll('.quali-row')[far.drivers.length - 1];
    expect(last.querySelector('.bar-value')!.textContent).toContain('+22.615 ›');
    // The second slowest keeps a readable bar: more than a third of the longest.
    expect(bars[bars.length - 2]).toBeGreaterThan(bars[bars.length - 1] / 3);
  });

  it('lists each segment’s cut-off and every driver’s best and ideal lap', () => {
    render(<><SegmentsTable facts={qualifying} /><IdealLapsTable facts={qualifying} /></>);
    const q1 = qualifying.segments.find((s) => s.segment === 'Q1')!;
    expect(screen.getByRole('row', { name: /^Q1/ })).toHaveTextContent(q1.eliminated!.join(', '));
    const ideal = screen.getByRole('region', { name: 'Best and ideal laps' });
    expect(ideal.querySelectorAll('tbody tr')).toHaveLength(qualifying.drivers.length);
  });
});
