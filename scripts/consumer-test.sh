#!/usr/bin/env bash
# Consumer test: the library as a user gets it. Packs it (npm pack: the prepack build, `files`,
# `exports`), copies the sample cdk8s app test/consumer/ to a temporary directory outside the
# source tree, installs the tarball there together with the peers the app pins (cdk8s,
# cdk8s-plus-27, constructs) and TypeScript from the npm registry, type-checks and compiles the app
# against the package's declarations, synthesizes it twice (same bytes) and checks the output.
# Usage: scripts/consumer-test.sh (npm run test:consumer). KEEP=1 keeps the temporary directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pod-patterns-consumer.XXXXXX")"
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

# The app pins the versions this repository develops and tests with.
node -e '
  const root = require("./package.json"), app = require("./test/consumer/package.json");
  const want = { ...app.dependencies, ...app.devDependencies };
  const bad = ["cdk8s", "cdk8s-plus-27", "constructs", "typescript"].filter((p) => want[p] !== root.devDependencies[p]);
  if (bad.length) { console.error("test/consumer/package.json pins " + bad.map((p) => p + "@" + want[p] + " (the repository: " + root.devDependencies[p] + ")").join(", ")); process.exit(1); }
'

# npm pack runs the prepack build (tsc), which needs the dev dependencies.
[ -d node_modules/typescript ] || npm ci --no-audit --no-fund
TARBALL="$(npm pack --silent --pack-destination "$WORK" | tail -n 1)"
echo "packed $TARBALL ($(du -k "$WORK/$TARBALL" | cut -f1) KiB)"

mkdir "$WORK/app"
cp test/consumer/package.json test/consumer/tsconfig.json test/consumer/main.ts test/consumer/check.js "$WORK/app/"
cd "$WORK/app"
npm install --no-audit --no-fund --loglevel=error "../$TARBALL"
node -e 'const p = require("cdk8s-pod-patterns/package.json"); if (!require.resolve("cdk8s-pod-patterns").includes("node_modules/cdk8s-pod-patterns/")) process.exit(1); console.log("installed " + p.name + "@" + p.version)'

npx tsc -p .
node main.js
cp -r dist dist.first && cp kustomization.yaml kustomization.first
node main.js >/dev/null
diff -r dist.first dist && cmp kustomization.first kustomization.yaml
node check.js

# Second consumer: a fresh `cdk8s init typescript-app` app (cdk8s-plus-33, its cdk8s.yaml and
# tsconfig), attaching the patterns to its own cdk8s-plus-33 Deployment, to an Included YAML
# Deployment and to an L1 KubeDeployment of its own imports/ (test/consumer-init/README.md).
cd "$ROOT"
node -e '
  const root = require("./package.json"), app = require("./test/consumer-init/package.json");
  const want = { ...app.dependencies, ...app.devDependencies };
  const bad = ["cdk8s", "cdk8s-plus-33", "cdk8s-cli", "constructs", "typescript", "ts-node", "@types/node"].filter((p) => want[p] !== root.devDependencies[p]);
  if (bad.length) { console.error("test/consumer-init/package.json pins " + bad.map((p) => p + "@" + want[p] + " (the repository: " + root.devDependencies[p] + ")").join(", ")); process.exit(1); }
'
mkdir "$WORK/init"
cp -r test/consumer-init/. "$WORK/init/"
rm -rf "$WORK/init/node_modules" "$WORK/init/imports" "$WORK/init/dist" "$WORK/init/dist-checked"
cd "$WORK/init"
npm install --no-audit --no-fund --loglevel=error "../$TARBALL"
node import-offline.js
test -s imports/k8s.ts
npx tsc --noEmit -p .
CDK8S_CHECK_UPGRADE=false npx cdk8s synth
npx ts-node synth-checked.ts
node check.js
