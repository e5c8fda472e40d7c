import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Driver, LapTable } from '../api/types';
import { formatLapTime } from '../lib/format';

export interface ComparePick {
  driverA: string;
  lapA: string;
  driverB: string;
  lapB: string;
}

/** Each driver's timed laps, fastest first, for the lap selector. */
export function timedLaps(table: LapTable | undefined, driver: string) {
  if (!table) return [];
  const drivers = (table.laps.driver ?? []) as string[];
  const numbers = (table.laps.lap_number ?? []) as (number | null)[];
  const times = (table.laps.lap_time_s ?? []) as (number | null)[];
  const out: { lap: number; time: number }[] = [];
  drivers.forEach((d, i) => {
    const lap = numbers[i];
    const time = times[i];
    if (d === driver && typeof lap === 'number' && typeof time === 'number') out.push({ lap, time });
  });
  return out.sort((p, q) => p.time - q.time);
}

function DriverLapFields({
  side,
  drivers,
  laps,
  driver,
  lap,
  onDriver,
  onLap,
}: {
  side: 'a' | 'b';
  drivers: Driver[];
  laps: LapTable | undefined;
  driver: string;
  lap: string;
  onDriver: (value: string) => void;
  onLap: (value: string) => void;
}) {
  const name = side === 'a' ? 'Driver A' : 'Driver B';
  const options = timedLaps(laps, driver);
  return (
    <fieldset className={`driver-fields side-${side}`}>
      <legend className="visually-hidden">{name}</legend>
      <div className="field">
        <label htmlFor={`driver-${side}`}>{name}</label>
        <select id={`driver-${side}`} value={driver} onChange={(e) => onDriver(e.target.value)}>
          {drivers.map((d) => (
            <option key={d.abbreviation} value={d.abbreviation}>
              {d.abbreviation}{d.full_name ? ` · ${d.full_name}` : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`lap-${side}`}>Lap ({name})</label>
        <select id={`lap-${side}`} value={lap} onChange={(e) => onLap(e.target.value)}>
          <option value="fastest">Fastest lap</option>
          {options.map((o) => (
            <option key={o.lap} value={String(o.lap)}>
              Lap {o.lap} · {formatLapTime(o.time)}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}

export function ComparePicker({
  drivers,
  laps,
  initial,
  onCompare,
  submitLabel = 'Compare laps',
}: {
  drivers: Driver[];
  laps: LapTable | undefined;
  initial: ComparePick;
  onCompare: (pick: ComparePick) => void;
  submitLabel?: string;
}) {
  const [pick, setPick] = useState(initial);
  const same = pick.driverA === pick.driverB && pick.lapA === pick.lapB;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!same) onCompare(pick);
  }

  return (
    <form className="compare-picker" onSubmit={submit} aria-label="Choose two laps to compare">
      <DriverLapFields
        side="a"
        drivers={drivers}
        laps={laps}
        driver={pick.driverA}
        lap={pick.lapA}
        onDriver={(driverA) => setPick({ ...pick, driverA, lapA: 'fastest' })}
        onLap={(lapA) => setPick({ ...pick, lapA })}
      />
      <button
        type="button"
        className="button ghost swap"
        aria-label="Swap driver A and driver B"
        onClick={() =>
          setPick({ driverA: pick.driverB, lapA: pick.lapB, driverB: pick.driverA, lapB: pick.lapA })
        }
      >
        ⇄
      </button>
      <DriverLapFields
        side="b"
        drivers={drivers}
        laps={laps}
        driver={pick.driverB}
        lap={pick.lapB}
        onDriver={(driverB) => setPick({ ...pick, driverB, lapB: 'fastest' })}
        onLap={(lapB) => setPick({ ...pick, lapB })}
      />
      <div className="compare-actions">
        <button type="submit" className="button primary" disabled={same}>{submitLabel}</button>
        {same && <p className="hint" role="status">Pick two different laps.</p>}
      </div>
    </form>
  );
}
