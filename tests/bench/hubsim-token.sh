#!/usr/bin/env bash
# hubsim's token-endpoint throughput per grant (client_credentials, authorization_code,
# refresh_token, device_code) with wrk, against a release build. Prints a table and the exact
# wrk commands. Options are passed on to hubsim-token.mjs:
#   tests/bench/hubsim-token.sh [--duration 3] [--threads 2] [--connections 16] [--grants a,b]
# ZAI_HUBSIM_BIN picks another binary; otherwise the native-release preset is built first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ -z "${ZAI_HUBSIM_BIN:-}" ]; then
  cmake --preset native-release >/dev/null
  cmake --build --preset native-release --target hubsim >/dev/null
  export ZAI_HUBSIM_BIN="$root/build/native-release/server/hubsim/hubsim"
fi
exec node "$root/tests/bench/hubsim-token.mjs" "$@"
