# Sourced by deploy/local/up and down: where things are, and how to start, watch and stop the processes.
# shellcheck disable=SC2034

DATA_DIR="${TOLLGATE_DATA_DIR:-$ROOT/deploy/local/.data}"
RUN_DIR="${TOLLGATE_RUN_DIR:-$ROOT/deploy/local/.run}"
LOG_DIR="$RUN_DIR/logs"
PID_FILE="$RUN_DIR/pids"
KEYS_DIR="$DATA_DIR/keys"

GATEWAY_PORT="${TOLLGATE_GATEWAY_PORT:-8080}"
# The gateway's health and metrics, off its public port (Quarkus's management interface).
GATEWAY_MANAGEMENT_PORT="${TOLLGATE_GATEWAY_MANAGEMENT_PORT:-9000}"
CREDITS_PORT="${TOLLGATE_CREDITS_PORT:-8081}"
CATALOG_PORT="${TOLLGATE_CATALOG_PORT:-8082}"
WORKFLOW_PORT="${TOLLGATE_WORKFLOW_PORT:-8083}"
CALLBACK_PORT="${TOLLGATE_CALLBACK_PORT:-8084}"
WORKER_PORT="${TOLLGATE_WORKER_PORT:-8085}"
KAFKA_PORT="${TOLLGATE_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${TOLLGATE_KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
MONGO_PORT="${TOLLGATE_MONGO_PORT:-27017}"
PARTITIONS="${TOLLGATE_PARTITIONS:-4}"
START_TIMEOUT="${TOLLGATE_START_TIMEOUT:-180}"

# Start order; stopped in reverse. The gateway comes last so it only takes traffic when the rest is there.
SERVICES=(credits catalog workflow callback worker gateway)

module_of() {
  case "$1" in
    credits) echo credits-service ;; catalog) echo catalog-service ;; workflow|worker*) echo workflow-service ;;
    callback) echo callback-service ;; gateway) echo api-gateway ;;
  esac
}

# Health ports of workers added to a running stack (deploy/local/add-worker), by name (worker-2, ...).
declare -A EXTRA_WORKER_PORTS=()

port_of() {
  case "$1" in
    credits) echo "$CREDITS_PORT" ;; catalog) echo "$CATALOG_PORT" ;; workflow) echo "$WORKFLOW_PORT" ;;
    callback) echo "$CALLBACK_PORT" ;; worker) echo "$WORKER_PORT" ;; gateway) echo "$GATEWAY_PORT" ;;
    worker-*) echo "${EXTRA_WORKER_PORTS[$1]:-}" ;;
  esac
}

port_env_of() {
  case "$1" in
    credits) echo TOLLGATE_CREDITS_PORT ;; catalog) echo TOLLGATE_CATALOG_PORT ;; workflow) echo TOLLGATE_WORKFLOW_PORT ;;
    callback) echo TOLLGATE_CALLBACK_PORT ;; worker) echo TOLLGATE_WORKER_PORT ;; gateway) echo TOLLGATE_GATEWAY_PORT ;;
  esac
}

# The demo tenant (DemoTenant in deploy/bench): users, budgets, keys, tools, workflows, a bundle, credits.
seed_demo_tenant() {
  [ "${TOLLGATE_NO_DEMO:-0}" = 1 ] && return 0
  if ! java -cp "$(bench_jar)" dev.tollgate.localstack.demo.DemoTenant "http://127.0.0.1:$GATEWAY_PORT" \
      "$KEYS_DIR" "$DATA_DIR" "$RUN_DIR" > "$LOG_DIR/demo-tenant.log" 2>&1; then
    tail -n 20 "$LOG_DIR/demo-tenant.log" >&2
    echo "seeding the demo tenant failed; log: $LOG_DIR/demo-tenant.log" >&2
    exit 1
  fi
  cat "$LOG_DIR/demo-tenant.log"
}

