import { memo, useMemo, useState } from 'react';
import type { Corner } from '../../api/types';
import type { DriverStyle } from './TraceChart';
import { extent } from './scale';

export type MapColouring = 'speed' | 'delta';

export interface TrackMapProps {
  xs: readonly (number | null)[];
  ys: readonly (number | null)[];
  speed: readonly (number | null)[];
  /** Running delta (B minus A, seconds) on the same samples as xs/ys. */
  delta: readonly (number | null)[];
  corners?: Corner[];
  rotationDeg?: number;
  a: DriverStyle;
  b: DriverStyle;
}

// A perceptually ordered ramp (dark violet -> yellow) so slow and fast read without a legend.
const RAMP = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];
// Speed colours come in this many steps (finer is invisible on a map this size).
const SPEED_STEPS = 24;

export function rampColour(t: number): string {
  const clamped = Math.max(0, Math.min(1, t));
  const position = clamped * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(position));
  const f = position - i;
  const from = parseInt(RAMP[i].slice(1), 16);
  const to = parseInt(RAMP[i + 1].slice(1), 16);
  const channel = (shift: number) =>
    Math.round(((from >> shift) & 0xff) * (1 - f) + ((to >> shift) & 0xff) * f);
  return `#${((channel(16) << 16) | (channel(8) << 8) | channel(0)).toString(16).padStart(6, '0')}`;
}

/**
 * Which driver gains over each stretch: the slope of the delta over a few samples, so a
 * single noisy sample does not flip the colour. Positive slope = B losing = A faster.
 */
export function gainByStretch(delta: readonly (number | null)[], window = 3): (0 | 1 | null)[] {
  return delta.map((_, i) => {
    const from = delta[Math.max(0, i - window)];
    const to = delta[Math.min(delta.length - 1, i + window)];
    if (from === null || to === null || from === undefined || to === undefined) return null;
    if (Math.abs(to - from) < 1e-4) return null;
    return to > from ? 0 : 1;
  });
}

function rotate(x: number, y: number, radians: number): [number, number] {
  return [x * Math.cos(radians) - y * Math.sin(radians), x * Math.sin(radians) + y * Math.cos(radians)];
}

export const TrackMap = memo(function TrackMap({ xs, ys, speed, delta, corners = [], rotationDeg = 0, a, b }: TrackMapProps) {
  const [mode, setMode] = useState<MapColouring>('delta');
  const size = 420;
  const pad = 28;

  const geometry = useMemo(() => {
    const radians = (rotationDeg * Math.PI) / 180;
    const points = xs.map((xv, i) => {
      const yv = ys[i];
      return xv === null || yv === null ? null : rotate(xv, yv, radians);
    });
    const bx = extent(points.map((p) => (p ? p[0] : null))) ?? [0, 1];
    const by = extent(points.map((p) => (p ? p[1] : null))) ?? [0, 1];
    const scale = (size - 2 * pad) / Math.max(bx[1] - bx[0], by[1] - by[0], 1);
    const offsetX = (size - (bx[1] - bx[0]) * scale) / 2;
    const offsetY = (size - (by[1] - by[0]) * scale) / 2;
    // SVG's y axis points down; track coordinates point up.
    const project = (p: [number, number]): [number, number] => [
      offsetX + (p[0] - bx[0]) * scale,
      size - (offsetY + (p[1] - by[0]) * scale),
    ];
    const projected = points.map((p) => (p ? project(p) : null));
    const cornerMarks = corners.map((c) => ({
      corner: c,
      at: project(rotate(c.x, c.y, radians)),
    }));
    return { projected, cornerMarks };
  }, [xs, ys, corners, rotationDeg]);

  const speedRange = extent(speed) ?? [0, 1];
  const gains = useMemo(() => gainByStretch(delta), [delta]);

  // One path per colour (not one element per segment): hundreds of samples stay a handful
  // of DOM nodes, so redrawing on a mode switch is cheap.
  const layers = useMemo(() => {
    const byColour = new Map<string, string>();
    for (let i = 0; i + 1 < geometry.projected.length; i++) {
      const p = geometry.projected[i];
      const q = geometry.projected[i + 1];
      if (!p || !q) continue;
      let colour = '#9aa3b2';
      if (mode === 'speed') {
        const v = speed[i];
        if (v !== null && v !== undefined) {
          const t = (v - speedRange[0]) / (speedRange[1] - speedRange[0] || 1);
          colour = rampColour(Math.round(t * SPEED_STEPS) / SPEED_STEPS);
        }
      } else {
        const gain = gains[i];
        if (gain !== null) colour = gain === 0 ? a.colour : b.colour;
      }
      const segment = `M${p[0].toFixed(1)},${p[1].toFixed(1)}L${q[0].toFixed(1)},${q[1].toFixed(1)}`;
      byColour.set(colour, (byColour.get(colour) ?? '') + segment);
    }
    return [...byColour.entries()];
  }, [geometry, mode, speed, speedRange[0], speedRange[1], gains, a.colour, b.colour]);

  const outline = useMemo(
    () =>
      geometry.projected
        .map((p, i) => (p ? `${i === 0 || !geometry.projected[i - 1] ? 'M' : 'L'}${p[0].toFixed(1)},${p[1].toFixed(1)}` : ''))
        .join(''),
    [geometry],
  );

  const label =
    mode === 'speed'
      ? `Track map coloured by ${a.label}'s speed, from ${Math.round(speedRange[0])} to ${Math.round(speedRange[1])} km/h.`
      : `Track map coloured by who gains time: ${a.label} or ${b.label}.`;

  return (
    <div className="track-map">
      <fieldset className="segmented" aria-label="Colour the track by">
        <legend className="visually-hidden">Colour the track by</legend>
        {(['delta', 'speed'] as const).map((m) => (
          <label key={m} className={mode === m ? 'active' : ''}>
            <input type="radio" name="map-colouring" value={m} checked={mode === m}
              onChange={() => setMode(m)} />
            {m === 'delta' ? 'Who is faster' : 'Speed'}
          </label>
        ))}
      </fieldset>
      <svg role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} className="track-svg">
        <path className="track-base" d={outline} />
        <g className="track-colour">
          {layers.map(([colour, d]) => (
            <path key={colour} d={d} stroke={colour} />
          ))}
        </g>
        {geometry.cornerMarks.map(({ corner, at }) => (
          <g key={`${corner.number}${corner.letter ?? ''}`} className="track-corner">
            <circle cx={at[0]} cy={at[1]} r={8} />
            <text x={at[0]} y={at[1]} dy="0.35em" textAnchor="middle">
              {corner.number}{corner.letter ?? ''}
            </text>
          </g>
        ))}
      </svg>
      {mode === 'speed' ? (
        <div className="ramp-legend" aria-hidden="true">
          <span>{Math.round(speedRange[0])} km/h</span>
          <span className="ramp" style={{ background: `linear-gradient(90deg, ${RAMP.join(',')})` }} />
          <span>{Math.round(speedRange[1])} km/h</span>
        </div>
      ) : (
        <div className="legend">
          <span><i className="swatch" style={{ background: a.colour }} />{a.label} faster</span>
          <span><i className="swatch" style={{ background: b.colour }} />{b.label} faster</span>
        </div>
      )}
    </div>
  );
});
