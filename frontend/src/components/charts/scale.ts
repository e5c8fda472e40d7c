/** Small numeric helpers for the SVG charts (no chart library: the shapes are simple). */

export interface Scale {
  (value: number): number;
  domain: [number, number];
  range: [number, number];
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = ((value: number) => r0 + ((value - d0) / span) * (r1 - r0)) as Scale;
  scale.domain = domain;
  scale.range = range;
  return scale;
}

export function extent(values: Iterable<number | null | undefined>): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min === Infinity ? null : [min, max];
}

/** Round-number ticks (1, 2, 5 x 10^n steps) covering the domain. */
export function ticks([min, max]: [number, number], count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  // The same thresholds as d3's ticks: pick the nice step nearest (geometrically) to raw.
  const step = power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    out.push(Number(v.toFixed(10)));
  }
  return out;
}

/** An SVG path through the points, broken where a value is missing. */
export function linePath(
  xs: readonly (number | null)[],
  ys: readonly (number | null)[],
  x: (v: number) => number,
  y: (v: number) => number,
  step = false,
): string {
  let d = '';
  let pen = false;
  let lastY = 0;
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const xv = xs[i];
    const yv = ys[i];
    if (xv === null || yv === null || !Number.isFinite(xv) || !Number.isFinite(yv)) {
      pen = false;
      continue;
    }
    const px = x(xv).toFixed(1);
    const py = y(yv).toFixed(1);
    if (!pen) d += `M${px},${py}`;
    else if (step) d += `L${px},${lastY.toFixed(1)}L${px},${py}`;
    else d += `L${px},${py}`;
    pen = true;
    lastY = y(yv);
  }
  return d;
}

/** Index of the sample whose x is closest to `value` (xs ascending). */
export function nearestIndex(xs: readonly number[], value: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  if (hi < 0) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < value) lo = mid;
    else hi = mid;
  }
  return Math.abs(xs[lo] - value) <= Math.abs(xs[hi] - value) ? lo : hi;
}

/**
 * Label positions moved apart so none is closer than `gap` to the next (kept in their order,
 * pushed down, then back up if they ran past `bottom`).
 */
export function spreadLabels(ys: readonly number[], gap: number, bottom = Infinity): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((p, q) => p.y - q.y);
  const placed = order.map((o) => o.y);
  for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k], placed[k - 1] + gap);
  const overflow = placed.length ? placed[placed.length - 1] - bottom : 0;
  if (overflow > 0) {
    placed[placed.length - 1] -= overflow;
    for (let k = placed.length - 2; k >= 0; k--) placed[k] = Math.min(placed[k], placed[k + 1] - gap);
  }
  const out = new Array<number>(ys.length);
  order.forEach((o, k) => {
    out[o.i] = placed[k];
  });
  return out;
}
