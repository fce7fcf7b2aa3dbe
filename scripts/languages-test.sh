#!/usr/bin/env bash
# Consumer tests in Python, Java and Go (npm run test:languages): the library as a user of each
# language gets it, from what jsii-pacmak built (npm run package:jsii: the wheel, the local Maven
# repository, the Go module tree in build/jsii/dist/).
#
# 1. TypeScript reference: the app of test/consumer/ (a storefront Deployment of the user's with a
#    LogSidecar and an HAProxy ProxyAmbassador, synthesized with runSynth) against the jsii-built
#    npm package, checked by test/consumer/check.js; and test/consumer/bad-props.js, which prints
#    the message of a props error.
# 2. The same app in Python (test/consumer-python, PyPI dependencies pinned with hashes), Java
#    (test/consumer-java, exact Maven versions) and Go (test/consumer-go, go.mod/go.sum), each copied
#    to a temporary directory outside the source tree: dist/ and kustomization.yaml must be
#    byte-identical to TypeScript's, and the bad-props run must print the same message, byte for byte.
#
# Fails, never skips, when python3, mvn, java or go is missing. SKIP_PACKAGE=1 reuses the packages
# already built; KEEP=1 keeps the temporary directory; LANGUAGES="python go" runs a subset.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export CDK8S_CHECK_UPGRADE=false PYTHONDONTWRITEBYTECODE=1
# The jsii runtimes warn on stderr about Node 20's end of life (the project's Node): not an error.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1
LANGUAGES="${LANGUAGES:-python java go}"

