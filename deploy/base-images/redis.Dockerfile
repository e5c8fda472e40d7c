# Stand-in for redis:7.4-alpine: Debian's Redis 7.0 (ACL users, selectors, %R~ key patterns).
ARG BASE=pitwall-local/debian:bookworm
FROM ${BASE}
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o redis -g redis /data
WORKDIR /data
EXPOSE 6379
CMD ["redis-server"]
