from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from pitwall_analysis.config import Settings
from pitwall_analysis.migrate import migrate
from pitwall_shared.testing import temporary_database_url

REPO = Path(__file__).resolve().parents[2]


def test_settings_read_the_stack_variable_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYSIS_TELEMETRY_URL", "http://127.0.0.1:9999")
    monkeypatch.setenv("ANALYSIS_PORT", "9003")
    monkeypatch.setenv("DATABASE_URL", "mysql://root@127.0.0.1/x")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("ANALYSIS_MODEL_CALLS_PER_HOUR", "3")
    settings = Settings()
    assert settings.telemetry_url == "http://127.0.0.1:9999"
    assert settings.port == 9003
    assert settings.database_url == "mysql://root@127.0.0.1/x"
    assert settings.model_configured and settings.openai_base_url == "http://127.0.0.1:1/v1"
    assert settings.model_calls_per_hour == 3
    monkeypatch.setenv("ANALYSIS_DATABASE_URL", "sqlite:///own.db")
    assert Settings().database_url == "sqlite:///own.db"


def test_database_defaults_to_a_file_in_the_data_dir(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    for name in ("DATABASE_URL", "ANALYSIS_DATABASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PITWALL_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'analysis.db'}"
    assert not settings.model_configured


def test_migrate_command_creates_the_cache_table_with_its_own_version_table(
    tmp_path: Path,
) -> None:
    with temporary_database_url(tmp_path) as url:
        env = {**os.environ, "ANALYSIS_DATABASE_URL": url}
        result = subprocess.run([sys.executable, "-m", "pitwall_analysis", "migrate"],
                                env=env, cwd=REPO, capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        migrate(url)  # a second run is a no-op
        sync_url = url.replace("mysql://", "mysql+pymysql://", 1)
        engine = sa.create_engine(sync_url)
        try:
            tables = set(sa.inspect(engine).get_table_names())
            with engine.connect() as conn:
                version = conn.execute(sa.text("SELECT version_num FROM alembic_version_analysis"))
                assert version.scalar() == "0002_conversations"
        finally:
            engine.dispose()
        assert {"analysis_insight_cache", "analysis_conversations",
                "analysis_conversation_answers", "alembic_version_analysis"} <= tables
