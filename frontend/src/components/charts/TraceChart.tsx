import { memo, useMemo, useState } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import type { Corner, LapComparison } from '../../api/types';
import { formatGap } from '../../lib/format';
import { extent, linePath, linearScale, nearestIndex, ticks } from './scale';
import { useWidth } from './useWidth';

export interface DriverStyle {
  label: string;
  colour: string;
}

interface Panel {
  key: string;
  title: string;
  unit: string;
  height: number;
  step?: boolean;
  domain?: [number, number];
}

const PANELS: Panel[] = [
  { key: 'speed', title: 'Speed', unit: 'km/h', height: 190 },
  { key: 'throttle', title: 'Throttle', unit: '%', height: 80, domain: [0, 100] },
  { key: 'brake', title: 'Brake', unit: '', height: 48, step: true },
  { key: 'delta', title: 'Delta', unit: 's', height: 110 },
];
const MARGIN = { left: 52, right: 14, top: 34, gap: 24, bottom: 30 };
// Panel titles sit in the gap above each panel, clear of the lines.
const TITLE_OFFSET = 6;

function numeric(values: readonly (number | null)[] | undefined): (number | null)[] {
  return values ? values.map((v) => (v === null || v === undefined ? null : Number(v))) : [];
}

/**
 * Speed, throttle and brake of two laps on one distance grid, with the running delta under
 * them. A shared cursor follows the pointer or the arrow keys and reads out both laps.
 */
