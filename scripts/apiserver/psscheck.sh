#!/usr/bin/env bash
# Cross-check of lib/_pod/pss.ts against the upstream Pod Security evaluator
# (k8s.io/pod-security-admission, go test ./psscheck in test/apiserver): pss-pods.ts writes random
# pods (targeted ones and the property-based generators') with the library's verdicts at every
# policy version 1.27-1.37; the Go test evaluates each with upstream and compares.
# PSS_TARGETED (default 2000) and PSS_FUZZ_OBJECTS (default 300) set how many pods; FUZZ_SEED the seed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
command -v go >/dev/null || { echo "psscheck: 'go' is not on PATH" >&2; exit 1; }
OUT="$(mktemp "${TMPDIR:-/tmp}/pss-cases.XXXXXX.json")"
trap 'rm -f "$OUT"' EXIT
npx ts-node --transpile-only test/apiserver/pss-pods.ts "$OUT" "${PSS_TARGETED:-2000}" "${PSS_FUZZ_OBJECTS:-300}" "${FUZZ_SEED:-20261201}"
cd test/apiserver
PSS_CASES="$OUT" GOFLAGS="-trimpath -buildvcs=false -mod=readonly" go test ./psscheck -count=1 -v 2>&1 | grep -v '^            pod:\|^    pod:' || exit 1
