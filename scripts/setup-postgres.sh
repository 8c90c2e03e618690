#!/usr/bin/env bash
# Installs PostgreSQL 15 and pgvector 0.8.0 for the test suite on Debian bookworm.
#
# Bookworm ships no pgvector package, so this builds Debian's own source package
# (pgvector 0.8.0-1 from trixie's deb-src) into a .deb against
# postgresql-server-dev-15 pinned to the installed server version, caches the
# .deb and installs it. PostgreSQL itself always comes from bookworm: trixie's
# server would pull in a newer libc. The trixie deb-src line is derived from the
# machine's own apt sources (the entry for its release's main component, with
# the suite swapped), so the script names no archive or mirror of its own.
#
# `--print-source` prints the deb-src line it would use and exits; SCIA_APT_ETC
# (default /etc/apt) and SCIA_OS_RELEASE (default /etc/os-release) point it at
# other files, for tests.
#
# Idempotent: a no-op when the package is installed, ~1 s when the cached .deb
# is there, ~40 s on a fresh machine. Cache dir: $SCIA_CACHE_DIR/pgvector
# (default ~/.cache/scia/pgvector).
set -euo pipefail

PG_MAJOR=15
PGVECTOR_VERSION=0.8.0-1
SOURCE_SUITE=trixie
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

apt_etc=${SCIA_APT_ETC:-/etc/apt}
os_release=${SCIA_OS_RELEASE:-/etc/os-release}

codename() { (. "$os_release" && echo "${VERSION_CODENAME:-}"); }

# release_source prints "URI<TAB>SIGNED-BY" for the first enabled apt source of
# this release's suite with the main component, from sources.list and
# sources.list.d (one-line .list and deb822 .sources files).
release_source() {
  local codename files=()
  codename=$(codename)
  [ -f "$apt_etc/sources.list" ] && files+=("$apt_etc/sources.list")
  for f in "$apt_etc"/sources.list.d/*.list "$apt_etc"/sources.list.d/*.sources; do [ -f "$f" ] && files+=("$f"); done
  [ -n "$codename" ] && [ "${#files[@]}" -gt 0 ] || return 0
  awk -v want="$codename" '
    function has(list, word,   n, a, i) { n = split(list, a, /[ \t]+/); for (i = 1; i <= n; i++) if (a[i] == word) return 1; return 0 }
    function emit() { if (!done && enabled != "no" && has(types, "deb") && has(suites, want) && has(comps, "main") && uri != "") { print uri "\t" signed; done = 1 } }
    function reset() { types = suites = comps = uri = signed = ""; enabled = "" }
    FNR == 1 { emit(); reset(); deb822 = (FILENAME ~ /\.sources$/) }
    /^[ \t]*#/ { next }
    deb822 && /^[ \t]*$/ { emit(); reset(); next }
    deb822 {
      key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^[ \t]+/, "")
      if (key == "types") types = $0; else if (key == "uris") { split($0, u, /[ \t]+/); uri = u[1] }
      else if (key == "suites") suites = $0; else if (key == "components") comps = $0
      else if (key == "signed-by") signed = $0; else if (key == "enabled") enabled = tolower($0)
      next
    }
    $1 == "deb" {
      reset(); types = "deb"; i = 2; opts = ""
      if ($2 ~ /^\[/) { while (i <= NF) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } i++ } }
      if (match(opts, /signed-by=[^] ]+/)) signed = substr(opts, RSTART + 10, RLENGTH - 10)
      uri = $i; suites = $(i + 1); comps = ""; for (j = i + 2; j <= NF; j++) comps = comps " " $j
      emit(); reset()
    }
    END { emit() }
  ' "${files[@]}"
}

# source_line prints the deb-src line for $SOURCE_SUITE: this release's source with the suite swapped.
source_line() {
  local source uri signed
  source=$(release_source)
  if [ -z "$source" ]; then
    log "cannot find this release's Debian source (suite $(codename), component main) in $apt_etc/sources.list or $apt_etc/sources.list.d"
    exit 1
  fi
  uri=${source%%$'\t'*}
  signed=${source#*$'\t'}
  echo "deb-src ${signed:+[signed-by=$signed] }$uri $SOURCE_SUITE main"
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
  source_line >"$work/sources.list"
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
  if [ "${1:-}" = --print-source ]; then source_line; return; fi
  ensure_server
  if [ "$(installed_version "$package")" = "$PGVECTOR_VERSION" ]; then return; fi
  if [ ! -f "$deb" ]; then build_deb; fi
  log "installing $deb"
  as_root dpkg -i "$deb" >/dev/null
}

main "$@"
