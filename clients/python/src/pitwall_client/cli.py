"""Pitwall from a shell: sign in once, then read sessions, laps, comparisons and reports.

Exit status: 0 on success, 1 when the API refuses (the problem's title, detail and request
id on stderr), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from pitwall_client import config
from pitwall_client.client import DEFAULT_URL, Pitwall
from pitwall_client.errors import ApiError, PitwallError


def _url(args: argparse.Namespace) -> str:
    stored = config.load() or {}
    return str(args.url or os.environ.get("PITWALL_URL") or stored.get("url") or DEFAULT_URL)


def signed_in_client(args: argparse.Namespace) -> Pitwall:
    """A client on the stored sign-in (renewals saved back); Unauthorized without one."""
    return Pitwall.from_login(args.url or os.environ.get("PITWALL_URL"))


def _clock(value: Any) -> str:
    if pd.isna(value):
        return ""
    total = value.total_seconds()
    minutes, seconds = divmod(abs(total), 60)
    sign = "-" if total < 0 else ""
    return f"{sign}{int(minutes)}:{seconds:06.3f}" if minutes else f"{sign}{seconds:.3f}"


def show(frame: pd.DataFrame) -> str:
    """A table for a terminal: lap times as 1:15.227, missing values blank."""
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_timedelta64_dtype(shown[column]):
            shown[column] = shown[column].map(_clock)
    return shown.fillna("").to_string(index=False)


def cmd_login(args: argparse.Namespace) -> int:
    url = _url(args)
    email = args.email or input("Email: ").strip()
    password = os.environ.get("PITWALL_PASSWORD") or getpass.getpass("Password: ")
    with Pitwall(url, email=email, password=password,
                 on_change=config.keeper(url, email)) as client:
        me = client.me()
    print(f"Signed in to {url} as {me.get('display_name') or me.get('email')}; "
          f"credentials in {config.credentials_path()}")
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    if config.load():
        try:
            with signed_in_client(args) as client:
                client.logout()
        except PitwallError as error:  # the local sign-in is forgotten either way
            print(f"server sign-out failed: {error}", file=sys.stderr)
    print("Signed out" if config.remove() else "Not signed in")
    return 0


def cmd_sessions(args: argparse.Namespace) -> int:
    with signed_in_client(args) as client:
        schedule = client.schedule(args.year)
    rows = pd.DataFrame({
        "Round": schedule["round"], "Event": schedule["event_name"],
        "Country": schedule["country"],
        "Date": pd.to_datetime(schedule["event_date"]).dt.date,
        "Sessions": [" ".join(s["code"] for s in sessions) for sessions in schedule["sessions"]],
    })
    print(show(rows))
    return 0


def cmd_laps(args: argparse.Namespace) -> int:
    with signed_in_client(args) as client:
        if args.csv:
            sys.stdout.write(client.laps_csv(args.year, args.event, args.session,
                                             driver=args.driver, names=args.names))
            return 0
        laps = client.laps(args.year, args.event, args.session, driver=args.driver,
                           names=args.names)
    wanted = ["Driver", "LapNumber", "LapTime", "Sector1Time", "Sector2Time", "Sector3Time",
              "Compound", "TyreLife", "Stint"]
    print(show(laps[[c for c in wanted if c in laps.columns]] if args.names == "fastf1" else laps))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    with signed_in_client(args) as client:
        analysis = client.lap_comparison(args.year, args.event, args.session, args.driver_a,
                                         args.driver_b, lap_a=args.lap_a, lap_b=args.lap_b)
    facts = analysis.raw["facts"]
    sides = [facts["a"], facts["b"]]
    table = pd.DataFrame({
        "Driver": [s["driver"] for s in sides], "Lap": [s["lap_number"] for s in sides],
        "LapTime": pd.to_timedelta([s["lap_time_s"] for s in sides], unit="s"),
    })
    print(show(table))
    print()
    for line in analysis.insights:
        print(f"- {line}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    with signed_in_client(args) as client:
        job = client.create_report(args.year, args.event, args.session, args.drivers,
                                   kind=args.kind)
        client.wait_report(job["id"], timeout_s=args.timeout, progress=sys.stderr.isatty())
        out = Path(args.output or f"{args.year}-{args.event}-{args.session}-report.pdf")
        size = len(client.download_report(job["id"], out))
    print(f"Wrote {out} ({size} bytes)")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    with signed_in_client(args) as client:
        answer = client.ask(args.question, args.year, args.event, args.session,
                            drivers=args.driver, conversation_id=args.conversation)
    print(answer.text)
    print(f"\n({answer.answerer} answerer: {answer.answerer_reason})")
    for call in answer.tool_calls:
        where = f"  {call['link']}" if call.get("link") else ""
        print(f"- {call['name']}: {call.get('summary') or call.get('error') or ''}{where}")
    for claim in answer.dropped_claims:
        print(f"dropped (not in the tool results): {claim}")
    print(f"conversation {answer.conversation_id} (continue with --conversation)")
    return 0


def cmd_mcp(args: argparse.Namespace) -> int:
    from pitwall_client.mcp_bridge import serve

    serve(signed_in_client(args))
    return 0


def _session_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", type=int)
    parser.add_argument("event", help="event name, country, location or round")
    parser.add_argument("session", help="FP1, FP2, FP3, SQ, SS, Q, S or R")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="pitwall", description=__doc__.splitlines()[0])
    root.add_argument("--url", help=f"API URL (else PITWALL_URL, the stored one, {DEFAULT_URL})")
    commands = root.add_subparsers(dest="command", required=True)
    login = commands.add_parser("login", help="sign in and keep the sign-in (0600 file)")
    login.add_argument("--email")
    login.set_defaults(run=cmd_login)
    commands.add_parser("logout", help="end the sign-in").set_defaults(run=cmd_logout)
    sessions = commands.add_parser("sessions", help="a season's events and sessions")
    sessions.add_argument("year", type=int)
    sessions.set_defaults(run=cmd_sessions)
    laps = commands.add_parser("laps", help="a session's laps (FastF1 columns)")
    _session_args(laps)
    laps.add_argument("--driver", action="append", help="repeat for several")
    laps.add_argument("--csv", action="store_true", help="CSV as FastF1's to_csv writes it")
    laps.add_argument("--names", choices=["fastf1", "pitwall"], default="fastf1")
    laps.set_defaults(run=cmd_laps)
    compare = commands.add_parser("compare", help="two drivers' laps compared, with insights")
    _session_args(compare)
    compare.add_argument("driver_a")
    compare.add_argument("driver_b")
    compare.add_argument("--lap-a", default="fastest")
    compare.add_argument("--lap-b", default="fastest")
    compare.set_defaults(run=cmd_compare)
    report = commands.add_parser("report", help="build a PDF report and download it")
    _session_args(report)
    report.add_argument("drivers", nargs="+")
    report.add_argument("-o", "--output", help="PDF path (default: <year>-<event>-...pdf)")
    report.add_argument("--kind", default="lap_comparison",
                        choices=["lap_comparison", "race_pace", "session_summary"])
    report.add_argument("--timeout", type=float, default=300.0)
    report.set_defaults(run=cmd_report)
    ask = commands.add_parser("ask", help="ask a question, about a session when one is named")
    ask.add_argument("question")
    ask.add_argument("year", type=int, nargs="?")
    ask.add_argument("event", nargs="?")
    ask.add_argument("session", nargs="?")
    ask.add_argument("--driver", action="append", help="repeat for several")
    ask.add_argument("--conversation", help="continue this conversation")
    ask.set_defaults(run=cmd_ask)
    commands.add_parser("mcp", help="stdio MCP server bridged to the API's /mcp "
                        "(needs pitwall-client[mcp])").set_defaults(run=cmd_mcp)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ApiError as error:
        print(f"error: {error.summary()}", file=sys.stderr)
        for item in error.errors or []:
            print(f"  {item}", file=sys.stderr)
        return 1
    except PitwallError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
