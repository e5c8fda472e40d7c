"""The deterministic writer: specific, readable insights built from the facts alone
(numbers copied from the facts, see ``wording``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pitwall_analysis.narrative import race_weekend
from pitwall_analysis.narrative.wording import insight as _insight
from pitwall_analysis.narrative.wording import seconds as _s
from pitwall_shared.contracts.analysis import Insight

TOP_PLACES = 2


def _kmh(value: float) -> str:
    return f"{abs(value):.0f}" if float(value).is_integer() else f"{abs(value):.1f}"


# How much of each difference counts as a clear reason (km/h, km/h, m): the reason quoted is
# the one furthest past its threshold, in the gainer's favour.
REASON_SCALES = (("min_speed_diff_kmh", 2.0), ("exit_speed_diff_kmh", 3.0),
                 ("braking_point_diff_m", 10.0))


def _corner_reason(corner: dict[str, Any], side: str) -> str:
    sign = 1 if side == "a" else -1
    best, best_score = None, 0.0
    for key, scale in REASON_SCALES:
        value = corner.get(key)
        if value and sign * value > 0 and abs(value) / scale > best_score:
            best, best_score = key, abs(value) / scale
    if best is None:
        return ""
    value = corner[best]
    if best == "min_speed_diff_kmh":
        return f", carrying {_kmh(value)} km/h more minimum speed"
    if best == "exit_speed_diff_kmh":
        return f", exiting {_kmh(value)} km/h faster"
    return f", braking {_kmh(value)} m later"


def lap_comparison(facts: dict[str, Any]) -> list[Insight]:
    a, b = facts["a"], facts["b"]
    names = {"a": a["driver"], "b": b["driver"]}
    if a["driver"] == b["driver"]:  # two laps of one driver: tell them apart by lap
        names = {side: f"{lap['driver']} (lap {lap['lap_number']})"
                 for side, lap in (("a", a), ("b", b))}
    out: list[Insight] = []
    delta = facts.get("lap_time_delta_s")
    if delta == 0:
        out.append(_insight(f"{names['a']} and {names['b']} set the same lap time, "
                            f"{_s(a['lap_time_s'])} s.", [a["lap_time_s"]], ["a.lap_time_s"]))
    elif delta is not None:
        faster, slower = (a, b) if delta > 0 else (b, a)
        out.append(_insight(
            f"{faster['driver']}'s lap {faster['lap_number']} ({_s(faster['lap_time_s'])} s) "
            f"beat {slower['driver']}'s lap {slower['lap_number']} "
            f"({_s(slower['lap_time_s'])} s) by {_s(delta)} s.",
            [faster["lap_time_s"], slower["lap_time_s"], delta],
            ["a.lap_time_s", "b.lap_time_s", "lap_time_delta_s"]))
    sector_parts = []
    for sector in facts.get("sectors", []):
        d = sector.get("delta_s")
        if d is None:
            continue
        who = names["a"] if d > 0 else names["b"]
        sector_parts.append(f"{who} quicker by {_s(d)} s in sector {sector['sector']}")
    if sector_parts:
        out.append(_insight("Sector by sector: " + "; ".join(sector_parts) + ".",
                            [s.get("delta_s") for s in facts["sectors"]], ["sectors"]))
    corners = {c["corner"]: c for c in facts.get("corners", [])}
    for side in ("a", "b"):
        for place in facts.get("won_and_lost", {}).get(f"{side}_gained", [])[:TOP_PLACES]:
            if place["place"] == "whole lap":  # no corners known: the first line says it
                continue
            members = [corners[c] for c in place.get("corners", []) if c in corners]
            if len(members) > 1:
                key = max(members, key=lambda c: abs(c["time_delta_s"] or 0))
                labels = [c["corner"].removeprefix("T") for c in members]
                where = f"through turns {labels[0]}-{labels[-1]}"
                reason = _corner_reason(key, side)
                reason = f"{reason} in {key['corner']}" if reason else ""
            elif members:
                where = f"through {members[0]['corner']}"
                reason = _corner_reason(members[0], side)
            else:
                where, reason = f"on the {place['place']}", ""
            out.append(_insight(
                f"{names[side]} gained {_s(place['time_delta_s'])} s {where}{reason}.",
                [place["time_delta_s"]], [f"won_and_lost.{side}_gained"]))
    speed = facts.get("speed", {})
    if speed.get("a", {}).get("top_speed_kmh") and speed.get("b", {}).get("top_speed_kmh"):
        ta, tb = speed["a"]["top_speed_kmh"], speed["b"]["top_speed_kmh"]
        text = f"Top speed: {names['a']} {_kmh(ta)} km/h, {names['b']} {_kmh(tb)} km/h"
        figures = [ta, tb]
        sa, sb = speed["a"].get("speed_st_kmh"), speed["b"].get("speed_st_kmh")
        if sa is not None and sb is not None:
            text += f"; through the speed trap {_kmh(sa)} and {_kmh(sb)} km/h"
            figures += [sa, sb]
        out.append(_insight(text + ".", figures, ["speed"]))
    driving = facts.get("driving", {})
    if driving.get("a") and driving.get("b"):
        da, db = driving["a"], driving["b"]
        out.append(_insight(
            f"Full throttle for {da['full_throttle_pct']} % of the lap for {names['a']} and "
            f"{db['full_throttle_pct']} % for {names['b']}; on the brakes "
            f"{da['braking_pct']} % and {db['braking_pct']} %.",
            [da["full_throttle_pct"], db["full_throttle_pct"], da["braking_pct"],
             db["braking_pct"]], ["driving"]))
        if da.get("drs_open_m") or db.get("drs_open_m"):
            out.append(_insight(
                f"DRS was open for {_kmh(da['drs_open_m'] or 0)} m ({da['drs_activations']} "
                f"activations) for {names['a']} and {_kmh(db['drs_open_m'] or 0)} m "
                f"({db['drs_activations']}) for {names['b']}.",
                [da["drs_open_m"], db["drs_open_m"]], ["driving"]))
    return out


def _stint_text(stint: dict[str, Any]) -> str:
    text = (f"on {stint['compound'] or 'unknown tyres'} (laps {stint['first_lap']}-"
            f"{stint['last_lap']}) lap times ")
    slope = stint["degradation_s_per_lap"]
    text += f"{'rose' if slope > 0 else 'fell'} {_s(slope)} s per lap of tyre age"
    corrected = stint.get("fuel_corrected_degradation_s_per_lap")
    if corrected is not None:
        word = "rising" if corrected > 0 else "falling"
        text += f" ({word} {_s(corrected)} s/lap once corrected for fuel)"
    return text


def race_pace(facts: dict[str, Any]) -> list[Insight]:
    out: list[Insight] = []
    for driver, pace in facts.get("drivers", {}).items():
        if pace.get("median_clean_lap_s") is None:
            out.append(_insight(f"{driver} has no clean laps to judge pace on.", [], []))
            continue
        text = (f"{driver}: median clean lap {_s(pace['median_clean_lap_s'])} s over "
                f"{pace['clean_laps']} of {pace['laps']} laps")
        if pace.get("std_s") is not None:
            text += f", spread {_s(pace['std_s'])} s (IQR {_s(pace['iqr_s'])} s)"
        out.append(_insight(text + ".", [pace["median_clean_lap_s"], pace.get("std_s"),
                                         pace.get("iqr_s")], [f"drivers.{driver}"]))
        stints = [_stint_text(s) for s in pace.get("stints", [])
                  if s.get("degradation_s_per_lap") is not None]
        if stints:
            out.append(_insight(f"{driver}: " + "; ".join(stints) + ".", [],
                                [f"drivers.{driver}.stints"]))
        for stop in pace.get("pit_stops", []):
            if stop.get("time_loss_s") is not None:
                note = " under safety car or VSC" if stop["under_neutralisation"] else ""
                out.append(_insight(
                    f"{driver}'s pit stop on lap {stop['in_lap']}{note} cost "
                    f"{_s(stop['time_loss_s'])} s.", [stop["time_loss_s"]],
                    [f"drivers.{driver}.pit_stops"]))
    for pair in facts.get("comparison", []):
        gap = pair.get("median_clean_lap_gap_s")
        if gap is not None:
            word = "slower" if gap > 0 else "quicker"
            out.append(_insight(
                f"On median clean laps {pair['driver']} was {_s(gap)} s per lap {word} than "
                f"{pair['reference']}.", [gap], ["comparison"]))
    return out


def fastest_laps(facts: dict[str, Any]) -> list[Insight]:
    laps = facts.get("laps", [])
    if not laps:
        return [_insight("No driver set a valid lap time in this session.", [], [])]
    top = laps[0]
    out = [_insight(f"{top['driver']} set the fastest lap, {_s(top['lap_time_s'])} s on lap "
                    f"{top['lap_number']}.", [top["lap_time_s"]], ["fastest"])]
    for row in laps[1:3]:
        best_sector = None
        deltas = [d for d in row["sector_deltas_s"] if d is not None]
        if deltas:
            worst = max(range(len(row["sector_deltas_s"])),
                        key=lambda i: row["sector_deltas_s"][i] or -1e9)
            best_sector = (worst + 1, row["sector_deltas_s"][worst])
        text = f"{row['driver']} was {_s(row['gap_to_fastest_s'])} s off"
        if best_sector and best_sector[1] > 0:
            text += f", losing most in sector {best_sector[0]} ({_s(best_sector[1])} s)"
        out.append(_insight(text + ".", [row["gap_to_fastest_s"]], ["laps"]))
    if top.get("ideal_lap_s") is not None and top["ideal_lap_s"] < top["lap_time_s"]:
        out.append(_insight(f"{top['driver']}'s best sectors add up to {_s(top['ideal_lap_s'])} "
                            "s.", [top["ideal_lap_s"]], ["laps[0].ideal_lap_s"]))
    return out


def session_summary(facts: dict[str, Any]) -> list[Insight]:
    out: list[Insight] = []
    results = facts.get("results", [])
    if results:
        first = results[0]
        text = f"{first['driver']} ({first.get('team')}) was first"
        if len(results) > 1 and results[1].get("gap_s") is not None:
            text += f", {_s(results[1]['gap_s'])} s ahead of {results[1]['driver']}"
        elif len(results) > 1:
            text += f", ahead of {results[1]['driver']}"
        out.append(_insight(text + ".", [], ["results"]))
    out.extend(fastest_laps({"laps": facts.get("fastest_laps", [])})[:1])
    tyres = facts.get("tyres", {}).get("laps_per_compound", {})
    if tyres:
        parts = ", ".join(f"{n} laps on {c}" for c, n in sorted(tyres.items(), key=lambda x: -x[1]))
        out.append(_insight(f"Tyre usage: {parts}.", list(tyres.values()), ["tyres"]))
    weather = facts.get("weather", {})
    if "track_temp_c" in weather:
        t = weather["track_temp_c"]
        out.append(_insight(f"Track temperature went from {t['start']} to {t['end']} C "
                            f"(range {t['min']}-{t['max']} C).",
                            [t["start"], t["end"], t["min"], t["max"]], ["weather"]))
    counts = facts.get("race_control_counts", {})
    if counts:
        parts = ", ".join(f"{n} x {kind.replace('_', ' ')}" for kind, n in counts.items())
        out.append(_insight(f"Race control: {parts}.", list(counts.values()),
                            ["race_control_counts"]))
    return out


WRITERS: dict[str, Callable[[dict[str, Any]], list[Insight]]] = {
    "lap_comparison": lap_comparison,
    "race_pace": race_pace,
    "fastest_laps": fastest_laps,
    "session_summary": session_summary,
    **race_weekend.WRITERS,
}


def write(kind: str, facts: dict[str, Any]) -> list[Insight]:
    return WRITERS[kind](facts)
