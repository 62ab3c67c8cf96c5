#!/bin/sh
# One PostgreSQL login role per service, owner of its own schema and nothing else (least privilege): a service
# cannot read or change another's tables, create schemas, or use the public schema. Idempotent (passwords are
# reset to the given ones). Run as the database owner or a superuser:
#   - compose and the trial overlay: the postgres image runs it on its first start (docker-entrypoint-initdb.d)
#   - a managed PostgreSQL: PGHOST=... PGUSER=<admin> PGDATABASE=drawbridge TOKEN_SERVICE_DB_PASSWORD=... sh roles.sh
# Roles: token_service (schema token), file_service (file), order_sync_service (orders), audit_service (audit),
# console (console); the schemas are the ones each application.yml names (spring.flyway.schemas).
# Passwords: <ROLE>_DB_PASSWORD, e.g. TOKEN_SERVICE_DB_PASSWORD; they reach psql as variables, not as arguments.
set -eu
db=${POSTGRES_DB:-${PGDATABASE:-drawbridge}}
export PGUSER="${POSTGRES_USER:-${PGUSER:-postgres}}"

for pair in token_service:token file_service:file order_sync_service:orders audit_service:audit console:console; do
    role=${pair%%:*}
    schema=${pair#*:}
    var=$(echo "$role" | tr 'a-z' 'A-Z')_DB_PASSWORD
    eval "password=\${$var:?set $var}"
    export DRAWBRIDGE_ROLE_PASSWORD="$password"
    psql -v ON_ERROR_STOP=1 -q --dbname "$db" -v role="$role" -v schema="$schema" -v db="$db" <<'SQL'
\getenv password DRAWBRIDGE_ROLE_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION PASSWORD :'password';
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER SCHEMA :"schema" OWNER TO :"role";
ALTER ROLE :"role" IN DATABASE :"db" SET search_path = :"schema";
GRANT CONNECT ON DATABASE :"db" TO :"role";
SQL
done
unset DRAWBRIDGE_ROLE_PASSWORD
# Nobody else connects or creates anything by default (PostgreSQL 15+ already keeps PUBLIC out of schema public).
psql -v ON_ERROR_STOP=1 -q --dbname "$db" -v db="$db" <<'SQL'
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
echo "roles: token_service, file_service, order_sync_service, audit_service, console (each owns its schema only)"