# The local stack: Kafka and the store, one program (java -jar, its lib/ beside it).
local_stack_jar() { # empty, not a failure, before the first build (callers run under set -e -o pipefail)
  ls "$ROOT"/deploy/local-stack/target/tollgate-local-stack-*.jar 2>/dev/null | grep -v -- '-sources' | head -n1 || true
}

# The programs that drive the platform from outside: the demo tenant seeder and bench/run's harnesses (java -cp,
# each its own main class; the jar's manifest points at its lib/).
bench_jar() { # empty before the first build, as local_stack_jar
  ls "$ROOT"/deploy/bench/target/tollgate-bench-*.jar 2>/dev/null | grep -v -- '-sources' | head -n1 || true
}

port_in_use() { # true when something accepts connections on 127.0.0.1:$1
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port_taken() { # port_in_use, or any TCP socket with $1 as its local port (an outgoing connection's end blocks a bind)
  port_in_use "$1" && return 0
  command -v ss >/dev/null 2>&1 && [ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]
}

check_ports_free() {
  local busy=0 svc port
  for svc in "${SERVICES[@]}"; do
    port=$(port_of "$svc")
    if port_in_use "$port"; then
      echo "port $port for $svc is already in use: stop what holds it or set $(port_env_of "$svc")" >&2
      busy=1
    fi
  done
  for pair in "$KAFKA_PORT:Kafka:TOLLGATE_KAFKA_PORT" "$KAFKA_CONTROLLER_PORT:the Kafka controller:TOLLGATE_KAFKA_CONTROLLER_PORT" \
              "$MONGO_PORT:MongoDB:TOLLGATE_MONGO_PORT" \
              "$GATEWAY_MANAGEMENT_PORT:the gateway's health and metrics:TOLLGATE_GATEWAY_MANAGEMENT_PORT"; do
    IFS=: read -r port what var <<< "$pair"
    if port_in_use "$port"; then
      echo "port $port for $what is already in use: stop what holds it or set $var" >&2
      busy=1
    fi
  done
  [ "$busy" = 0 ] || exit 1
}

newer_than() { # $1=file, then folders and files: true when any of them holds something newer than $1
  local file="$1"
  shift
  [ -n "$(find "$@" -newer "$file" -print -quit 2>/dev/null)" ]
}

build_if_needed() { # $1=1 forces a build
  local need="$1" module jar
  for module in credits-service catalog-service workflow-service callback-service api-gateway; do
    jar="$ROOT/$module/target/quarkus-app/quarkus-run.jar"
    # A service is also stale when the library every service bundles (platform) changed.
    if [ ! -f "$jar" ] || newer_than "$jar" "$ROOT/$module/src/main" "$ROOT/$module/pom.xml" \
        "$ROOT/platform/src/main" "$ROOT/platform/pom.xml" "$ROOT/pom.xml"; then
      need=1
    fi
  done
  jar="$(local_stack_jar)"
  if [ -z "$jar" ] || newer_than "$jar" "$ROOT/deploy/local-stack/src/main" "$ROOT/deploy/local-stack/pom.xml"; then
    need=1
  fi
  # The demo tenant seeder and the harnesses; their lib/ holds a copy of the test toolkit they drive the platform with.
  jar="$(bench_jar)"
  if [ -z "$jar" ] || newer_than "$jar" "$ROOT/deploy/bench/src/main" "$ROOT/deploy/bench/pom.xml" \
      "$ROOT/deploy/test-support/src/main" "$ROOT/deploy/test-support/pom.xml"; then
    need=1
  fi
  [ "$need" = 1 ] || return 0
  if [ "${TOLLGATE_NO_BUILD:-0}" = 1 ]; then
    echo "the services are not built (or are older than their sources) and TOLLGATE_NO_BUILD=1" >&2
    exit 1
  fi
  local start=$SECONDS
  echo "building Tollgate (the first build downloads dependencies and takes a few minutes; log: $LOG_DIR/build.log)..."
  if ! (cd "$ROOT" && set -o pipefail && "$ROOT/mvnw" -B -DskipTests package 2>&1 | tee "$LOG_DIR/build.log" \
      | build_progress "$start"); then
    tail -n 40 "$LOG_DIR/build.log" >&2
    echo "the build failed after $(elapsed_since "$start"); full log: $LOG_DIR/build.log" >&2
    exit 1
  fi
  echo "built in $(elapsed_since "$start")"
  # Maven keeps a jar whose classes did not change (the bench jar when only the test toolkit it copies into lib/
  # changed), which would still look older than its sources to the next start with TOLLGATE_NO_BUILD=1.
  touch "$(local_stack_jar)" "$(bench_jar)"
}

# Reads Maven's output (batch mode) and prints a line as the reactor reaches each module, "[7/13] credits-service
# (1:12)", and once when dependencies start downloading, so a first build that takes minutes shows where it is.
build_progress() { # $1: when the build started, in bash's SECONDS
  local line downloading=0
  local module='^\[INFO\] Building (Tollgate :: )?(.+) [^ ]+ +\[([0-9]+)/([0-9]+)\]$'
  while IFS= read -r line; do
    if [[ "$line" =~ $module ]]; then
      printf '  [%s/%s] %s (%s)\n' "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}" "${BASH_REMATCH[2]}" "$(elapsed_since "$1")"
    elif [ "$downloading" = 0 ] && [[ "$line" == *"Downloading from "* ]]; then
      downloading=1
      echo "  downloading dependencies from the Maven repositories (once per machine)"
    fi
  done
}

elapsed_since() { # $1: a moment in bash's SECONDS; prints the time since as m:ss
  local s=$((SECONDS - $1))
  printf '%d:%02d' $((s / 60)) $((s % 60))
}

# The ports and folders this stack was started with, for scripts that join it later (deploy/local/add-worker).
write_stack_env() {
  cat > "$RUN_DIR/stack.env" <<ENV
DATA_DIR='$DATA_DIR'
KEYS_DIR='$KEYS_DIR'
GATEWAY_PORT=$GATEWAY_PORT
GATEWAY_MANAGEMENT_PORT=$GATEWAY_MANAGEMENT_PORT
CREDITS_PORT=$CREDITS_PORT
CATALOG_PORT=$CATALOG_PORT
WORKFLOW_PORT=$WORKFLOW_PORT
CALLBACK_PORT=$CALLBACK_PORT
WORKER_PORT=$WORKER_PORT
KAFKA_PORT=$KAFKA_PORT
KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT
MONGO_PORT=$MONGO_PORT
PARTITIONS=$PARTITIONS
ENV
}

record_pid() { echo "$1 $2" >> "$PID_FILE"; }

# The local stack (Kafka broker and the store in one JVM): its own flags, overridable like the services'.
LOCAL_STACK_JVM_OPTS="${TOLLGATE_LOCAL_STACK_JVM_OPTS:--Xmx1g}"

start_local_stack() {
  local log="$LOG_DIR/local-stack.log" waited=0
  echo "starting the local stack (Kafka 127.0.0.1:$KAFKA_PORT, MongoDB 127.0.0.1:$MONGO_PORT)..."
  : > "$log"
  # TOLLGATE_LOCAL_STACK_JAR runs another build of the local stack (its lib/ beside it), e.g. an earlier commit's
  # as one side of bench/run compare; the services, the demo tenant and the harnesses stay this checkout's.
  setsid java $LOCAL_STACK_JVM_OPTS -jar "${TOLLGATE_LOCAL_STACK_JAR:-$(local_stack_jar)}" --data-dir "$DATA_DIR" --keys-dir "$KEYS_DIR" \
    --kafka-port "$KAFKA_PORT" --controller-port "$KAFKA_CONTROLLER_PORT" --mongo-port "$MONGO_PORT" \
    --partitions "$PARTITIONS" >> "$log" 2>&1 < /dev/null &
  record_pid local-stack $!
  local pid=$!
  until grep -q TOLLGATE-LOCAL-STACK-READY "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2
      echo "the local stack exited; log: $log" >&2
      exit 1
    fi
    if [ "$waited" -ge $((START_TIMEOUT * 10)) ]; then
      echo "the local stack did not start within ${START_TIMEOUT}s; log: $log" >&2
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Secrets only the services that need them get: the signing key (services that mint tokens) and the key that
# encrypts budget credentials (catalog).
secret_env_of() {
  case "$1" in
    catalog) echo "SMALLRYE_JWT_SIGN_KEY_LOCATION=$KEYS_DIR/private.pem TOLLGATE_CATALOG_CREDENTIALS_KEY=$(cat "$KEYS_DIR/catalog-credentials.key")" ;;
    workflow|worker*|gateway) echo "SMALLRYE_JWT_SIGN_KEY_LOCATION=$KEYS_DIR/private.pem" ;;
  esac
}

