#!/usr/bin/env bash
# Issue #6: restarting audit-service in the middle of a burst of downloads loses none and duplicates none.
# Against a running dev stack (bin/dev, ports as in its .devstack/env): uploads a small file, issues LINKS links of
# USES downloads each, fires LINKS x USES downloads (redeem POST /api/v1/downloads + GET of the file) through the
# gateway with CONCURRENCY parallel clients (each download from its own loopback address and user agent, so no grant
# is reused and no per-address limit is met), sends SIGTERM to audit-service after KILL_AFTER downloads, starts it
# again with the same command line, environment and directory (read from /proc), and then compares:
#   client: downloads that returned 200 with every byte; gateway: drawbridge_downloads_total{outcome="completed"}
#   delta; audit-service: /api/v1/stats total_downloads and /api/v1/download-logs (rows, distinct grants, outcomes).
#
#   STACK=/tmp/wt-audit bench/audit/restart-during-burst.sh      (STACK = the dev stack's repository root)
set -uo pipefail
stack=${STACK:-.}
links=${LINKS:-100} uses=${USES:-10} concurrency=${CONCURRENCY:-6}
total=$((links * uses)) kill_after=${KILL_AFTER:-$((links * uses / 3))}
# shellcheck disable=SC1091
source "$stack/.devstack/env"
admin=(-H "Authorization: Bearer $DRAWBRIDGE_ADMIN_TOKEN")
gateway=$DRAWBRIDGE_DOWNLOAD_GATEWAY_URL
gw_port=${gateway##*:}
audit=$DRAWBRIDGE_AUDIT_SERVICE_URL
work=$(mktemp -d /tmp/burst.XXXX)
say() { printf '[burst %s] %s\n' "$(date -u +%T)" "$*"; }
completed_metric() { # prints "<completed> <all outcomes>" of drawbridge_downloads_total
    curl -fsS "$gateway/actuator/prometheus" | awk '/^drawbridge_downloads_total\{/ { a += $NF; if (/outcome="completed"/) c += $NF }
        END { printf "%d %d\n", c, a }'
}

head -c 4096 /dev/urandom >"$work/small.bin"
file_id=$(curl -fsS "${admin[@]}" -F "file=@$work/small.bin;type=application/octet-stream" \
    "$DRAWBRIDGE_FILE_SERVICE_URL/api/v1/files" | jq -r .id)
say "uploaded 4096-byte file $file_id; issuing $links links x $uses downloads"
sleep 3 # token-service learns the file from files.v1
for i in $(seq 1 "$links"); do
    for try in $(seq 1 40); do
        t=$(curl -sS "${admin[@]}" -H 'Content-Type: application/json' \
            -d "{\"customer_email\":\"burst$i@example.com\",\"files\":[\"$file_id\"],\"max_downloads\":$uses}" \
            "$DRAWBRIDGE_TOKEN_SERVICE_URL/api/v1/tokens" | jq -r '.token // empty')
        [[ -n $t ]] && break
        sleep 0.5
    done
    for u in $(seq 1 "$uses"); do echo "$t $i $u"; done
done >"$work/jobs"
[[ $(wc -l <"$work/jobs") == "$total" ]] || { say "issuing failed"; exit 2; }

from=$(date -u +%FT%TZ)
sleep 1
read -r gw_before gw_before_all < <(completed_metric)
say "gateway counter before: completed $gw_before, all outcomes $gw_before_all; burst starts at $from"

# one download: redeem + GET from 127.<a>.<b>.<c>; prints "ok" or the failure
download() {
    local t=$1 i=$2 u=$3 n ip ua body url code size
    n=$(((i - 1) * uses + u))
    ip=127.2.$((n / 250)).$((n % 250 + 1))
    ua="burst-client/$i.$u"
    body=$(curl -sS --interface "$ip" -A "$ua" -H 'Content-Type: application/json' -w '\n%{http_code}' --max-time 30 \
        -d "{\"download_token\":\"$t\"}" "http://127.0.0.1:$gw_port/api/v1/downloads")
    url=$(sed '$d' <<<"$body" | jq -r '.download_url // empty' 2>/dev/null)
    [[ -n $url ]] || { echo "redeem_failed $(tail -1 <<<"$body") $(sed '$d' <<<"$body" | jq -r .error 2>/dev/null)"; return; }
    url="http://127.0.0.1:$gw_port/${url#*://*/}"
    read -r code size < <(curl -sS --interface "$ip" -A "$ua" -o /dev/null -w '%{http_code} %{size_download}\n' \
        --max-time 60 "$url")
    [[ $code == 200 && $size == 4096 ]] && echo ok || echo "get_failed $code $size"
}
export -f download
export uses gw_port
xargs -P "$concurrency" -L 1 bash -c 'download "$@"' _ <"$work/jobs" >"$work/results" &
burst=$!

until (($(wc -l <"$work/results") >= kill_after)); do sleep 0.2; done
audit_port=${audit##*:}
pid=$(ss -Htlnp "sport = :$audit_port" | grep -oE 'pid=[0-9]+' | head -1 | cut -d= -f2)
[[ -n $pid ]] || { say "nothing listens on audit-service's port $audit_port"; kill "$burst"; exit 2; }
tr '\0' '\n' <"/proc/$pid/environ" | grep -v '^_=' >"$work/audit.env"
mapfile -d '' raw <"/proc/$pid/cmdline"
# The dev stack runs it as `java <opts> -cp <jar>:<parent-watch> ParentWatch JarLauncher` (ends with the dev stack);
# started again here as `java <opts> -jar <jar>` with the same options.
cmd=()
for ((k = 0; k < ${#raw[@]}; k++)); do
    if [[ ${raw[k]} == -cp ]]; then cmd+=(-jar "${raw[k + 1]%%:*}"); break; fi
    cmd+=("${raw[k]}")
done
cwd=$(readlink "/proc/$pid/cwd")
say "after $(wc -l <"$work/results") downloads: SIGTERM to audit-service pid $pid"
kill -TERM "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
say "audit-service exited; downloads so far $(wc -l <"$work/results"); starting it again"
mapfile -t envs <"$work/audit.env"
(cd "$cwd" && exec env -i "${envs[@]}" "${cmd[@]}") >"$stack/.devstack/logs/audit-service-restarted.log" 2>&1 &
new_pid=$!
echo "$new_pid" >"$work/audit.pid"
say "restarted audit-service pid $new_pid (log $stack/.devstack/logs/audit-service-restarted.log)"
until curl -fs -o /dev/null --max-time 2 "$audit/actuator/health/readiness"; do sleep 1; done
say "audit-service ready again; downloads so far $(wc -l <"$work/results")"
wait "$burst"
to_exclusive=$(date -u -d '+1 min' +%FT%TZ)

ok=$(grep -c '^ok$' "$work/results")
say "burst done: $ok ok of $total; failures: $(grep -v '^ok$' "$work/results" | sort | uniq -c | tr '\n' ';')"
sleep 5
read -r gw_after gw_after_all < <(completed_metric)
say "gateway drawbridge_downloads_total{outcome=completed}: $gw_before -> $gw_after (delta $((gw_after - gw_before))); all outcomes delta $((gw_after_all - gw_before_all))"
# audit-service catches up from Kafka (a restarted consumer first waits for its partitions): poll until it has
# accounted for as many downloads as the gateway counted, or until CATCH_UP_SECONDS pass (then what is missing is
# lost); then keep polling for STABLE_SECONDS more, so that late duplicates would show up in the figures too.
catch_up=${CATCH_UP_SECONDS:-300} stable=${STABLE_SECONDS:-15}
expected=$((gw_after_all - gw_before_all))
accounted() { jq '.total_downloads + .failed_downloads' <<<"$1"; }
deadline=$((SECONDS + catch_up))
while :; do
    stats=$(curl -fsS "${admin[@]}" "$audit/api/v1/stats?from=$from&to=$to_exclusive")
    (($(accounted "$stats") >= expected || SECONDS >= deadline)) && break
    sleep 2
done
say "audit-service accounted for $(accounted "$stats") of $expected after $((SECONDS - deadline + catch_up)) s; watching ${stable} s more"
sleep "$stable"
stats=$(curl -fsS "${admin[@]}" "$audit/api/v1/stats?from=$from&to=$to_exclusive")
echo "$stats" | jq -c . | tee "$work/stats.json"
: >"$work/logs.jsonl"
page=0
while :; do
    body=$(curl -fsS "${admin[@]}" "$audit/api/v1/download-logs?from=$from&to=$to_exclusive&size=500&page=$page")
    jq -c '.items[]' <<<"$body" >>"$work/logs.jsonl"
    page=$((page + 1))
    ((page < $(jq .total_pages <<<"$body"))) || break
done
rows=$(wc -l <"$work/logs.jsonl")
grants=$(jq -r .grant_id "$work/logs.jsonl" | sort -u | wc -l)
say "download log: $rows rows, $grants distinct grants, outcomes $(jq -r .outcome "$work/logs.jsonl" | sort | uniq -c | tr '\n' ' ')"
say "bytes in the log: $(jq -s 'map(.bytes_delivered) | add' "$work/logs.jsonl"); expected $((ok * 4096))"
say "SUMMARY client_ok=$ok gateway_completed_delta=$((gw_after - gw_before)) gateway_all_delta=$((gw_after_all - gw_before_all)) stats_total=$(jq .total_downloads "$work/stats.json") stats_failed=$(jq .failed_downloads "$work/stats.json") log_rows=$rows log_distinct_grants=$grants"
say "work dir $work; restarted audit-service pid $new_pid is still running (stop it with kill -TERM $new_pid)"
