"""``python -m pitwall_auth [serve|migrate|rotate-keys|create-admin EMAIL]``."""

from __future__ import annotations

import argparse
import sys

from pydantic import ValidationError

from pitwall_auth.config import get_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pitwall_auth")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the API (the default)")
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser(
        "rotate-keys", help="add a signing key; retire keys superseded longer than the overlap"
    )
    admin = commands.add_parser(
        "create-admin",
        help="create a new admin account (password generated and printed once), or promote "
        "an existing, named account with --promote-existing",
    )
    target = admin.add_mutually_exclusive_group(required=True)
    target.add_argument("email", nargs="?", help="email of the admin account to create")
    target.add_argument(
        "--promote-existing",
        metavar="EMAIL",
        help="make this existing account an administrator instead of creating one",
    )
    admin.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the new account's password from stdin instead of generating one",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    from pitwall_auth import cli

    if args.command == "migrate":
        cli.run_migrations(settings)
    elif args.command == "rotate-keys":
        cli.run_rotate_keys(settings)
    elif args.command == "create-admin":
        from pitwall_shared.problems import ProblemError

        try:
            if args.promote_existing:
                print(cli.run_promote_admin(settings, args.promote_existing))
            else:
                print(cli.run_create_admin(settings, args.email, args.password_stdin))
        except (ProblemError, ValidationError) as exc:  # taken or weak, malformed, unknown
            print(f"error: {exc}", file=sys.stderr)
            return 1
    else:
        from pitwall_shared.serve import serve

        serve(
            "pitwall_auth.main:create_app",
            "auth",
            settings,
            # The sign-in address comes from AUTH_TRUSTED_PROXIES rules, not uvicorn's
            # defaults (which would believe X-Forwarded-For from any loopback peer).
            proxy_headers=False,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
