# Sourced by start, add-worker and stop: the peer's folder layout and how its processes are started and watched.
# shellcheck disable=SC2034
PEER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# DIR holds pids (one "name pid" a line, as deploy/local's), logs/, redis/ (the append-only file) and peer.env.
peer_usage() { sed -n '2,/^set -/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

record_pid() { echo "$1 $2" >> "$RUN_DIR/pids"; }
pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$RUN_DIR/pids" 2>/dev/null | tail -n1; }

# Waits until the log $2 of process $1 has the line $3, at most $4 seconds; fails with the log's tail.
await_log() {
  local name="$1" log="$2" line="$3" limit="$4" waited=0 pid
  pid=$(pid_of "$name")
  until grep -q "$line" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2
      echo "the peer's $name exited during start-up; log: $log" >&2
      return 1
    fi
    if [ "$waited" -ge $((limit * 10)) ]; then
      tail -n 30 "$log" >&2
      echo "the peer's $name did not start within ${limit}s; log: $log" >&2
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

start_worker() { # $1=name (worker, worker-2, ...)
  PEER_REDIS_PORT="$REDIS_PORT" setsid node "$PEER_DIR/worker.js" > "$RUN_DIR/logs/$1.log" 2>&1 < /dev/null &
  record_pid "$1" $!
  await_log "$1" "$RUN_DIR/logs/$1.log" "peer worker ready" 60
}