ensure_catalog_key() {
  if [ ! -s "$KEYS_DIR/catalog-credentials.key" ]; then
    mkdir -p "$KEYS_DIR"
    (umask 077 && head -c 32 /dev/urandom | base64 > "$KEYS_DIR/catalog-credentials.key")
  fi
}

# Each service's JVM. The serial collector is what the JVM itself picks in a container of at most 2 CPUs and
# 1.75 GB (Kubernetes, deploy/k8s): one thread, no concurrent marking, and a smaller footprint than G1, which it
# picks on this 2-core, 24 GB machine; on two cores shared by seven JVMs, G1's extra threads only compete. Resident
# memory is mostly not heap (Native Memory Tracking, workflow api at 100 runs/s: heap ~80 MB committed, metaspace
# ~75, code ~40, symbols, threads and arenas ~40). A 128 MB heap saved little of it (304 against 312 MB after the
# run-path benchmark) and cost the workflow api full collections of up to 0.7 s under load, so the heap keeps 256 MB;
# glibc's malloc arenas (one per thread by default, a known source of JVM resident memory beyond what NMT counts)
# are capped at two (MALLOC_ARENA_MAX, below). The code cache is reserved at 128 MB, not 48: each service compiles
# 40-60 MB of code in its first minutes under load, and a full 48 MB cache made the JVM collect (a full serial
# collection, "CodeCache GC Threshold", 0.2-0.5 s each) and unload code only to compile it again (JFR: the compiler
# threads were 40 % of all CPU a minute into the load). Reserved is not resident: only compiled code counts.
# The JIT's native memory, freed after each compilation, stays in malloc's arenas unless trimmed: a trim every
# 5 s (TrimNativeHeapInterval, experimental in JDK 21, product from 22) gave the workflow api back 25 MB.
# C2 alone (-TieredCompilation): tiered compilation first compiles hot code with C1 and profiling counters, then
# again with C2, and keeps both; without the C1 tier a service holds only C2's code and no profiled copies. Side by
# side at 100 runs/s (docs/benchmarks.md, "Compact object headers, C2 alone and a bounded executor pool"), with
# compact headers, the workflow api's RSS went from 259 to 225 MB, callback-service's from 230 to 182, at no more CPU
# per run once warm (15.9 ms against 16.3) and about the same start; the cost is a longer interpreted start before
# code is hot.
# Compact object headers (JDK 25, JEP 519: 8-byte headers instead of 12) shrink every object: in one run the workflow
# api's RSS 299 -> 259 MB and the gateway's 193 -> 161 (another measured 0-6 MB per service), at the same CPU per run.
# On a JDK 21-24 the flag is left out.
SERVICE_JVM_OPTS="${TOLLGATE_SERVICE_JVM_OPTS:--XX:+UseSerialGC -Xms32m -Xmx256m -XX:ReservedCodeCacheSize=128m -XX:-TieredCompilation -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000 -Xss512k -XX:+ExitOnOutOfMemoryError}"

