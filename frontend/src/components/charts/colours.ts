import { complement, teamColour } from '../../lib/format';

export interface ColouredDriver {
  driver: string;
  team_colour?: string | null;
}

/**
 * Team colour per driver. Team-mates share one, so among the drivers in `focus` a later
 * team-mate gets the complementary hue and both stay readable when highlighted together.
 */
export function driverColours(drivers: ColouredDriver[], focus: readonly string[] = []): Map<string, string> {
  const colours = new Map(drivers.map((d) => [d.driver, teamColour(d.team_colour)]));
  const used = new Set<string>();
  for (const driver of focus) {
    const colour = colours.get(driver);
    if (!colour) continue;
    if (used.has(colour.toLowerCase())) colours.set(driver, complement(colour));
    used.add((colours.get(driver) ?? colour).toLowerCase());
  }
  return colours;
}
