/** Display helpers: lap times as m:ss.mmm (h:mm:ss.mmm for race times), gaps with a sign, dates in the reader's locale. */

export function formatLapTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  // Round once, to whole milliseconds, so 59.9996 s reads 1:00.000 and not 0:60.000.
  const millis = Math.round(seconds * 1000);
  const hours = Math.floor(millis / 3_600_000);
  const minutes = Math.floor((millis % 3_600_000) / 60_000);
  const secondsText = ((millis % 60_000) / 1000).toFixed(3).padStart(6, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${secondsText}`;
  return minutes > 0 ? `${minutes}:${secondsText}` : (millis / 1000).toFixed(3);
}

export function formatGap(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const sign = seconds > 0 ? '+' : seconds < 0 ? '−' : '±';
  return `${sign}${Math.abs(seconds).toFixed(3)} s`;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * `#RRGGBB` from the API's bare hex, or a neutral grey when the source has none. Near-white team
 * colours (Williams' FFFFFF in 2018, Renault's FFF500) would vanish on a light page, so they are
 * darkened to the same hue at 60 % brightness.
 */
export function teamColour(hex: string | null | undefined, fallback = '#8a8f98'): string {
  if (!hex) return fallback;
  const clean = hex.replace(/^#/, '');
  if (!/^[0-9a-fA-F]{6}$/.test(clean)) return fallback;
  const value = parseInt(clean, 16);
  const rgb = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
  const luminance = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
  if (luminance <= 200) return `#${clean}`;
  return `#${rgb.map((c) => Math.round(c * 0.6).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Team-mates share a colour: the second driver then gets the complementary hue (same
 * lightness and saturation), e.g. McLaren orange against blue, so both lines stay readable.
 */
export function distinctColours(a: string, b: string): [string, string] {
  if (a.toLowerCase() !== b.toLowerCase()) return [a, b];
  return [a, complement(b)];
}

export function complement(hex: string): string {
  const value = parseInt(hex.slice(1), 16);
  const rgb = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
  const sum = Math.max(...rgb) + Math.min(...rgb);
  const out = rgb.map((c) => sum - c);
  return `#${((out[0] << 16) | (out[1] << 8) | out[2]).toString(16).padStart(6, '0')}`;
}
