/**
 * Tyre compound colours, the same as report-svc's (`rendering/styles.py`), so a chart on the
 * page and the one in a PDF agree.
 */
const CURRENT: Record<string, string> = {
  SOFT: '#da291c',
  MEDIUM: '#ffd12e',
  HARD: '#ebebe6',
  INTERMEDIATE: '#43b02a',
  WET: '#0067ad',
};

// Until 2018 Pirelli named compounds by softness and coloured them differently.
const LEGACY: Record<string, string> = {
  HYPERSOFT: '#feb4c3',
  ULTRASOFT: '#b24ba7',
  SUPERSOFT: '#da291c',
  SOFT: '#ffd12e',
  MEDIUM: '#ebebe6',
  HARD: '#4fa3db',
  SUPERHARD: '#f28c28',
  INTERMEDIATE: '#43b02a',
  WET: '#0067ad',
};
const LAST_LEGACY_YEAR = 2018;
const UNKNOWN = '#9a9a9a';

export function compoundColour(compound: string | null | undefined, year: number): string {
  if (!compound) return UNKNOWN;
  const table = year <= LAST_LEGACY_YEAR ? LEGACY : CURRENT;
  return table[compound.toUpperCase()] ?? UNKNOWN;
}

/** Light compounds (white hard, yellow medium) need a dark outline to show on a light page. */
export function compoundOutline(colour: string): string {
  const value = parseInt(colour.slice(1), 16);
  const luminance = 0.299 * ((value >> 16) & 0xff) + 0.587 * ((value >> 8) & 0xff) + 0.114 * (value & 0xff);
  return luminance > 180 ? '#6b7280' : 'none';
}

export function compoundLabel(compound: string | null | undefined): string {
  if (!compound || compound === 'UNKNOWN' || compound === 'nan') return 'Unknown';
  return compound.charAt(0) + compound.slice(1).toLowerCase();
}
