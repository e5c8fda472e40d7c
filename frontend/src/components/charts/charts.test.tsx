import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { LapComparison } from '../../api/types';
import comparisonFixture from '../../test/fixtures/hungary-2024-q-nor-pia.json';
import cornersFixture from '../../test/fixtures/hungary-2024-corners.json';
import { TraceChart } from './TraceChart';
import { TrackMap, gainByStretch, rampColour } from './TrackMap';
import { linePath, nearestIndex, ticks } from './scale';

const comparison = comparisonFixture as unknown as LapComparison;
const corners = cornersFixture.corners;
const NOR = { label: 'NOR', colour: '#ff8000' };
const PIA = { label: 'PIA', colour: '#007fff' };

describe('scale helpers', () => {
  it('breaks lines at missing samples', () => {
    const path = linePath([0, 1, 2, 3], [1, null, 2, 3], (v) => v, (v) => v);
    expect(path).toBe('M0.0,1.0M2.0,2.0L3.0,3.0');
  });

  it('makes round ticks and finds the nearest sample', () => {
    expect(ticks([0, 4381], 4)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(nearestIndex([0, 10, 20, 30], 14)).toBe(1);
    expect(nearestIndex([0, 10, 20, 30], 16)).toBe(2);
  });
});

describe('TraceChart', () => {
  it('draws speed, throttle and brake for both laps and the delta', () => {
    const { container } = render(<TraceChart comparison={comparison} a={NOR} b={PIA} corners={corners} />);
    const strokes = [...container.querySelectorAll('path.trace')].map((p) => p.getAttribute('stroke'));
    // three channels x two drivers, plus the delta line (coloured by CSS)
    expect(strokes.filter((s) => s === NOR.colour)).toHaveLength(3);
    expect(strokes.filter((s) => s === PIA.colour)).toHaveLength(3);
    expect(container.querySelector('path.delta')?.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){100,}/);
    // Corners too close together on screen (12, 12A, 13 at Hungaroring) are not all labelled.
    const labelled = [...container.querySelectorAll('.corner-mark text')].map((t) => t.textContent);
    expect(labelled).toEqual(expect.arrayContaining(['1', '2', '4', '11', '14']));
    expect(labelled.length).toBeGreaterThan(10);
    expect(labelled.length).toBeLessThanOrEqual(corners.length);
    expect(screen.getByRole('img', { name: /NOR against PIA/ })).toBeInTheDocument();
  });

  it('reads both laps at the cursor, moved with the keyboard', async () => {
    render(<TraceChart comparison={comparison} a={NOR} b={PIA} />);
    const chart = screen.getByRole('img', { name: /Speed, throttle, brake and delta/ });
    chart.focus();
    await userEvent.keyboard('{End}');
    const last = comparison.distance.length - 1;
    const readout = chart.parentElement!.querySelector('.trace-readout')!;
    expect(readout).toHaveTextContent(`${Math.round(comparison.distance[last])} m`);
    expect(readout).toHaveTextContent(`${Math.round(comparison.channels_a.speed[last]!)} km/h`);
    await userEvent.keyboard('{Home}');
    expect(readout).toHaveTextContent(/^0 m/);
    fireEvent.keyDown(chart, { key: 'Escape' });
    expect(readout).toHaveTextContent(/arrow keys/);
  });
});

describe('TrackMap', () => {
  it('colours each stretch by the driver gaining there, or by speed', async () => {
    const { container } = render(
      <TrackMap
        xs={comparison.channels_a.x}
        ys={comparison.channels_a.y}
        speed={comparison.channels_a.speed}
        delta={comparison.delta_s}
        corners={corners}
        a={NOR}
        b={PIA}
      />,
    );
    const colours = () =>
      new Set([...container.querySelectorAll('.track-colour path')].map((l) => l.getAttribute('stroke')));
    expect(colours()).toContain(NOR.colour);
    expect(colours()).toContain(PIA.colour);
    expect(screen.getByText('NOR faster')).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Speed'));
    expect(colours()).not.toContain(NOR.colour);
    expect(colours().size).toBeGreaterThan(10);
    expect(screen.getByRole('img', { name: /coloured by NOR's speed/ })).toBeInTheDocument();
    expect(container.querySelectorAll('.track-corner')).toHaveLength(corners.length);
  });

  it('gives a stretch to A when B’s delta grows, to B when it shrinks', () => {
    expect(gainByStretch([0, 0.1, 0.2, 0.2, 0.1, 0.0], 1)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(rampColour(0)).toBe('#440154');
    expect(rampColour(1)).toBe('#fde725');
  });
});
