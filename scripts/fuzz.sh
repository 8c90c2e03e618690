#!/usr/bin/env bash
# Runs the seeded gRPC fuzzer (test/fuzz/steps.test.ts) at length:
#   scripts/fuzz.sh [COUNT] [STEPS] [SEED]
# COUNT requests per step (default 100000), STEPS comma-separated (default all
# five: analyze,retrieve,decide,render-aws,record), SEED (default the suite's).
# Each step prints one line "fuzz <step>: {...}" with its tally, time and rate;
# the run fails on any RPC error, hang or exception caught by a server.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_COUNT="${1:-100000}"
[ -n "${2:-}" ] && export FUZZ_STEPS="$2"
[ -n "${3:-}" ] && export FUZZ_SEED="$3"
npx tsc -b
exec npx vitest run test/fuzz/steps.test.ts --reporter=default
