#!/usr/bin/env bash
# Installs PostgreSQL 15 and pgvector 0.8.0 for the test suite on Debian bookworm.
#
# Bookworm ships no pgvector package, so this builds Debian's own source package
# (pgvector 0.8.0-1 from trixie's deb-src) into a .deb against
# postgresql-server-dev-15 pinned to the installed server version, caches the
# .deb and installs it. PostgreSQL itself always comes from bookworm: trixie's
# server would pull in a newer libc.
#
# Idempotent: a no-op when the package is installed, ~1 s when the cached .deb
# is there, ~40 s on a fresh machine. Cache dir: $SCIA_CACHE_DIR/pgvector
# (default ~/.cache/scia/pgvector).
set -euo pipefail

PG_MAJOR=15
PGVECTOR_VERSION=0.8.0-1
SOURCE_SUITE=trixie
MIRROR=http://deb.debian.org/debian
cache_dir="${SCIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/scia}/pgvector"
arch=$(dpkg --print-architecture)
package="postgresql-$PG_MAJOR-pgvector"
deb="$cache_dir/${package}_${PGVECTOR_VERSION}_${arch}.deb"
apt_updated=false
work=""

log() { echo "setup-postgres: $*" >&2; }

# installed_version prints the installed version of package $1, or nothing.
installed_version() {
  dpkg-query -W -f='${db:Status-Status} ${Version}\n' "$1" 2>/dev/null | awk '$1 == "installed" { print $2 }'
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  if [ "$apt_updated" = false ]; then
    as_root apt-get update -qq
    apt_updated=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_server() {
  if [ -n "$(installed_version "postgresql-$PG_MAJOR")" ]; then return; fi
  log "installing postgresql-$PG_MAJOR from the system's (bookworm) sources"
  apt_install "postgresql-$PG_MAJOR"
}

# build_deb builds $deb from Debian's source package with a throwaway apt
# configuration, so the system's sources list is left untouched.
build_deb() {
  local server common
  server=$(installed_version "postgresql-$PG_MAJOR")
  common=$(installed_version postgresql-common)
  log "installing build dependencies pinned to postgresql-$PG_MAJOR $server"
  apt_install "postgresql-server-dev-$PG_MAJOR=$server" "postgresql-server-dev-all=$common" \
    debhelper dpkg-dev build-essential
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  echo "deb-src $MIRROR $SOURCE_SUITE main" >"$work/sources.list"
  local apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root -qq)
  log "fetching pgvector $PGVECTOR_VERSION source from $SOURCE_SUITE"
  apt-get "${apt_opts[@]}" update
  (cd "$work" && apt-get "${apt_opts[@]}" source --download-only "pgvector=$PGVECTOR_VERSION" >/dev/null)
  # apt checked the files against trixie's signed Sources index.
  dpkg-source --no-check -x "$work"/pgvector_*.dsc "$work/src" >/dev/null
  log "building $package $PGVECTOR_VERSION"
  (
    cd "$work/src"
    pg_buildext updatecontrol
    DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b -d -Pnocheck >"$work/build.log" 2>&1 ||
      { tail -n 40 "$work/build.log" >&2; exit 1; }
  )
  mkdir -p "$cache_dir"
  cp "$work/${package}_${PGVECTOR_VERSION}_${arch}.deb" "$deb"
}

main() {
  ensure_server
  if [ "$(installed_version "$package")" = "$PGVECTOR_VERSION" ]; then return; fi
  if [ ! -f "$deb" ]; then build_deb; fi
  log "installing $deb"
  as_root dpkg -i "$deb" >/dev/null
}

main "$@"