for tool in node npm python3 mvn java go; do
  command -v "$tool" >/dev/null 2>&1 || { echo "test:languages: $tool is not installed (.ci/run installs it)" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pod-patterns-languages.XXXXXX")"
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
t0=$SECONDS
lap() { echo "test:languages: $1: $((SECONDS - t0)) s"; t0=$SECONDS; }

if [ "${SKIP_PACKAGE:-}" != 1 ]; then
  node scripts/jsii.js --package
  lap "jsii + jsii-pacmak (python, java, go)"
fi
DIST="$ROOT/build/jsii/dist"
WHEEL="$(ls "$DIST"/python/cdk8s_pod_patterns-*.whl)"
test -f "$WHEEL" && test -d "$DIST/java" && test -d "$DIST/go/podpatterns"

# --- 1. TypeScript reference -----------------------------------------------------------------
TARBALL="$(cd build/jsii && npm pack --silent --pack-destination "$WORK" | tail -n 1)"
mkdir "$WORK/ts"
cp test/consumer/package.json test/consumer/tsconfig.json test/consumer/main.ts test/consumer/check.js test/consumer/bad-props.js test/consumer/docs-examples.js "$WORK/ts/"
(
  cd "$WORK/ts"
  npm install --no-audit --no-fund --loglevel=error "../$TARBALL"
  npx tsc -p .
  node main.js >/dev/null
  node check.js
  node bad-props.js > bad-props.txt
  node docs-examples.js "$ROOT/docs/examples" docs-examples
)
test "$(ls "$WORK/ts/docs-examples" | wc -l)" -eq "$(ls docs/examples/*.ts | wc -l)"
grep -q '^\[bad/logs\] invalid props:$' "$WORK/ts/bad-props.txt"
lap "TypeScript reference"

# Compares a language's output with TypeScript's: dist/, kustomization.yaml, the bad-props message.
same_as_typescript() {
  local lang="$1" dir="$2"
  diff -r "$WORK/ts/dist" "$dir/dist" || { echo "test:languages: $lang: dist/ differs from TypeScript's" >&2; exit 1; }
  cmp "$WORK/ts/kustomization.yaml" "$dir/kustomization.yaml" || { echo "test:languages: $lang: kustomization.yaml differs" >&2; exit 1; }
  diff "$WORK/ts/bad-props.txt" "$dir/bad-props.txt" || { echo "test:languages: $lang: the props error differs from TypeScript's" >&2; exit 1; }
  echo "test:languages: $lang: dist/ ($(cat "$dir"/dist/* | wc -c) bytes), kustomization.yaml and the props error are TypeScript's, byte for byte"
}

# --- 2. Python ----------------------------------------------------------------------------------
if [[ " $LANGUAGES " == *" python "* ]]; then
  mkdir "$WORK/python"
  cp test/consumer-python/main.py test/consumer-python/requirements.txt "$WORK/python/"
  (
    cd "$WORK/python"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
    .venv/bin/pip install --quiet --disable-pip-version-check --no-deps "$WHEEL"
    .venv/bin/python main.py >/dev/null
    .venv/bin/python main.py bad-props > bad-props.txt
    # the guide pages' Python examples write what their TypeScript examples write
    .venv/bin/python "$ROOT/test/consumer-python/docs_examples.py" "$ROOT/docs/examples" docs-examples
  )
  same_as_typescript python "$WORK/python"
  for ts in docs/examples/*.ts; do
    stem="$(basename "$ts" .ts)"
    test -f "docs/examples/$stem.py" || { echo "test:languages: docs/examples/$stem.py is missing (every guide example has a Python version)" >&2; exit 1; }
    cmp "$WORK/ts/docs-examples/$stem.k8s.yaml" "$WORK/python/docs-examples/$stem.k8s.yaml" || { echo "test:languages: docs/examples/$stem.py writes other YAML than $stem.ts" >&2; exit 1; }
  done
  echo "test:languages: python: the $(ls docs/examples/*.py | wc -l) docs examples write their TypeScript examples' YAML"
  lap "Python"
fi

# --- 2. Java ------------------------------------------------------------------------------------
if [[ " $LANGUAGES " == *" java "* ]]; then
  mkdir "$WORK/java"
  cp -r test/consumer-java/pom.xml test/consumer-java/src "$WORK/java/"
  (
    cd "$WORK/java"
    # A Maven repository of the test's own (build/m2, kept between runs for what comes from Maven
    # Central), without the artifacts pacmak built: Maven never fetches a release it has again.
    M2="$ROOT/build/m2"
    rm -rf "$M2/dev/podpatterns" "$M2/org/cdk8s"
    mvn --batch-mode --quiet -Dmaven.repo.local="$M2" -Dpodpatterns.repo="file://$DIST/java" \
      compile dependency:build-classpath -Dmdep.outputFile=classpath.txt
    java -cp "target/classes:$(cat classpath.txt)" shop.Main >/dev/null
    java -cp "target/classes:$(cat classpath.txt)" shop.Main bad-props > bad-props.txt
  )
  same_as_typescript java "$WORK/java"
  lap "Java"
fi

# --- 2. Go --------------------------------------------------------------------------------------
if [[ " $LANGUAGES " == *" go "* ]]; then
  mkdir "$WORK/go"
  cp test/consumer-go/go.mod test/consumer-go/go.sum test/consumer-go/main.go "$WORK/go/"
  (
    cd "$WORK/go"
    go mod edit \
      -replace "github.com/cdk8s-pod-patterns/cdk8s-pod-patterns-go/podpatterns=$DIST/go/podpatterns" \
      -replace "github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2=$DIST/go/cdk8s" \
      -replace "github.com/cdk8s-team/cdk8s-plus-go/cdk8splus27/v2=$DIST/go/cdk8splus27"
    go build -mod=mod -o shop .
    ./shop >/dev/null
    ./shop bad-props > bad-props.txt
  )
  same_as_typescript go "$WORK/go"
  lap "Go"
fi
# Negative controls: the comparison fails on one byte more in dist/ and on another error text.
first="$(set -- $LANGUAGES; echo "$1")"
cp -r "$WORK/$first" "$WORK/control-dist" && printf '#' >> "$WORK/control-dist/dist/shop.k8s.yaml"
cp -r "$WORK/$first" "$WORK/control-error" && printf '  x: received 1; expected 2\n' >> "$WORK/control-error/bad-props.txt"
for control in control-dist control-error; do
  if (same_as_typescript "$control" "$WORK/$control") >/dev/null 2>&1; then
    echo "test:languages: negative control $control was not caught: the comparison cannot fail" >&2; exit 1
  fi
done
echo "test:languages: negative controls (one byte more in dist/, another error text) are caught"
echo "test:languages: $(wc -w <<< "$LANGUAGES") passed, 0 failed"
