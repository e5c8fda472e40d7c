# Stand-in for python:3.11-slim-bookworm: Debian's Python 3.11 on a debootstrapped bookworm.
ARG BASE=pitwall-local/debian:bookworm
FROM ${BASE}
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-pip python3-venv python-is-python3 \
 && rm -rf /var/lib/apt/lists/*
# Debian marks its interpreter as externally managed; the official image's is not, and the
# service Dockerfiles install uv with pip just as they do there.
ENV PIP_BREAK_SYSTEM_PACKAGES=1 \
    LANG=C.UTF-8
CMD ["python3"]
