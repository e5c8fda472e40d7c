#!/usr/bin/env bash
# `make compose-test`: build the five images, run the compose stack for real and test it.
#   1. a Docker engine: installs Debian's docker.io (and docker-compose 1.29, debootstrap)
#      when missing and starts dockerd when it is not running;
#   2. base images: the official ones when they can be pulled, otherwise stand-ins built
#      from Debian packages (deploy/base-images.sh, tagged pitwall-local/...);
#   3. `docker-compose build` of the five images (BuildKit, cached), `up -d`, wait for health;
#   4. scripts/demo.py through the published gateway, then the container tests (tests/compose);
#   5. always `down -v`: containers, networks and volumes of this run are removed.
# The stack runs as its own compose project with generated secrets; only the gateway is
# published, on 127.0.0.1 and a free port, so it never meets the host's MySQL or Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
# Debian's docker client and docker-compose: another `docker` earlier on PATH may want buildx.
export PATH="/usr/bin:/usr/sbin:$PATH"
export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1
export COMPOSE_PROJECT_NAME="pitwall-compose-test-$$"
export COMPOSE_FILE="$PWD/docker-compose.yml"
PY=${PY:-.venv/bin/python}
work=$(mktemp -d)
export PITWALL_COMPOSE_ENV_FILE="$work/compose.env"
compose() { docker-compose --env-file "$PITWALL_COMPOSE_ENV_FILE" "$@"; }
step() { printf '\n== [%ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

ensure_engine() {
  if ! [ -x /usr/bin/docker ] || ! command -v docker-compose >/dev/null \
      || ! command -v debootstrap >/dev/null; then
    step "installing docker.io, docker-compose and debootstrap (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      docker.io docker-compose debootstrap >/dev/null
  fi
  if ! docker info >/dev/null 2>&1; then
    step "starting dockerd (log: /var/log/pitwall-dockerd.log)"
    nohup dockerd >/var/log/pitwall-dockerd.log 2>&1 &
    for _ in $(seq 1 60); do
      docker info >/dev/null 2>&1 && return 0
      sleep 1
    done
    echo "dockerd did not come up; see /var/log/pitwall-dockerd.log" >&2
    exit 1
  fi
}

# Prints the compose variables for the base images: nothing for the official ones.
base_images() {
  local image
  for image in python:3.11-slim-bookworm node:20-bookworm-slim mysql:8.4 redis:7.4-alpine; do
    if ! docker image inspect "$image" >/dev/null 2>&1 \
        && ! timeout 60 docker pull -q "$image" >/dev/null 2>&1; then
      echo "cannot pull $image: building stand-ins from Debian packages" >&2
      deploy/base-images.sh
      return 0
    fi
  done
}

write_env() {
  local port secret
  port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  {
    echo "GATEWAY_PUBLISHED_PORT=$port"
    echo "PITWALL_IMAGE_TAG=compose-test"
    echo "TELEMETRY_OFFLINE=true"
    # The sign-in burst test speaks for many clients through a proxy on the docker network.
    echo "GATEWAY_TRUSTED_PROXIES=10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"
    cat "$work/base-images.env"
  } >"$work/overrides.env"
  # .env.example without the overridden names; every change-me placeholder becomes a fresh
  # random secret for this run only.
  while IFS= read -r line; do
    if [[ $line =~ ^([A-Z0-9_]+)= ]] && grep -q "^${BASH_REMATCH[1]}=" "$work/overrides.env"; then
      continue
    fi
    if [[ $line == *=change-me* ]]; then
      secret=$("$PY" -c 'import secrets; print(secrets.token_hex(24))')
      line="${line%%=*}=$secret"
    fi
    printf '%s\n' "$line"
  done <.env.example >"$PITWALL_COMPOSE_ENV_FILE"
  cat "$work/overrides.env" >>"$PITWALL_COMPOSE_ENV_FILE"
}

teardown() {
  local status=$?
  step "tearing down ($COMPOSE_PROJECT_NAME)"
  if [ "$status" -ne 0 ] && [ -f "$PITWALL_COMPOSE_ENV_FILE" ]; then
    compose ps || true
    compose logs --no-color --tail=60 || true
  fi
  if [ -f "$PITWALL_COMPOSE_ENV_FILE" ]; then
    compose down -v --remove-orphans --timeout 20 || true
  fi
  rm -rf "$work"
  echo "compose-test finished in $(( $(date +%s) - started ))s (exit $status)"
}

ensure_engine
[ -x "$PY" ] || make setup
step "base images"
base_images >"$work/base-images.env"
cat "$work/base-images.env"
write_env
trap teardown EXIT

step "building the five images"
build_started=$(date +%s)
compose build gateway auth-svc telemetry-svc analysis-svc report-svc
echo "images built in $(( $(date +%s) - build_started ))s"

step "docker-compose up"
up_started=$(date +%s)
compose up -d --no-build
"$PY" -m tests.compose.wait_healthy
echo "stack healthy in $(( $(date +%s) - up_started ))s"

port=$(grep '^GATEWAY_PUBLISHED_PORT=' "$PITWALL_COMPOSE_ENV_FILE" | tail -1 | cut -d= -f2)
step "demo through the containers (http://127.0.0.1:$port)"
"$PY" scripts/demo.py --gateway "http://127.0.0.1:$port" --out "$work/demo"

step "container tests (tests/compose)"
"$PY" -m pytest tests/compose -q -rP -p no:cacheprovider
