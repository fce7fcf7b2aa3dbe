#!/usr/bin/env bash
# Builds the real kube-apiserver (k8s.io/kubernetes, version pinned in
# test/apiserver/go.mod) and the embedded etcd once per machine: the binaries go to
# .cache/apiserver/<sha256 of go.sum + the mains>/, so a second run is a cache hit.
# Prints the directory holding the binaries on its last line of stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v go >/dev/null 2>&1; then
  echo "scripts/apiserver/build.sh: 'go' is not on PATH; the API server tests need Go >= 1.26 (the machine's Go 1.26)" >&2
  exit 1
fi
MOD=test/apiserver
key=$(cat "$MOD/go.mod" "$MOD/go.sum" "$MOD"/cmd/*/main.go "$0" <(go env GOVERSION) | sha256sum | cut -c1-16)
out=".cache/apiserver/$key"
if [ -x "$out/kube-apiserver" ] && [ -x "$out/etcd" ]; then
  echo "apiserver build: cache hit ($out)" >&2
  echo "$out"
  exit 0
fi
# the version the binary reports (/version, kube-apiserver --version): the pinned k8s.io/kubernetes
KVER=$(cd "$MOD" && go list -m -f '{{.Version}}' k8s.io/kubernetes)
KMINOR=$(echo "$KVER" | cut -d. -f2)
# older builds of this checkout are not needed any more
find .cache/apiserver -mindepth 1 -maxdepth 1 -not -name "$key" -exec rm -rf {} + 2>/dev/null || true
mkdir -p "$out.tmp"
start=$(date +%s)
echo "apiserver build: building kube-apiserver and etcd with $(go env GOVERSION) (cold build: several minutes on 2 cores)" >&2
( cd "$MOD" && GOFLAGS="-trimpath -buildvcs=false -mod=readonly" go build -ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KVER -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$KMINOR -X k8s.io/component-base/version.gitTreeState=clean" -o "../../$out.tmp/" ./cmd/kube-apiserver ./cmd/etcd )
rm -rf "$out" && mv "$out.tmp" "$out"
echo "apiserver build: done in $(( $(date +%s) - start ))s ($out)" >&2
echo "$out"
