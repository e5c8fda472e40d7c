#!/bin/sh
# First start of the database (the image runs /docker-entrypoint-initdb.d/*.sh once, on an
# empty data directory): one user per database-owning service plus the migration user.
#   pitwall_migrate   ALL on the schema WITH GRANT OPTION: applies the migrations, then
#                     grants each service DML on its own tables (deploy/docker/grant_tables.py)
#   pitwall_auth, pitwall_analysis, pitwall_report
#                     nothing until those grants: SELECT, INSERT, UPDATE, DELETE on the
#                     tables their service owns, and no DDL
# Passwords come from the environment and are URL-safe (hex), so they need no SQL quoting.
set -eu
: "${MYSQL_DATABASE:?}" "${MYSQL_MIGRATE_PASSWORD:?}" "${MYSQL_AUTH_PASSWORD:?}"
: "${MYSQL_ANALYSIS_PASSWORD:?}" "${MYSQL_REPORT_PASSWORD:?}"
mysql --protocol=socket -uroot -p"$MYSQL_ROOT_PASSWORD" <<SQL
CREATE USER IF NOT EXISTS 'pitwall_migrate'@'%' IDENTIFIED BY '$MYSQL_MIGRATE_PASSWORD';
GRANT ALL PRIVILEGES ON \`$MYSQL_DATABASE\`.* TO 'pitwall_migrate'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'pitwall_auth'@'%' IDENTIFIED BY '$MYSQL_AUTH_PASSWORD';
CREATE USER IF NOT EXISTS 'pitwall_analysis'@'%' IDENTIFIED BY '$MYSQL_ANALYSIS_PASSWORD';
CREATE USER IF NOT EXISTS 'pitwall_report'@'%' IDENTIFIED BY '$MYSQL_REPORT_PASSWORD';
SQL
