import { teamColour } from '../lib/format';

/** Toggle buttons to pick the drivers a chart highlights (the rest stay in grey). */
export function DriverHighlighter({
  drivers,
  selected,
  onChange,
  label = 'Highlight drivers',
}: {
  drivers: { driver: string; team_colour?: string | null }[];
  selected: string[];
  onChange: (next: string[]) => void;
  label?: string;
}) {
  const chosen = new Set(selected);
  function toggle(driver: string) {
    onChange(chosen.has(driver) ? selected.filter((d) => d !== driver) : [...selected, driver]);
  }
  return (
    <div className="highlighter" role="group" aria-label={label}>
      <span className="highlighter-label">{label}</span>
      {drivers.map((d) => (
        <button
          key={d.driver}
          type="button"
          className={chosen.has(d.driver) ? 'hl-chip on' : 'hl-chip'}
          aria-pressed={chosen.has(d.driver)}
          style={{ borderColor: teamColour(d.team_colour) }}
          onClick={() => toggle(d.driver)}
        >
          {d.driver}
        </button>
      ))}
      {selected.length > 0 && (
        <button type="button" className="hl-chip clear" onClick={() => onChange([])}>Clear</button>
      )}
    </div>
  );
}
