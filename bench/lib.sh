# Shared by the bench/ scripts (sourced, not run). Works from the repository root.
# shellcheck shell=bash

BENCH_VERSION=0.1.0-SNAPSHOT
BENCH_JAR=bench/target/bench.jar
# The dev stack's JVM options for services (infra/devstack ServiceFleet.JVM_OPTIONS), so extra instances run alike.
# The stack to measure: the repository's own (bin/dev) or a frozen copy (bench/frozen-stack → bench/target/stack).
STACK_ROOT=${BENCH_STACK_ROOT:-.}
STACK_STATE=$STACK_ROOT/.devstack
SERVICE_JVM_OPTS=(-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:ReservedCodeCacheSize=64m
    -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8)
# Appended like the dev stack appends them: the options a frozen stack was started with (bench/frozen-stack
# --production-jvm writes them beside it), else DEVSTACK_JAVA_OPTS as given to bin/dev.
if [[ -f $STACK_ROOT/jvm-options ]]; then
    read -r -a extra_jvm_opts <"$STACK_ROOT/jvm-options"
    SERVICE_JVM_OPTS+=("${extra_jvm_opts[@]}")
elif [[ -n ${DEVSTACK_JAVA_OPTS:-} ]]; then
    read -r -a extra_jvm_opts <<<"$DEVSTACK_JAVA_OPTS"
    SERVICE_JVM_OPTS+=("${extra_jvm_opts[@]}")
fi

say() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] %s\n' "$*" >&2; exit 2; }

# Sources .devstack/env and checks that the gateway and token-service answer ready.
require_stack() {
    [[ -f $STACK_STATE/env ]] || die "no $STACK_STATE/env: start the dev stack first (bin/dev) and wait for its banner"
    # shellcheck disable=SC1091
    source "$STACK_STATE/env"
    local url
    for url in "$DRAWBRIDGE_DOWNLOAD_GATEWAY_URL" "$DRAWBRIDGE_TOKEN_SERVICE_URL" "$DRAWBRIDGE_FILE_SERVICE_URL"; do
        curl -fsS -o /dev/null --max-time 5 "$url/actuator/health/readiness" \
            || die "$url is not ready: is the dev stack (bin/dev) running?"
    done
}

# Installs Debian packages the scripts use when they are missing.
require_tools() {
    local missing=() tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    ((${#missing[@]} == 0)) && return
    say "installing ${missing[*]} (apt-get)"
    apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Builds the load tool when its jar is missing or older than its sources (outside the default reactor).
build_bench() {
    if [[ ! -f $BENCH_JAR || -n $(find bench/pom.xml bench/src -newer "$BENCH_JAR" -print -quit) ]]; then
        say "building the load tool (./mvnw -f bench/pom.xml package)"
        ./mvnw -B -q -f bench/pom.xml -DskipTests package
    fi
}

# The machine and what else runs on it, printed before each measurement.
machine_note() {
    say "machine: $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
    say "services' JVM options added to the dev stack's: $( [[ -f $STACK_ROOT/jvm-options ]] && cat "$STACK_ROOT/jvm-options" || echo "${DEVSTACK_JAVA_OPTS:-none (dev quick start: C1 only, -Xmx384m)}")"
    say "load before the run: $(uptime | sed 's/.*load average/load average/')"
    say "busiest processes right now (top: %CPU, command line):"
    COLUMNS=400 top -b -c -n 1 -w 400 | sed -n '8,13p' | awk '{c=$9; $1=$2=$3=$4=$5=$6=$7=$8=$9=$10=$11=""; print c, $0}' \
        | tr -s ' ' | cut -c1-150 | sed 's/^/[bench]   /'
}

EXTRA_PIDS=()

# start_service <module> <port> <log name> [VAR=value ...]: one more instance of a service from the stack's jar, with
# the dev stack's environment (.devstack/env) plus the given overrides; output to .devstack/logs/<log name>.log.
start_service() {
    local module=$1 port=$2 name=$3
    shift 3
    # The build the stack runs (bin/dev's copy), else the module's.
    local jar="$STACK_STATE/jars/$module.jar"
    [[ -f $jar ]] || jar="$STACK_ROOT/$module/target/$module-$BENCH_VERSION.jar"
    [[ -f $jar ]] || die "missing $jar (bin/dev builds it)"
    ss -Htln "sport = :$port" | grep -q . && die "port $port is in use (pass another port, see --help)"
    # A private copy: a rebuild of the module while this instance runs must not change the jar under it.
    mkdir -p bench/target/jars "$STACK_STATE/logs"
    cp "$jar" "bench/target/jars/$name.jar"
    local copy=$PWD/bench/target/jars/$name.jar
    (cd "$STACK_ROOT/$module" && exec env SERVER_PORT="$port" LOG_FORMAT=text "$@" \
        java "${SERVICE_JVM_OPTS[@]}" -jar "$copy") >"$STACK_STATE/logs/$name.log" 2>&1 &
    EXTRA_PIDS+=($!)
    say "started $module on :$port (pid $!, log $STACK_STATE/logs/$name.log)"
}

# free_port <preferred>: the preferred port, or the next free one above it (other stacks may run on this machine).
free_port() {
    local port=$1
    while ss -Htln "sport = :$port" | grep -q .; do port=$((port + 1)); done
    echo "$port"
}

# await_ready <port> <seconds>: the extra instance started last on that port answers ready (and it is ours).
await_ready() {
    local port=$1 deadline=$((SECONDS + $2)) pid=${EXTRA_PIDS[-1]}
    until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/actuator/health/readiness" \
        && ss -Htlnp "sport = :$port" | grep -q "pid=$pid,"; do
        ((SECONDS < deadline)) || die "the instance on :$port (pid $pid) is not ready after $2 s"
        kill -0 "$pid" 2>/dev/null || die "the instance on :$port (pid $pid) exited during startup; see $STACK_STATE/logs/"
        sleep 1
    done
}

# SIGTERM to every extra instance (graceful), SIGKILL after 30 s; run from an EXIT trap.
stop_services() {
    ((${#EXTRA_PIDS[@]} == 0)) && return
    say "stopping the extra instances (${EXTRA_PIDS[*]})"
    kill -TERM "${EXTRA_PIDS[@]}" 2>/dev/null || true
    local pid deadline=$((SECONDS + 30))
    for pid in "${EXTRA_PIDS[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    EXTRA_PIDS=()
}
