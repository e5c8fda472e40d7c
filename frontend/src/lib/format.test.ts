import { describe, expect, it } from 'vitest';
import { complement, distinctColours, formatGap, formatLapTime, teamColour } from './format';

describe('format', () => {
  it('writes lap times as m:ss.mmm', () => {
    expect(formatLapTime(75.227)).toBe('1:15.227');
    expect(formatLapTime(65.05)).toBe('1:05.050');
    expect(formatLapTime(9.5)).toBe('9.500');
    expect(formatLapTime(null)).toBe('—');
    expect(formatLapTime(59.9996)).toBe('1:00.000');
    expect(formatLapTime(6224.291)).toBe('1:43:44.291');
  });

  it('signs gaps', () => {
    expect(formatGap(0.022)).toBe('+0.022 s');
    expect(formatGap(-1.5)).toBe('−1.500 s');
  });

  it('gives team-mates different colours', () => {
    expect(teamColour('FF8000')).toBe('#FF8000');
    expect(teamColour('nonsense')).toBe('#8a8f98');
    // Too light to see on a light page: the same hue, darker.
    expect(teamColour('FFFFFF')).toBe('#999999');
    expect(teamColour('FFF500')).toBe('#999300');
    expect(complement('#ff8000')).toBe('#007fff');
    expect(distinctColours('#ff8000', '#ff8000')).toEqual(['#ff8000', '#007fff']);
    expect(distinctColours('#ff8000', '#3671c6')).toEqual(['#ff8000', '#3671c6']);
  });
});