select_service_jvm_opts() { # sets SERVICE_JVM_OPTS_FOR_JDK once, for the JDK selected (tollgate_select_jdk):
  # SERVICE_JVM_OPTS, with compact object headers on a JDK 25 or newer unless TOLLGATE_SERVICE_JVM_OPTS replaced them
  [ -n "${SERVICE_JVM_OPTS_FOR_JDK:-}" ] && return 0
  SERVICE_JVM_OPTS_FOR_JDK="$SERVICE_JVM_OPTS"
  local major
  major=$(tollgate_java_major "$(command -v java)")
  if [ -z "${TOLLGATE_SERVICE_JVM_OPTS:-}" ] && [ -n "$major" ] && [ "$major" -ge 25 ]; then
    SERVICE_JVM_OPTS_FOR_JDK="$SERVICE_JVM_OPTS -XX:+UseCompactObjectHeaders"
  fi
}

# Background work (the run workers, callback-service's deliveries) yields the CPU to the answer path (the gateway,
# the services' APIs, the store) when the cores are short: a caller's answer waits for no run or delivery, and what the
# background falls behind by is bounded (the workflow api refuses triggers past 500 waiting runs). In the overload
# drill on two cores, with every process weighing the same, accepted triggers' answers waited for CPU behind the
# workers' and deliveries' (up to 1.5 s); weighed so, their p99 fell from 493 to 179-325 ms and the refusals' max
# about 0.2 s (docs/benchmarks.md, "Overload"). Callbacks pay for it while the CPU is busy. Each
# process runs in its own session, so in its own autogroup where the kernel has them (its nice weighs it against the
# other processes; a thread's own nice only counts within the group): both are set. 0 turns it off.
BACKGROUND_NICE="${TOLLGATE_BACKGROUND_NICE:-10}"

