/** What a session is, for choosing which views and analyses apply to it. */
export type SessionFamily = 'race' | 'qualifying' | 'practice';

const RACES = new Set(['R', 'S']);
const QUALIFYING = new Set(['Q', 'SQ', 'SS']);

export function sessionFamily(code: string): SessionFamily {
  const upper = code.toUpperCase();
  if (RACES.has(upper)) return 'race';
  if (QUALIFYING.has(upper)) return 'qualifying';
  return 'practice';
}

export const SESSION_NAMES: Record<string, string> = {
  FP1: 'Practice 1',
  FP2: 'Practice 2',
  FP3: 'Practice 3',
  SQ: 'Sprint Qualifying',
  SS: 'Sprint Shootout',
  Q: 'Qualifying',
  S: 'Sprint',
  R: 'Race',
};
