# Sourced by .ci/run: makes sure a PostgreSQL server answers on 127.0.0.1 with trust
# authentication for the user postgres and has a database `test`, for the store's tests
# (crates/store/tests/store.rs, crates/cli/tests/cli/audit.rs), which fail under CI=true
# without one.
#
# In order: a server already answering on 127.0.0.1:5432 (the rust-svc machines start
# one before the session); the machine's own Debian cluster, started; else a throwaway
# cluster in a temporary folder (installing Debian's `postgresql` when it is missing),
# on 5432, or on 55432 when something unusable holds 5432, exported to the tests as
# REDFLAG_TEST_PG. Safe to run again: each step is skipped when its work is done.

pg_usable() {
    PGCONNECT_TIMEOUT=3 psql -w -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atqc 'select 1' \
        >/dev/null 2>&1
}

pg_listening() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_wait() {
    for _ in $(seq 1 30); do
        pg_usable "$1" && return 0
        sleep 0.5
    done
    return 1
}

apt_install() {
    if [ "$(id -u)" != 0 ]; then
        echo "PostgreSQL is needed and missing, and installing $* needs root" >&2
        return 1
    fi
    [ -n "${apt_updated:-}" ] || { apt-get update -qq >/dev/null; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# A cluster of our own in a temporary folder: trust authentication, loopback only,
# no fsync (it holds test data for one run).
pg_throwaway() {
    local port=$1 bin dir
    # postgresql-client installs a bin folder too, without initdb.
    bin=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ]; then
        local before
        before=$(ls /etc/postgresql 2>/dev/null || true)
        apt_install postgresql
        bin=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
        # The package may have started a cluster of its own (password authentication on
        # TCP): stop what the install started, to make room for ours.
        if [ -z "$before" ]; then
            for version in $(ls /etc/postgresql 2>/dev/null); do
                pg_ctlcluster --skip-systemctl-redirect "$version" main stop >/dev/null 2>&1 || true
            done
        fi
    fi
    bin=$(dirname "$bin")
    dir=$(mktemp -d /tmp/redflag-ci-postgres.XXXXXX)
    local as=()
    if [ "$(id -u)" = 0 ]; then
        # initdb refuses to run as root; Debian's package made the postgres user.
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
        chown postgres "$dir"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
    cleanups+=("${as[*]} '$bin/pg_ctl' -D '$dir/data' -m fast stop >/dev/null 2>&1; rm -rf '$dir'")
}

command -v psql >/dev/null 2>&1 || apt_install postgresql-client
pg_port=5432
if ! pg_usable "$pg_port"; then
    if ! pg_listening "$pg_port"; then
        for cluster in /etc/postgresql/*/main; do
            [ -d "$cluster" ] || continue
            version=$(basename "$(dirname "$cluster")")
            pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
            pg_wait "$pg_port" && break
            # Not usable with trust authentication: ours goes in its place.
            pg_ctlcluster --skip-systemctl-redirect "$version" main stop >/dev/null 2>&1 || true
        done
    fi
    if ! pg_usable "$pg_port"; then
        pg_listening "$pg_port" && pg_port=55432
        pg_throwaway "$pg_port"
        pg_wait "$pg_port"
    fi
fi
if [ "$(psql -w -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atqc \
    "select count(*) from pg_database where datname = 'test'")" = 0 ]; then
    createdb -w -h 127.0.0.1 -p "$pg_port" -U postgres test
fi
export REDFLAG_TEST_PG="postgres://postgres@127.0.0.1:$pg_port/test"
echo "PostgreSQL answers at $REDFLAG_TEST_PG"
