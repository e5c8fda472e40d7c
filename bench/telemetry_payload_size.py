"""(c) JSON bytes of a default lap-telemetry response against FastF1's full-resolution lap
telemetry as ``to_json(orient="records")``, for every driver of 2024 Hungary Q, in one run.

FastF1's side is rebuilt from the raw export of the same lap: car and position samples merged
on the union of their clocks as ``Lap.get_telemetry()`` does, as a ``fastf1.core.Telemetry``
with ``add_distance`` and ``add_relative_distance``. The DriverAhead columns that
``get_telemetry`` also adds are left out, which only makes FastF1's side smaller.
Target: ours / FastF1 <= 1/5. Run: .venv/bin/python bench/telemetry_payload_size.py
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path

import httpx
import pandas as pd
from asgi_lifespan import LifespanManager
from fastf1.core import Telemetry

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pitwall_shared.testing import TestSigner  # noqa: E402
from pitwall_telemetry.config import Settings  # noqa: E402
from pitwall_telemetry.main import create_app  # noqa: E402
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR, hungary_raw_dir  # noqa: E402

LAP = "/api/v1/telemetry/sessions/2024/Hungary/Q/laps/{driver}/fastest/telemetry"


def fastf1_json_bytes(driver: str) -> int:
    path = hungary_raw_dir(SAMPLE_DATA_DIR) / "2024_Hungarian_GP_Qualifying_telemetry" / \
        f"{driver}_telemetry.json"
    source = json.loads(path.read_text())
    frames = []
    for key in ("telemetry", "position_data"):
        frame = pd.DataFrame(source[key])
        frame["Date"] = pd.to_datetime(frame["Date"], format="ISO8601")
        for column in ("Time", "SessionTime"):
            frame[column] = pd.to_timedelta(frame[column])
        frames.append(frame.drop(columns="Source"))
    # FastF1's merge at original frequency: the union of both clocks, each channel carried
    # over to the other's timestamps (continuous ones interpolated, states held)
    merged = pd.concat(frames).sort_values("SessionTime").reset_index(drop=True)
    for column in ("RPM", "Speed", "Throttle", "X", "Y", "Z"):
        merged[column] = merged[column].interpolate(limit_direction="both")
    for column in ("nGear", "Brake", "DRS", "Status"):
        merged[column] = merged[column].ffill().bfill()
    merged["Source"] = "interpolation"
    telemetry = Telemetry(merged).add_distance().add_relative_distance()
    return len(telemetry.to_json(orient="records").encode())


async def our_bytes(drivers: list[str]) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(PITWALL_DATA_DIR=Path(tmp), offline=True, warm_pool=False,
                                  sample_dir=SAMPLE_DATA_DIR))
        signer = TestSigner()  # stands in for auth-svc
        app.state.token_verifier = signer.verifier()
        async with LifespanManager(app), httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://t",
                headers={"Authorization": f"Bearer {signer.token()}"}) as client:
            sizes = {}
            for driver in drivers:
                response = await client.get(LAP.format(driver=driver))
                response.raise_for_status()
                sizes[driver] = len(response.content)
            return sizes


def main() -> None:
    summary = pd.read_csv(hungary_raw_dir(SAMPLE_DATA_DIR) /
                          "2024_Hungarian_GP_Qualifying_summary.csv")
    drivers = list(summary["driver"])
    ours = asyncio.run(our_bytes(drivers))
    theirs = {d: fastf1_json_bytes(d) for d in drivers}
    ratios = [ours[d] / theirs[d] for d in drivers]
    print(f"default lap telemetry (300 points, distance/speed/throttle/brake/gear): "
          f"median {statistics.median(ours.values()):.0f} bytes")
    print(f"FastF1 full resolution to_json(records): median "
          f"{statistics.median(theirs.values()):.0f} bytes")
    print(f"ours / FastF1: median 1/{1 / statistics.median(ratios):.1f}, "
          f"worst 1/{1 / max(ratios):.1f}  (target <= 1/5)")


if __name__ == "__main__":
    main()
