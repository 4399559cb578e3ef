# shellcheck shell=bash
# Services the test suite needs: a private PostgreSQL 15 cluster with pgvector, on loopback.
#
# Sourced by .ci/run (bash, `set -euo pipefail`, root, fresh Debian 12). Exports
# DREAMPOOL_PG_URL and defines ci_services_stop. Steps follow docs/toolchain.md §5:
# bookworm has no pgvector binary package, so pgvector is built from Debian trixie's
# *source* package, read through a private apt config that leaves the system sources
# untouched. Everything is skipped when already in place, so re-sourcing is fast.
#
# Overrides: DREAMPOOL_PG_PORT (54329), DREAMPOOL_PG_DIR (state dir, default under $TMPDIR).

_dp_pg_port="${DREAMPOOL_PG_PORT:-54329}"
_dp_pg_dir="${DREAMPOOL_PG_DIR:-${TMPDIR:-/tmp}/dreampool-pg-${_dp_pg_port}}"
_dp_pg_bin=/usr/lib/postgresql/15/bin
_dp_pg_db=dreampool
_dp_services_start=$SECONDS

_dp_log() { printf '    [services] +%ss %s\n' "$((SECONDS - _dp_services_start))" "$*"; }
_dp_as_postgres() { (cd / && runuser -u postgres -- "$@"); }

_dp_pgvector_installed() {
  [ -x "$_dp_pg_bin/pg_config" ] || return 1
  local libdir sharedir
  libdir="$("$_dp_pg_bin/pg_config" --pkglibdir)"
  sharedir="$("$_dp_pg_bin/pg_config" --sharedir)"
  [ -f "$libdir/vector.so" ] && [ -f "$sharedir/extension/vector.control" ]
}

_dp_install_postgres_with_pgvector() {
  local work src_list apt_private
  work="$(mktemp -d "${TMPDIR:-/tmp}/dreampool-pgvector.XXXXXX")"
  chmod 755 "$work" # apt downloads as the _apt user

  # Wait for another apt/dpkg run (e.g. unattended upgrades on a fresh machine) instead of failing.
  local lock_wait=(-o DPkg::Lock::Timeout=300)
  _dp_log "apt-get update"
  apt-get "${lock_wait[@]}" update -qq

  _dp_log "installing postgresql-15, postgresql-server-dev-15, build tools"
  DEBIAN_FRONTEND=noninteractive apt-get "${lock_wait[@]}" install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confold \
    postgresql-15 postgresql-server-dev-15 build-essential >/dev/null

  # A deb-src line for trixie on the same mirror the machine's own apt sources name
  # (deb822 sources first, then the classic one-line format).
  local mirror=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources | head -1 | awk '{print $1}')"
  fi
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  if [ -z "$mirror" ]; then
    echo "services.sh: cannot find a Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list" >&2
    return 1
  fi
  src_list="$work/src.list"
  printf 'deb-src %s trixie main\n' "$mirror" >"$src_list"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  apt_private=(
    -o "Dir::Etc::SourceList=$src_list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
  )

  _dp_log "fetching pgvector source package from $mirror (trixie)"
  apt-get "${apt_private[@]}" update -qq
  (cd "$work" && apt-get "${apt_private[@]}" source --download-only -qq pgvector >/dev/null)

  local orig
  orig="$(find "$work" -maxdepth 1 -name 'pgvector_*.orig.tar.*' | head -1)"
  if [ -z "$orig" ]; then
    echo "services.sh: apt-get source pgvector produced no orig tarball" >&2
    return 1
  fi
  mkdir -p "$work/build"
  tar -xf "$orig" -C "$work/build" --strip-components=1

  # OPTFLAGS="" drops the Makefile's -march=native so the build is portable.
  _dp_log "building $(basename "$orig")"
  make -s -C "$work/build" -j"$(nproc)" OPTFLAGS="" PG_CONFIG="$_dp_pg_bin/pg_config" >/dev/null
  make -s -C "$work/build" install PG_CONFIG="$_dp_pg_bin/pg_config" >/dev/null
  rm -rf "$work"
}

_dp_start_cluster() {
  local data="$_dp_pg_dir/data" sock="$_dp_pg_dir/sock"
  if [ -f "$data/PG_VERSION" ] && _dp_as_postgres "$_dp_pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    _dp_log "cluster already running in $data"
    return 0
  fi
  if "$_dp_pg_bin/pg_isready" -q -h 127.0.0.1 -p "$_dp_pg_port" 2>/dev/null; then
    echo "services.sh: something else already listens on 127.0.0.1:$_dp_pg_port (set DREAMPOOL_PG_PORT)" >&2
    return 1
  fi
  rm -rf "$_dp_pg_dir"
  mkdir -p "$data" "$sock"
  chown -R postgres:postgres "$_dp_pg_dir"
  chmod 700 "$data"

  _dp_log "initdb $data"
  _dp_as_postgres "$_dp_pg_bin/initdb" -D "$data" -U postgres --auth=trust \
    --encoding=UTF8 --no-locale >/dev/null
  # A throwaway test cluster: durability settings off trade crash safety for speed.
  _dp_log "starting postgres on 127.0.0.1:$_dp_pg_port"
  _dp_as_postgres "$_dp_pg_bin/pg_ctl" -D "$data" -l "$_dp_pg_dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $_dp_pg_port -k $sock -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
}

_dp_create_database() {
  local exists
  exists="$(_dp_as_postgres "$_dp_pg_bin/psql" -h 127.0.0.1 -p "$_dp_pg_port" -U postgres -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname = '$_dp_pg_db'")"
  if [ "$exists" != "1" ]; then
    _dp_as_postgres "$_dp_pg_bin/createdb" -h 127.0.0.1 -p "$_dp_pg_port" -U postgres "$_dp_pg_db"
  fi
  _dp_as_postgres env PGOPTIONS=--client-min-messages=warning \
    "$_dp_pg_bin/psql" -h 127.0.0.1 -p "$_dp_pg_port" -U postgres -d "$_dp_pg_db" -qc \
    "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
}

ci_services_stop() {
  if [ -f "$_dp_pg_dir/data/PG_VERSION" ]; then
    _dp_as_postgres "$_dp_pg_bin/pg_ctl" -D "$_dp_pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  return 0
}

if _dp_pgvector_installed; then
  _dp_log "postgresql-15 with pgvector already installed"
else
  _dp_install_postgres_with_pgvector
fi
_dp_start_cluster
_dp_create_database
export DREAMPOOL_PG_URL="postgres://postgres@127.0.0.1:${_dp_pg_port}/${_dp_pg_db}"
_dp_log "DREAMPOOL_PG_URL=$DREAMPOOL_PG_URL (ready in $((SECONDS - _dp_services_start)) s)"