nice_of() { # $1=service name
  case "$1" in worker*|callback) echo "$BACKGROUND_NICE" ;; *) echo 0 ;; esac
}

weigh_autogroup() { # $1=service name, once it runs (in its own session, so in its own autogroup)
  local pid n
  n=$(nice_of "$1")
  pid=$(pid_of "$1")
  if [ "$n" != 0 ] && [ -n "$pid" ] && [ -w "/proc/$pid/autogroup" ]; then
    echo "$n" > "/proc/$pid/autogroup" 2>/dev/null || true
  fi
}

start_service() { # $1=name: credits ... gateway, or worker-2 ... (with its port in EXTRA_WORKER_PORTS)
  local svc="$1" module port
  module=$(module_of "$svc")
  port=$(port_of "$svc")
  local role=api
  [[ "$svc" == worker* ]] && role=worker
  select_service_jvm_opts
  # shellcheck disable=SC2046
  setsid nice -n "$(nice_of "$svc")" env $(secret_env_of "$svc") \
    QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_HTTP_PORT="$port" \
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT="$(health_port_of "$svc")" \
    QUARKUS_MONGODB_CONNECTION_STRING="mongodb://127.0.0.1:$MONGO_PORT" \
    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$KEYS_DIR/public.pem" \
    TOLLGATE_JWT_PUBLIC_KEY_LOCATION="$KEYS_DIR/public.pem" \
    TOLLGATE_JWT_PRIVATE_KEY_LOCATION="$KEYS_DIR/private.pem" \
    TOLLGATE_WORKFLOW_ROLE="$role" \
    TOLLGATE_WORKFLOW_PUBLIC_BASE_URL="http://127.0.0.1:$GATEWAY_PORT" \
    TOLLGATE_CATALOG_PUBLIC_BASE_URL="http://127.0.0.1:$GATEWAY_PORT" \
    TOLLGATE_CREDITS_URL="http://127.0.0.1:$CREDITS_PORT" \
    TOLLGATE_CATALOG_URL="http://127.0.0.1:$CATALOG_PORT" \
    TOLLGATE_WORKFLOW_URL="http://127.0.0.1:$WORKFLOW_PORT" \
    TOLLGATE_CALLBACK_URL="http://127.0.0.1:$CALLBACK_PORT" \
    TOLLGATE_WORKFLOW_CALLBACKS_ALLOW_LOOPBACK_HTTP=true \
    TOLLGATE_WORKFLOW_MODELS_ALLOW_LOOPBACK_HTTP=true \
    TOLLGATE_CATALOG_VENDORS_ALLOW_LOOPBACK_HTTP=true \
    TOLLGATE_CALLBACKS_EGRESS_ALLOW_LOOPBACK_HTTP=true \
    MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" \
    java $SERVICE_JVM_OPTS_FOR_JDK -jar "$ROOT/$module/target/quarkus-app/quarkus-run.jar" \
    > "$LOG_DIR/$svc.log" 2>&1 < /dev/null &
  record_pid "$svc" $!
}

