import { describe, expect, it } from 'vitest';
import { driverColours } from './colours';

const DRIVERS = [
  { driver: 'HAM', team_colour: '00D2BE' },
  { driver: 'RAI', team_colour: 'DC0000' },
  { driver: 'VET', team_colour: 'DC0000' },
  { driver: 'NOR', team_colour: 'FF8000' },
  { driver: 'PIA', team_colour: 'FF8000' },
];

describe('driverColours', () => {
  it('keeps team colours and gives a highlighted team-mate the complementary hue', () => {
    const colours = driverColours(DRIVERS, ['NOR', 'PIA']);
    expect(colours.get('NOR')).toBe('#FF8000');
    expect(colours.get('PIA')).toBe('#007fff');
    expect(colours.get('HAM')).toBe('#00D2BE');
  });

  it('picks a spare colour when the complement is close to one already in use', () => {
    // Ferrari red's complement (#00dcdc) is next to Mercedes' teal.
    const colours = driverColours(DRIVERS, ['HAM', 'RAI', 'VET']);
    expect(colours.get('RAI')).toBe('#DC0000');
    expect(colours.get('VET')).not.toBe('#00dcdc');
    expect(colours.get('VET')).not.toBe('#DC0000');
    expect(colours.get('VET')).toMatch(/^#[0-9a-f]{6}$/);
  });
});
