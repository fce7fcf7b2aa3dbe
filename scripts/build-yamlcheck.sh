#!/usr/bin/env bash
# Builds test/yamlcheck (sigs.k8s.io/yaml, the reader of kubectl, Argo CD and Flux) into
# build/yamlcheck for the YAML round-trip property test. Needs Go (CI installs none: it is on the machine).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || { echo "go not found: the YAML round-trip test needs Go to build test/yamlcheck"; exit 1; }
mkdir -p build
(cd test/yamlcheck && go build -mod=readonly -o ../../build/yamlcheck .)
echo "built build/yamlcheck ($(go version))"
