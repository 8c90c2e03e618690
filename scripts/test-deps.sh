#!/usr/bin/env bash
# Installs the system packages the test suite needs. Idempotent: fast when done.
set -euo pipefail
need=()
command -v openssl >/dev/null || need+=(openssl)
command -v git >/dev/null || need+=(git)
# The dashboard's browser tests drive Debian's Chromium through playwright-core.
command -v chromium >/dev/null || need+=(chromium)
# The runtime's interop tests call both gRPC transports through grpc-go, as Crossplane does (built from Debian's sources).
command -v go >/dev/null || need+=(golang-go)
[ -d /usr/share/gocode/src/google.golang.org/grpc ] || need+=(golang-google-grpc-dev)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
bash "$(dirname "$0")/setup-postgres.sh"