export const TraceChart = memo(function TraceChart({
  comparison,
  a,
  b,
  corners = [],
}: {
  comparison: LapComparison;
  a: DriverStyle;
  b: DriverStyle;
  corners?: Corner[];
}) {
  const [containerRef, width] = useWidth<HTMLDivElement>();
  const distance = comparison.distance;
  const [cursor, setCursor] = useState<number | null>(null);

  const series = useMemo(() => {
    const get = (channels: Record<string, (number | null)[]>, key: string) =>
      numeric(channels[key]);
    return {
      speed: [get(comparison.channels_a, 'speed'), get(comparison.channels_b, 'speed')],
      throttle: [get(comparison.channels_a, 'throttle'), get(comparison.channels_b, 'throttle')],
      brake: [get(comparison.channels_a, 'brake'), get(comparison.channels_b, 'brake')],
      delta: [numeric(comparison.delta_s)],
    } as Record<string, (number | null)[][]>;
  }, [comparison]);

  const innerWidth = Math.max(120, width - MARGIN.left - MARGIN.right);
  const xDomain = (extent(distance) ?? [0, 1]) as [number, number];
  const x = linearScale(xDomain, [MARGIN.left, MARGIN.left + innerWidth]);

  let top = MARGIN.top;
  const layout = PANELS.map((panel) => {
    const values = series[panel.key].flat();
    let domain = panel.domain ?? extent(values) ?? [0, 1];
    if (panel.key === 'brake') domain = [0, Math.max(1, domain[1])];
    if (panel.key === 'delta') {
      // Always show zero (who is ahead flips there), with a little room around the line.
      const low = Math.min(0, domain[0]);
      const high = Math.max(0, domain[1]);
      const pad = Math.max(0.02, (high - low) * 0.08);
      domain = [low - pad, high + pad];
    }
    if (panel.key === 'speed') domain = [Math.max(0, domain[0] - 10), domain[1] + 10];
    const y = linearScale(domain, [top + panel.height, top]);
    const placed = { panel, domain, y, top };
    top += panel.height + MARGIN.gap;
    return placed;
  });
  const height = top - MARGIN.gap + MARGIN.bottom;

  function moveTo(index: number) {
    setCursor(Math.max(0, Math.min(distance.length - 1, index)));
  }

  function onPointer(event: PointerEvent<SVGSVGElement>) {
    const box = event.currentTarget.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * width;
    const metres = xDomain[0] + ((px - MARGIN.left) / innerWidth) * (xDomain[1] - xDomain[0]);
    moveTo(nearestIndex(distance, metres));
  }

  function onKey(event: KeyboardEvent<SVGSVGElement>) {
    const stride = Math.max(1, Math.round(distance.length / 100));
    const current = cursor ?? 0;
    const moves: Record<string, number> = {
      ArrowRight: current + stride,
      ArrowLeft: current - stride,
      PageUp: current + stride * 10,
      PageDown: current - stride * 10,
      Home: 0,
      End: distance.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]);
    } else if (event.key === 'Escape') {
      setCursor(null);
    }
  }

  const readout = cursor === null ? null : {
    distance: distance[cursor],
    speed: series.speed.map((s) => s[cursor]),
    throttle: series.throttle.map((s) => s[cursor]),
    brake: series.brake.map((s) => s[cursor]),
    delta: series.delta[0][cursor],
  };
  const finalDelta = comparison.delta_s[comparison.delta_s.length - 1];
  const description =
    `${a.label} against ${b.label} over ${Math.round(xDomain[1])} m. ` +
    `Final delta ${formatGap(finalDelta)} (positive: ${b.label} behind).`;

  return (
    <div className="trace-chart" ref={containerRef}>
      <div className="trace-readout" aria-live="polite">
        {readout ? (
          <>
            <span className="mono">{Math.round(readout.distance)} m</span>
            <span><i className="swatch" style={{ background: a.colour }} />{a.label}{' '}
              <b className="mono">{fmt(readout.speed[0])}</b> km/h · {fmt(readout.throttle[0])}%
              {(readout.brake[0] ?? 0) > 0 ? ' · braking' : ''}</span>
            <span><i className="swatch" style={{ background: b.colour }} />{b.label}{' '}
              <b className="mono">{fmt(readout.speed[1])}</b> km/h · {fmt(readout.throttle[1])}%
              {(readout.brake[1] ?? 0) > 0 ? ' · braking' : ''}</span>
            <span>Δ <b className="mono">{formatGap(readout.delta)}</b></span>
          </>
        ) : (
          <span className="muted">Hover the chart, or focus it and use the arrow keys, to read
            both laps at one point.</span>
        )}
      </div>
      <svg
        role="img"
        aria-label={`Speed, throttle, brake and delta traces. ${description}`}
        tabIndex={0}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        onPointerMove={onPointer}
        onPointerLeave={() => setCursor(null)}
        onKeyDown={onKey}
        className="chart-svg"
      >
        {spacedCorners(corners, x, 16).map((c) => (
          <g key={`${c.number}${c.letter ?? ''}`} className="corner-mark">
            <line x1={x(c.distance_m)} x2={x(c.distance_m)} y1={MARGIN.top}
              y2={height - MARGIN.bottom} />
            <text x={x(c.distance_m)} y={11} textAnchor="middle">
              {c.number}{c.letter ?? ''}
            </text>
          </g>
        ))}
        {layout.map(({ panel, domain, y, top: panelTop }) => (
          <g key={panel.key} className={`panel panel-${panel.key}`}>
            <rect className="panel-bg" x={MARGIN.left} y={panelTop} width={innerWidth}
              height={panel.height} />
            {(panel.key === 'brake' ? [] : ticks(domain, panel.height > 100 ? 4 : 2)).map((t) => (
              <g key={t} className="tick">
                <line x1={MARGIN.left} x2={MARGIN.left + innerWidth} y1={y(t)} y2={y(t)} />
                <text x={MARGIN.left - 6} y={y(t)} dy="0.32em" textAnchor="end">{t}</text>
              </g>
            ))}
            <text className="panel-title" x={MARGIN.left} y={panelTop - TITLE_OFFSET}>
              {panel.title}{panel.unit ? ` (${panel.unit})` : ''}
            </text>
            {panel.key === 'delta' ? (
              <>
                <line className="zero" x1={MARGIN.left} x2={MARGIN.left + innerWidth}
                  y1={y(0)} y2={y(0)} />
                <text className="delta-hint" x={MARGIN.left + innerWidth} y={panelTop - TITLE_OFFSET}
                  textAnchor="end">above 0: {b.label} behind · below: {b.label} ahead</text>
                <path className="trace delta" d={linePath(distance, series.delta[0], x, y)} />
              </>
            ) : (
              series[panel.key].map((values, i) => (
                <path
                  key={i}
                  className="trace"
                  stroke={i === 0 ? a.colour : b.colour}
                  d={linePath(distance, values, x, y, panel.step)}
                />
              ))
            )}
          </g>
        ))}
        {ticks(xDomain, Math.max(2, Math.floor(innerWidth / 110))).map((t) => (
          <text key={t} className="x-tick" x={x(t)} y={height - 10} textAnchor="middle">
            {t >= 1000 ? `${(t / 1000).toFixed(1)} km` : `${t} m`}
          </text>
        ))}
        {cursor !== null && (
          <line className="cursor" x1={x(distance[cursor])} x2={x(distance[cursor])}
            y1={MARGIN.top} y2={height - MARGIN.bottom} />
        )}
      </svg>
      <div className="legend">
        <span><i className="swatch" style={{ background: a.colour }} />{a.label}</span>
        <span><i className="swatch" style={{ background: b.colour }} />{b.label}</span>
        <span className="muted small">Numbers above the chart mark corners.</span>
      </div>
    </div>
  );
});

/** Corners far enough apart on screen to label without overlapping (narrow screens). */
function spacedCorners(corners: Corner[], x: (v: number) => number, minGap: number): Corner[] {
  const kept: Corner[] = [];
  let last = -Infinity;
  for (const corner of [...corners].sort((p, q) => p.distance_m - q.distance_m)) {
    const at = x(corner.distance_m);
    if (at - last >= minGap) {
      kept.push(corner);
      last = at;
    }
  }
  return kept;
}

function fmt(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : Math.round(value).toString();
}
