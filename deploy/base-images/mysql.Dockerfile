# Stand-in for mysql:8.4: Debian's MariaDB 10.11 behind an entrypoint with the official
# image's contract (MYSQL_ROOT_PASSWORD, MYSQL_DATABASE, /docker-entrypoint-initdb.d/*.sh).
ARG BASE=pitwall-local/debian:bookworm
FROM ${BASE}
# The package initialises a data directory at install time; empty it so the first start of
# a container initialises its own, with the users and passwords of that deployment. Debian
# listens on loopback only; a container must listen on its network, as the official does.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      mariadb-server mariadb-client \
 && rm -rf /var/lib/apt/lists/* /var/lib/mysql \
 && install -d -o mysql -g mysql /var/lib/mysql /run/mysqld \
 && install -d /docker-entrypoint-initdb.d \
 && printf '[mariadbd]\nbind-address = 0.0.0.0\nskip-name-resolve\n' \
      >/etc/mysql/mariadb.conf.d/99-container.cnf
COPY mysql-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/mysql
EXPOSE 3306
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["mariadbd"]
