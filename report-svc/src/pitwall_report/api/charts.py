"""Chart routes: one path per session and chart kind, the file suffix picks SVG or PNG."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from pitwall_report.api.deps import RenderPoolDep, SettingsDep, UpstreamsDep
from pitwall_report.rendering.chart_data import ChartKind, ColourBy, ImageFormat
from pitwall_report.schemas import parse_lap
from pitwall_report.services import charts as chart_service
from pitwall_report.services.chart_inputs import ChartQuery, check_query
from pitwall_report.services.upstreams import SessionKey
from pitwall_shared.auth_dependency import CurrentIdentity
from pitwall_shared.contracts.telemetry import SessionCode
from pitwall_shared.contracts.user import StylePreset
from pitwall_shared.path_safety import EventName
from pitwall_shared.problems import ProblemError

router = APIRouter(prefix="/api/v1/charts", tags=["charts"])

CHART_DESCRIPTION = """Draw one chart as SVG or PNG.

| chart | drivers | notes |
|---|---|---|
| `speed-trace` | 1-6 | corner markers; with two drivers a delta panel underneath |
| `delta` | exactly 2 | gap of the second driver to the first along the lap |
| `inputs` | 1-6 | throttle (%) and brake along the lap |
| `track-map` | 1 (`color_by=speed`, `gear`) or 2 (`color_by=delta`) | rotated as broadcast |
| `lap-times` | optional filter | lap time against lap, coloured by compound |
| `tyre-strategy` | optional filter | races and sprints: finishing order, pit stops, SC/VSC |
| `positions` | optional highlight | races and sprints; others thin and grey |
| `race-trace` | optional highlight | gap to the leader per lap, SC/VSC/red flag shaded |
| `race-pace` | optional filter | violin per driver in finishing order, laps by compound |
| `team-pace` | - | box per team, fastest first |
| `degradation` | 1-6 (default: first four) | lap time against tyre age, fitted slope per stint |
| `quali-gaps` | optional filter | Q, SQ, SS: gap to pole, knockout zones, ideal laps |

Race-only charts on another session type answer `422 wrong-session-type` listing the charts
that apply; a driver not in the session is `404 unknown-driver` with the valid codes.
`laps` gives one lap per driver (`fastest` or a lap number; default all fastest). The style
is `style` if given, else the caller's saved preference (auth-svc), else `light`; the
`X-Plot-Style` response header says which was used and why.
"""


def _codes(text: str | None) -> list[str]:
    if not text:
        return []
    codes = [part.strip().upper() for part in text.split(",") if part.strip()]
    bad = [code for code in codes if len(code) != 3 or not code.isalpha()]
    if bad:
        raise ProblemError(422, f"Drivers are three-letter codes (NOR, PIA); got {bad}.",
                           slug="validation-error")
    if len(set(codes)) != len(codes):
        raise ProblemError(422, "Drivers must not repeat.", slug="validation-error")
    return codes


def _laps(text: str | None) -> list[str]:
    if not text:
        return []
    try:
        return [parse_lap(part) for part in text.split(",")]
    except ValueError as exc:
        raise ProblemError(422, f"laps: {exc}.", slug="validation-error") from exc


@router.get(
    "/sessions/{year}/{event}/{session}/{chart}.{fmt}",
    summary="Draw a chart",
    description=CHART_DESCRIPTION,
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}, "image/png": {}},
                     "description": "The chart"}},
)
async def chart(
    identity: CurrentIdentity,
    upstreams: UpstreamsDep,
    pool: RenderPoolDep,
    settings: SettingsDep,
    year: Annotated[int, Path(ge=2018, le=2100, examples=[2024])],
    event: Annotated[EventName, Path(examples=["Hungary"])],
    session: Annotated[SessionCode, Path(examples=["Q"])],
    chart: Annotated[ChartKind, Path(description="Chart kind")],
    fmt: Annotated[ImageFormat, Path(description="svg or png")],
    drivers: Annotated[str | None, Query(max_length=200, examples=["NOR,PIA"])] = None,
    laps: Annotated[str | None, Query(max_length=200, examples=["fastest,fastest"])] = None,
    style: StylePreset | None = None,
    width: Annotated[int, Query(ge=320, le=2400)] = 1000,
    height: Annotated[int, Query(ge=240, le=1600)] = 560,
    color_by: ColourBy = "speed",
) -> Response:
    query = ChartQuery(chart, SessionKey(year, event, session), _codes(drivers), _laps(laps),
                       color_by)
    check_query(query)
    chosen = await chart_service.choose_style(style, identity, upstreams.auth)
    rendered = await chart_service.draw_chart(
        query, fmt=fmt, width=width, height=height, style=chosen, identity=identity,
        upstreams=upstreams, pool=pool, timeout=settings.chart_timeout_seconds,
    )
    return Response(
        rendered.content,
        media_type=rendered.media_type,
        headers={
            "X-Plot-Style": f"{chosen.name}; source={chosen.source}",
            "Cache-Control": "private, max-age=300",
        },
    )
