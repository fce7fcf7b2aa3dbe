#!/usr/bin/env bash
# Stops what start.sh RUN_DIR started: the API server first, then etcd (SIGTERM, then SIGKILL after
# 20 s), each by the pid start.sh recorded; then removes etcd's data.
set -uo pipefail
RUN="${1:?usage: stop.sh RUN_DIR}"
stop_one() {
  local f="$RUN/$1.pid"
  [ -f "$f" ] || return 0
  local pid; pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "stop.sh: $1 ($pid) still running after 20 s: SIGKILL" >&2; kill -KILL "$pid"; fi
  fi
  rm -f "$f"
}
stop_one kube-apiserver
stop_one etcd
rm -rf "$RUN/etcd"