# Where a service answers /q/health: the gateway's management interface, every other service's one port.
health_port_of() { # $1=service name
  if [ "$1" = gateway ]; then echo "$GATEWAY_MANAGEMENT_PORT"; else port_of "$1"; fi
}

is_ready() { # $1=port
  local body
  if command -v curl >/dev/null 2>&1; then
    body=$(curl -s --max-time 2 "http://127.0.0.1:$1/q/health/ready" 2>/dev/null) || return 1
  else
    body=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /q/health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
      && timeout 2 cat <&3) 2>/dev/null) || return 1
  fi
  [[ "$body" == *'"status": "UP"'* || "$body" == *'"status":"UP"'* ]] && [[ "$body" != *'"DOWN"'* ]]
}

await_ready() {
  local pending=("$@") start=$SECONDS still svc
  while [ "${#pending[@]}" -gt 0 ]; do
    still=()
    for svc in "${pending[@]}"; do
      if ! pid_alive "$svc"; then
        echo >&2
        tail -n 30 "$LOG_DIR/$svc.log" >&2
        echo "$svc exited during start-up; log: $LOG_DIR/$svc.log" >&2
        exit 1
      fi
      if is_ready "$(health_port_of "$svc")"; then
        weigh_autogroup "$svc"
      else
        still+=("$svc")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    local elapsed=$((SECONDS - start))
    if [ "${#pending[@]}" -gt 0 ]; then
      if [ "$elapsed" -ge "$START_TIMEOUT" ]; then
        echo >&2
        echo "not ready after ${START_TIMEOUT}s: ${pending[*]} (logs in $LOG_DIR)" >&2
        exit 1
      fi
      progress "waiting for ${pending[*]} (${elapsed}s)"
      sleep 0.5
    fi
  done
  progress "all services ready ($((SECONDS - start))s)"
  echo
}

progress() {
  if [ -t 1 ]; then
    printf '\r\033[K%s' "$1"
  elif [ "${1%(*}" != "${LAST_PROGRESS:-}" ]; then
    # Without a terminal, print a line only when the set of services waited for changed.
    echo "$1"
  fi
  LAST_PROGRESS="${1%(*}"
}

pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$PID_FILE" 2>/dev/null | tail -n1; }
pid_alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

all_alive() {
  local name pid
  while read -r name pid; do kill -0 "$pid" 2>/dev/null || return 1; done < "$PID_FILE"
}

stack_running() {
  [ -s "$PID_FILE" ] || return 1
  local name pid
  while read -r name pid; do kill -0 "$pid" 2>/dev/null && return 0; done < "$PID_FILE"
  return 1
}

stop_all() { # SIGTERM in reverse start order, then SIGKILL what is left after 20 s
  [ -f "$PID_FILE" ] || return 0
  local lines pid name i waited
  mapfile -t lines < "$PID_FILE"
  for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
    read -r name pid <<< "${lines[$i]}"
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
    # let each service finish in-flight work before the broker and store under it go away
    waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 200 ]; do sleep 0.1; waited=$((waited + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$PID_FILE"
}
