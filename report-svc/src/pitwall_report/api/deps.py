"""Dependency aliases for the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_report.config import Settings
from pitwall_report.services.jobs import JobRunner
from pitwall_report.services.quotas import Quotas
from pitwall_report.services.render_pool import RenderPool
from pitwall_report.services.storage import ReportFiles
from pitwall_report.services.upstreams import Upstreams
from pitwall_shared.db import request_session

SessionDep = Annotated[AsyncSession, request_session(lambda r: r.app.state.sessions)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _upstreams(request: Request) -> Upstreams:
    upstreams: Upstreams = request.app.state.upstreams
    return upstreams


def _pool(request: Request) -> RenderPool:
    pool: RenderPool = request.app.state.render_pool
    return pool


def _files(request: Request) -> ReportFiles:
    files: ReportFiles = request.app.state.files
    return files


def _runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _quotas(request: Request) -> Quotas:
    settings: Settings = request.app.state.settings
    return Quotas(settings.max_active_jobs_per_user, settings.max_stored_reports_per_user)


SettingsDep = Annotated[Settings, Depends(_settings)]
UpstreamsDep = Annotated[Upstreams, Depends(_upstreams)]
RenderPoolDep = Annotated[RenderPool, Depends(_pool)]
FilesDep = Annotated[ReportFiles, Depends(_files)]
JobRunnerDep = Annotated[JobRunner, Depends(_runner)]
QuotasDep = Annotated[Quotas, Depends(_quotas)]
