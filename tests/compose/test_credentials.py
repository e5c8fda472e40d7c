"""Each service's database user reaches only its own tables, each Redis user only its keys."""

from __future__ import annotations

import pytest

from tests.compose.stack import ComposeStack

# Service -> (its database user, one of its tables, a table of another service).
OWN_AND_FOREIGN_TABLES = {
    "auth": ("pitwall_auth", "users", "report_jobs"),
    "analysis": ("pitwall_analysis", "analysis_insight_cache", "users"),
    "report": ("pitwall_report", "report_jobs", "refresh_tokens"),
}


def mysql_as(stack: ComposeStack, user: str, password: str, sql: str) -> tuple[int, str]:
    # MYSQL_PWD keeps the password off the command line inside the container.
    result = stack.exec(
        "mysql", "env", f"MYSQL_PWD={password}", "mysql", "-h127.0.0.1", f"-u{user}",
        "--batch", "--skip-column-names", "pitwall", "-e", sql, check=False,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("short", sorted(OWN_AND_FOREIGN_TABLES))
def test_database_user_reaches_only_its_own_tables(stack: ComposeStack, short: str) -> None:
    user, own, foreign = OWN_AND_FOREIGN_TABLES[short]
    password = stack.settings[f"MYSQL_{short.upper()}_PASSWORD"]
    status, output = mysql_as(stack, user, password, f"SELECT COUNT(*) FROM {own}")  # noqa: S608
    assert status == 0, output
    status, output = mysql_as(stack, user, password, f"SELECT COUNT(*) FROM {foreign}")  # noqa: S608
    assert status != 0 and "denied" in output, output
    status, output = mysql_as(stack, user, password, "CREATE TABLE intruder (id INT)")
    assert status != 0 and "denied" in output, output
    status, output = mysql_as(stack, user, password, f"ALTER TABLE {own} ADD COLUMN x INT")
    assert status != 0 and "denied" in output, output


def test_services_connect_as_their_own_users(stack: ComposeStack) -> None:
    root = stack.settings["MYSQL_ROOT_PASSWORD"]
    status, output = mysql_as(
        stack, "root", root, "SELECT DISTINCT USER FROM information_schema.PROCESSLIST"
    )
    assert status == 0, output
    # analysis-svc touches its table only for model-written narratives (none here), so it
    # may hold no connection; the others do, and nobody else is connected but this query.
    users = set(output.split())
    assert {"pitwall_auth", "pitwall_report"} <= users, users
    assert users <= {"pitwall_auth", "pitwall_analysis", "pitwall_report", "root"}, users


def redis_as(stack: ComposeStack, user: str | None, *command: str) -> str:
    args = ["redis-cli", "--no-auth-warning"]
    if user is not None:
        args += ["--user", user, "--pass", stack.settings[f"REDIS_{user.upper()}_PASSWORD"]]
    result = stack.exec("redis", *args, *command, check=False)
    return (result.stdout + result.stderr).strip()


def test_redis_refuses_unauthenticated_clients(stack: ComposeStack) -> None:
    assert "NOAUTH" in redis_as(stack, None, "GET", "pitwall:revoked:1")


@pytest.mark.parametrize(
    ("user", "command", "allowed"),
    [
        ("auth", ("SET", "pitwall:revoked:probe", "1", "EX", "5"), True),
        ("auth", ("GET", "pitwall-gateway:probe"), False),
        ("auth", ("FLUSHALL",), False),
        ("gateway", ("GET", "pitwall:revoked:probe"), True),
        ("gateway", ("SET", "pitwall:revoked:probe", "1"), False),
        ("gateway", ("PUBLISH", "pitwall:revocations", "{}"), False),
        ("gateway", ("SET", "pitwall-gateway:probe", "1", "EX", "5"), True),
        ("analysis", ("SET", "pitwall-analysis:probe", "1", "EX", "5"), True),
        ("analysis", ("GET", "pitwall:revoked:probe"), False),
        ("analysis", ("KEYS", "*"), False),
    ],
)
def test_redis_user_is_confined_to_its_keys_and_commands(
    stack: ComposeStack, user: str, command: tuple[str, ...], allowed: bool
) -> None:
    answer = redis_as(stack, user, *command)
    assert ("NOPERM" not in answer) == allowed, answer
