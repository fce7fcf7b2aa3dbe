#!/usr/bin/env bash
# Starts the real etcd and kube-apiserver (built by build.sh) on loopback, on free ports, with
# certificates generated now, in RUN_DIR (argument 1; created). Writes RUN_DIR/env:
#   KUBE_API_URL (https://127.0.0.1:<port>), KUBE_API_TOKEN (a static bearer token of a
#   system:masters user, so RBAC lets the tests do everything), KUBE_API_CA (the CA file).
# Pod Security Admission is on (a default admission plugin of kube-apiserver); field validation
# is chosen per request (the tests ask for fieldValidation=Strict). Stop with stop.sh RUN_DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUN="${1:?usage: start.sh RUN_DIR}"
mkdir -p "$RUN" && RUN="$(cd "$RUN" && pwd)"
BIN="$ROOT/$(bash "$ROOT/scripts/apiserver/build.sh" | tail -n 1)"
command -v openssl >/dev/null || { echo "start.sh: openssl is needed to generate the certificates" >&2; exit 1; }

# a failed start leaves nothing running
trap 'rc=$?; [ $rc -eq 0 ] || bash "$ROOT/scripts/apiserver/stop.sh" "$RUN"' EXIT

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
ETCD_PORT=$(free_port); PEER_PORT=$(free_port); API_PORT=$(free_port)
while [ "$PEER_PORT" = "$ETCD_PORT" ]; do PEER_PORT=$(free_port); done
while [ "$API_PORT" = "$ETCD_PORT" ] || [ "$API_PORT" = "$PEER_PORT" ]; do API_PORT=$(free_port); done

# certificates: a CA, the serving certificate for 127.0.0.1/localhost, the service account key
P="$RUN/pki"; mkdir -p "$P"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=pod-patterns-test-ca" \
  -keyout "$P/ca.key" -out "$P/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$P/server.key" -out "$P/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$P/server.ext"
openssl x509 -req -in "$P/server.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial -days 1 \
  -extfile "$P/server.ext" -out "$P/server.crt" 2>/dev/null
openssl genrsa -out "$P/sa.key" 2048 2>/dev/null
openssl rsa -in "$P/sa.key" -pubout -out "$P/sa.pub" 2>/dev/null
TOKEN=$(openssl rand -hex 24)
echo "$TOKEN,pod-patterns-test,pod-patterns-test,system:masters" > "$P/tokens.csv"

"$BIN/etcd" -data-dir "$RUN/etcd" -listen-client-url "http://127.0.0.1:$ETCD_PORT" \
  -listen-peer-url "http://127.0.0.1:$PEER_PORT" > "$RUN/etcd.log" 2>&1 &
echo $! > "$RUN/etcd.pid"
for _ in $(seq 1 120); do
  grep -q 'etcd: ready' "$RUN/etcd.log" && break
  kill -0 "$(cat "$RUN/etcd.pid")" 2>/dev/null || { echo "start.sh: etcd exited:" >&2; tail -20 "$RUN/etcd.log" >&2; exit 1; }
  sleep 0.5
done
grep -q 'etcd: ready' "$RUN/etcd.log" || { echo "start.sh: etcd not ready after 60 s" >&2; exit 1; }

"$BIN/kube-apiserver" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --tls-cert-file="$P/server.crt" --tls-private-key-file="$P/server.key" --client-ca-file="$P/ca.crt" \
  --token-auth-file="$P/tokens.csv" --authorization-mode=RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 --endpoint-reconciler-type=none \
  --allow-privileged=true --profiling=false --v=0 > "$RUN/kube-apiserver.log" 2>&1 &
echo $! > "$RUN/kube-apiserver.pid"

URL="https://127.0.0.1:$API_PORT"
for _ in $(seq 1 240); do
  if [ "$(curl -s --cacert "$P/ca.crt" -H "Authorization: Bearer $TOKEN" "$URL/readyz" 2>/dev/null)" = ok ]; then break; fi
  kill -0 "$(cat "$RUN/kube-apiserver.pid")" 2>/dev/null || { echo "start.sh: kube-apiserver exited:" >&2; tail -30 "$RUN/kube-apiserver.log" >&2; exit 1; }
  sleep 0.5
done
if [ "$(curl -s --cacert "$P/ca.crt" -H "Authorization: Bearer $TOKEN" "$URL/readyz")" != ok ]; then
  echo "start.sh: kube-apiserver not ready after 120 s" >&2; tail -30 "$RUN/kube-apiserver.log" >&2; exit 1
fi
printf 'KUBE_API_URL=%s\nKUBE_API_TOKEN=%s\nKUBE_API_CA=%s\n' "$URL" "$TOKEN" "$P/ca.crt" > "$RUN/env"
echo "kube-apiserver $("$BIN/kube-apiserver" --version | cut -d' ' -f2) ready at $URL (etcd on 127.0.0.1:$ETCD_PORT; logs in $RUN)" >&2
