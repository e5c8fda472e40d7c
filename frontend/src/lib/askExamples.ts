import { sessionFamily } from './sessionKinds';

/**
 * Questions to start from, in the shapes the rule-based answerer knows (so they get an answer
 * with or without a model), naming drivers from this session: favourites first, then the top
 * of the classification. Comparing two laps needs car telemetry, so without it the last
 * example asks something the lap times answer.
 */
export function exampleQuestions(sessionCode: string, drivers: string[], hasTelemetry: boolean): string[] {
  const [first = 'VER', second = 'HAM'] = drivers;
  const compare = `Compare ${first} and ${second}`;
  switch (sessionFamily(sessionCode)) {
    case 'race':
      return [
        'Who gained the most places?',
        `What did ${first}'s pit stops cost?`,
        `How did ${second}'s pace fade per stint?`,
        hasTelemetry ? compare : 'Who set the fastest lap?',
      ];
    case 'qualifying':
      return ['Who was fastest?', 'Who was fastest in sector 2?', hasTelemetry ? compare : 'Who was fastest in sector 3?'];
    default:
      return ['Who was fastest?', 'Who was fastest in sector 1?', hasTelemetry ? compare : 'Who was fastest in sector 3?'];
  }
}

/** A path inside this app (not `//host` or `/\host`, which browsers read as another site). */
export function isAppPath(link: string | null | undefined): link is string {
  return typeof link === 'string' && /^\/(?![/\\])/.test(link);
}

/** Only the gateway's chart route gets the bearer token: a tool result is data, not a destination. */
export function isChartPath(path: string | null | undefined): path is string {
  return typeof path === 'string' && path.startsWith('/api/v1/charts/') && !/\.\.|\\/.test(path);
}
