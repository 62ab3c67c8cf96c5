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

# cpu_snapshot: one line per part of the stack, "<part> <CPU ticks so far>" (user + system, from /proc), for the
# stack's processes: its six services (extra instances included), PostgreSQL, S3Proxy, the dev stack's own JVM,
# which hosts the Kafka broker, and the load tool. Compare two snapshots with cpu_report.
cpu_snapshot() {
    local pid cmd cwd part root
    root=$(realpath "$STACK_ROOT")
    for pid in $(pgrep -f 'java|postgres'); do
        # Only this stack's processes: their working directory is the stack's root, its .devstack/ (services,
        # PostgreSQL, S3Proxy) or a module's folder (bench/lib.sh's extra instances); other stacks on the machine differ.
        cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || continue
        [[ $cwd == "$root" || $cwd == "$root"/* ]] || continue
        cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
        case $cmd in
            *"$BENCH_JAR"*) part=load-tool ;;
            *s3proxy*) part=s3proxy ;;
            *jars/download-gateway* | *download-gateway-$BENCH_VERSION.jar*) part=download-gateway ;;
            *jars/token-service* | *token-service-$BENCH_VERSION.jar*) part=token-service ;;
            *jars/file-service* | *file-service-$BENCH_VERSION.jar*) part=file-service ;;
            *jars/order-sync-service* | *order-sync-service-$BENCH_VERSION.jar*) part=order-sync-service ;;
            *jars/audit-service* | *audit-service-$BENCH_VERSION.jar*) part=audit-service ;;
        *jars/console* | *console-$BENCH_VERSION.jar*) part=console ;;
            *devstack-*exec.jar* | *jars/devstack.jar*) part=kafka-broker ;;
            postgres*) part=postgresql ;;
            *) continue ;;
        esac
        echo "$part $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
    done | awk '{ticks[$1] += $2} END {for (p in ticks) print p, ticks[p]}' | sort
}

# cpu_report <before file> <after file> <operations>: CPU seconds each part of the stack used between the snapshots,
# and milliseconds per operation (e.g. per redemption), busiest first. Other processes on the machine are not counted.
cpu_report() {
    local hz
    hz=$(getconf CLK_TCK)
    say "CPU used during the run (whole run incl. warm-up, $3 operations), by part of the stack:"
    join "$1" "$2" | awk -v hz="$hz" -v n="$3" '{s = ($3 - $2) / hz; t += s; printf "%s %.1f %.2f\n", $1, s, (n > 0 ? 1000 * s / n : 0)}
        END {printf "total %.1f %.2f\n", t, (n > 0 ? 1000 * t / n : 0)}' \
        | sort -k2 -n -r | awk '{printf "[bench]   %-20s %7.1f s  %6.2f ms per operation\n", $1, $2, $3}'
}

# run_load_tool <command> [options]: runs the load tool and reports the CPU the stack used per operation (the tool's
# warm-up and measured outcomes counted together, like the CPU). Returns the tool's exit status.
run_load_tool() {
    local before after output status=0
    before=$(mktemp) after=$(mktemp) output=$(mktemp)
    cpu_snapshot >"$before"
    java -jar "$BENCH_JAR" "$@" | tee "$output" || status=$?
    cpu_snapshot >"$after"
    cpu_report "$before" "$after" "$(grep -E '^(warm-up|measured) outcomes:' "$output" | grep -oE '=[0-9]+' | tr -d = \
        | awk '{n += $1} END {print n + 0}')"
    rm -f "$before" "$after" "$output"
    return $status
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
