import { complement, teamColour } from '../../lib/format';

export interface ColouredDriver {
  driver: string;
  team_colour?: string | null;
}

// Distinct stand-ins for when a team-mate's complementary hue is itself close to a colour
// already in use (Ferrari red's complement is a cyan next to Mercedes' teal).
const SPARE = ['#7c3aed', '#f59e0b', '#0ea5e9', '#10b981', '#db2777', '#4b5563'];

function distance(p: string, q: string): number {
  const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const [a, b] = [rgb(p), rgb(q)];
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/**
 * Team colour per driver. Team-mates share one, so among the drivers in `focus` a later
 * team-mate gets the complementary hue, or a spare colour when that too is close to one in use,
 * so every highlighted line stays tellable apart.
 */
export function driverColours(drivers: ColouredDriver[], focus: readonly string[] = []): Map<string, string> {
  const colours = new Map(drivers.map((d) => [d.driver, teamColour(d.team_colour)]));
  const used: string[] = [];
  const near = (colour: string) => used.some((u) => distance(u, colour) < 90);
  for (const driver of focus) {
    const own = colours.get(driver);
    if (!own) continue;
    let colour = own;
    if (near(colour)) colour = complement(own);
    if (near(colour)) colour = SPARE.find((spare) => !near(spare)) ?? colour;
    colours.set(driver, colour);
    used.push(colour.toLowerCase());
  }
  return colours;
}
