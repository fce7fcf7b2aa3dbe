#!/usr/bin/env bash
# npm run test:apiserver: builds (once per machine, cached) and starts the real kube-apiserver and
# etcd, runs the API server tests (jest, test/apiserver/*.apitest.ts) and the cross-check of the
# Pod Security evaluator against the upstream one (go test, test/apiserver/psscheck), and stops
# the servers, also when a test fails. Extra inputs: APISERVER_INPUTS=dir,file.yaml,app/main.ts.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
command -v go >/dev/null || { echo "test:apiserver: 'go' is not on PATH (Go >= 1.26 is needed to build kube-apiserver)" >&2; exit 1; }
RUN="$(mktemp -d "${TMPDIR:-/tmp}/pod-patterns-apiserver.XXXXXX")"
cleanup() { bash "$ROOT/scripts/apiserver/stop.sh" "$RUN"; if [ "${KEEP:-}" = 1 ]; then echo "kept $RUN"; else rm -rf "$RUN"; fi; }
trap cleanup EXIT

# the imports/k8s.ts test/consumer-init's own `cdk8s import` writes (it is run from its source)
node scripts/apiserver/import-k8s.js k8s@1.33.0 .cache/apiserver-imports/consumer-init >/dev/null

t0=$(date +%s)
bash scripts/apiserver/build.sh >/dev/null
t1=$(date +%s)
bash scripts/apiserver/start.sh "$RUN"
t2=$(date +%s)
set -a; . "$RUN/env"; set +a

# one seed for the generated objects and pods (and, through test/fuzz/arbitraries.ts, their target
# version): random unless given, printed so that a failure replays with FUZZ_SEED=<seed>
export FUZZ_SEED="${FUZZ_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
echo "test:apiserver: FUZZ_SEED=$FUZZ_SEED"

status=0
npx jest -c jest.apiserver.config.js "$@" || status=$?
t3=$(date +%s)
bash scripts/apiserver/psscheck.sh || status=$?
t4=$(date +%s)
echo "test:apiserver: build $((t1 - t0))s, start $((t2 - t1))s, API server tests $((t3 - t2))s, Pod Security cross-check $((t4 - t3))s"
exit $status
