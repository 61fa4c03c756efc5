#!/usr/bin/env bash
# Start a PostgreSQL server for the tests (CI runs this as root on Debian 12) and print the
# variables the tests read, for the caller to eval:
#   eval "$(scripts/ci_postgres.sh)"
# Installs Debian's postgresql if it is missing; creates the role and database if absent.
# Safe to run again against a running server.
set -euo pipefail

ROLE=${SITROOM_PG_ROLE:-sitroom}
PASSWORD=${SITROOM_PG_PASSWORD:-sitroom}
DATABASE=${SITROOM_PG_DATABASE:-sitroom}
HOST=127.0.0.1

log() { echo "ci_postgres: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing Debian's postgresql"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# The newest installed cluster (Debian 12: 15/main); create one if the package made none.
cluster=$(pg_lsclusters --no-header | sort -k1,1 -V | tail -n 1)
if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    log "creating cluster $version/main"
    pg_createcluster "$version" main >&2
    cluster=$(pg_lsclusters --no-header | sort -k1,1 -V | tail -n 1)
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
    log "starting cluster $version/$name"
    pg_ctlcluster "$version" "$name" start >&2
fi

as_postgres() { su postgres -c "$1"; }
for _ in $(seq 1 60); do
    if as_postgres "pg_isready -q -h $HOST -p $port"; then
        break
    fi
    sleep 1
done
as_postgres "pg_isready -q -h $HOST -p $port" || { log "the server does not answer on port $port"; exit 1; }

sql() { as_postgres "psql -q -v ON_ERROR_STOP=1 -p $port -tAc \"$1\""; }
if [ "$(sql "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
    log "creating role $ROLE"
    sql "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD' CREATEDB"
fi
if [ "$(sql "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
    log "creating database $DATABASE"
    as_postgres "createdb -p $port -O $ROLE $DATABASE"
fi

url="postgresql://$ROLE:$PASSWORD@$HOST:$port/$DATABASE"
for _ in $(seq 1 30); do
    if PGCONNECT_TIMEOUT=5 psql "$url" -qtAc "SELECT 1" >/dev/null 2>&1; then
        echo "export SITROOM_TEST_POSTGRES='$url'"
        echo "export SITROOM_TEST_POSTGRES_RESTART='pg_ctlcluster $version $name restart'"
        exit 0
    fi
    sleep 1
done
log "cannot connect as $ROLE to $url"
exit 1
