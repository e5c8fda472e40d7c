#!/bin/bash
# First start on an empty data directory: initialise it, set the root password, create
# MYSQL_DATABASE, run /docker-entrypoint-initdb.d/*.sh and *.sql, then serve. Later starts
# only serve. Server options may be given as arguments, as with the official image.
set -euo pipefail
if [ "${1:0:1}" = "-" ]; then set -- mariadbd "$@"; fi
datadir=/var/lib/mysql
if [ "$1" = "mariadbd" ] && [ ! -d "$datadir/mysql" ]; then
  : "${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD is required on first start}"
  echo "initialising $datadir"
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
    --auth-root-authentication-method=normal >/dev/null
  "$@" --user=mysql --skip-networking --socket=/run/mysqld/mysqld.sock &
  pid=$!
  for _ in $(seq 1 60); do
    mariadb-admin --socket=/run/mysqld/mysqld.sock -uroot ping >/dev/null 2>&1 && break
    sleep 1
  done
  mariadb --socket=/run/mysqld/mysqld.sock -uroot <<SQL
    -- mariadb-install-db also makes password-less root@127.0.0.1, @::1 and @<hostname>,
    -- which would win over root@'%' for TCP clients inside the container.
    DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');
    FLUSH PRIVILEGES;
    ALTER USER 'root'@'localhost' IDENTIFIED BY '${MYSQL_ROOT_PASSWORD}';
    CREATE USER 'root'@'%' IDENTIFIED BY '${MYSQL_ROOT_PASSWORD}';
    GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;
    ${MYSQL_DATABASE:+CREATE DATABASE IF NOT EXISTS \`${MYSQL_DATABASE}\`;}
    FLUSH PRIVILEGES;
SQL
  for script in /docker-entrypoint-initdb.d/*; do
    case "$script" in
      *.sh) echo "running $script"; bash "$script" ;;
      *.sql) echo "running $script"; mariadb --socket=/run/mysqld/mysqld.sock -uroot \
               -p"$MYSQL_ROOT_PASSWORD" "${MYSQL_DATABASE:-mysql}" <"$script" ;;
      *) ;;
    esac
  done
  kill "$pid"
  wait "$pid"
  echo "initialised"
fi
if [ "$1" = "mariadbd" ]; then
  shift
  exec mariadbd --user=mysql "$@"
fi
exec "$@"
