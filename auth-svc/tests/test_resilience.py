"""A database or report service that is down yields honest 503s, and nothing half-done."""

from __future__ import annotations

import jwt

from pitwall_auth.models import User
from pitwall_shared.testing import free_port

API = "/api/v1/auth"
REPORT_SECRET = "report-client-secret-for-tests"  # as configured by conftest


async def test_database_down_is_503_not_500(settings, start_app):
    # Nothing listens on this port, so every connection attempt is refused.
    down = settings.model_copy(
        update={"database_url": f"mysql://root@127.0.0.1:{free_port()}/auth"}
    )
    async with start_app(down) as (_app, client):
        registration = await client.post(
            f"{API}/register",
            json={"email": "lena@example.com", "password": "Grid-Walk-2024", "display_name": "L"},
        )
        login = await client.post(
            f"{API}/login", json={"email": "lena@example.com", "password": "Grid-Walk-2024"}
        )
        service = await client.post(
            "/internal/service-token", json={"client_id": "report", "client_secret": REPORT_SECRET}
        )
        me = await client.get(
            f"{API}/me", headers={"Authorization": f"Bearer {service.json()['access_token']}"}
        )
        for response in (registration, login, me):
            assert response.status_code == 503, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["type"].endswith("/database-unavailable")
            assert response.headers["retry-after"] == "2"
        assert (await client.get("/readyz")).status_code == 503
        # Keys do not need the database: verifiers keep working.
        assert (await client.get("/.well-known/jwks.json")).status_code == 200


async def test_delete_with_report_service_down_deletes_nothing(settings, start_app):
    unreachable = settings.model_copy(update={"report_url": f"http://127.0.0.1:{free_port()}"})
    async with start_app(unreachable) as (app, client):
        await client.post(
            f"{API}/register",
            json={"email": "lena@example.com", "password": "Grid-Walk-2024", "display_name": "L"},
        )
        pair = (
            await client.post(
                f"{API}/login", json={"email": "lena@example.com", "password": "Grid-Walk-2024"}
            )
        ).json()
        response = await client.request(
            "DELETE",
            f"{API}/me",
            headers={"Authorization": f"Bearer {pair['access_token']}"},
            json={"password": "Grid-Walk-2024"},
        )
        assert response.status_code == 503, response.text
        assert response.json()["type"].endswith("/upstream-unavailable")
        assert "report" in response.json()["detail"]
        refreshed = await client.post(
            f"{API}/refresh", json={"refresh_token": pair["refresh_token"]}
        )
        assert refreshed.status_code == 200  # the sign-in survived too
        async with app.state.sessions() as session:
            assert await session.get(User, _sub(pair)) is not None


async def test_delete_when_report_service_fails_deletes_nothing(api, report_stand_in):
    await api.register()
    token = (await api.login())["access_token"]
    for status in (500, 401, 404):
        report_stand_in.status = status
        response = await api.client.request(
            "DELETE", f"{API}/me", headers=api.bearer(token), json={"password": api.password}
        )
        api.problem(response, 502, "upstream-error")
        assert await api.count(User) == 1
    assert len(report_stand_in.calls) == 3


async def test_delete_when_analysis_refuses_keeps_the_account(api, report_stand_in):
    await api.register()
    token = (await api.login())["access_token"]
    report_stand_in.statuses["/api/v1/analysis/conversations/mine"] = 500
    response = await api.client.request(
        "DELETE", f"{API}/me", headers=api.bearer(token), json={"password": api.password}
    )
    api.problem(response, 502, "upstream-error")
    assert "analysis" in response.json()["detail"] and await api.count(User) == 1
    assert [call["path"] for call in report_stand_in.calls] == [
        "/api/v1/reports/mine", "/api/v1/analysis/conversations/mine"]


async def test_readyz_checks_the_database(api):
    response = await api.client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def _sub(pair: dict) -> str:
    return str(jwt.decode(pair["access_token"], options={"verify_signature": False})["sub"])
