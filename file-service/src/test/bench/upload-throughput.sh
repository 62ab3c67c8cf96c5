#!/usr/bin/env bash
# Hand-run measurement of file-service with curl, on this machine: a 2 GiB upload through POST /api/v1/files and
# through a direct (presigned) upload, against the same PUT straight to the S3 server; the service's peak RSS;
# then the refusals (oversized, empty, disallowed, interrupted) and a check that they left nothing behind.
#
#   file-service/src/test/bench/upload-throughput.sh [size-in-MiB]      (from the repository root; default 2048)
#
# Needs: ./mvnw -B -q -pl file-service -am install -DskipTests (jar + test classes), curl, psql, sha256sum.
# The embedded Kafka/PostgreSQL/S3 run from file-service's test classpath (BenchInfrastructure).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."   # file-service/
size_mib=${1:-2048}
work=target/bench
mkdir -p "$work"
rm -f "$work/infra.env"
port=18082
token=bench-admin-token
heap=${BENCH_HEAP:--Xmx512m}

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
java -cp "target/test-classes:target/classes:$(cat "$work/cp.txt")" -Ddrawbridge.s3proxy.jar=../infra/embedded/target/s3proxy/s3proxy.jar \
    io.drawbridge.file.bench.BenchInfrastructure "$work/infra.env" > "$work/infra.log" 2>&1 &
pids+=($!)
until [[ -f $work/infra.env ]]; do sleep 1; done
# shellcheck disable=SC1090
source "$work/infra.env"

start_service() { # extra env assignments as arguments
    # shellcheck disable=SC2086
    env "$@" ${BENCH_SERVICE_ENV:-} DRAWBRIDGE_ADMIN_TOKEN=$token SERVER_PORT=$port java $heap -jar target/file-service-0.1.0-SNAPSHOT.jar \
        > "$work/service.log" 2>&1 &
    service_pid=$!
    pids+=($service_pid)
    until curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null; do sleep 1; done
}
stop_service() { kill "$service_pid"; wait "$service_pid" 2>/dev/null || true; }

peak_rss=0
sample_rss() { # samples the service's RSS every 200 ms into $work/rss.txt
    while kill -0 "$service_pid" 2>/dev/null; do ps -o rss= -p "$service_pid" >> "$work/rss.txt" || true; sleep 0.2; done
}
max_rss() { sort -n "$work/rss.txt" | tail -1; }

s3() { curl -fsS --aws-sigv4 "aws:amz:us-east-1:s3" --user "$DRAWBRIDGE_S3_ACCESS_KEY:$DRAWBRIDGE_S3_SECRET_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
api() { curl -sS -H "Authorization: Bearer $token" "$@"; }
mib_per_s() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.1f", b / 1048576 / t }'; }
bucket() { java -cp "target/test-classes:$(cat "$work/cp.txt")" io.drawbridge.file.bench.BucketReport; }
rows() { PGPASSWORD=$DRAWBRIDGE_DB_PASSWORD psql -h "$DRAWBRIDGE_DB_HOST" -p "$DRAWBRIDGE_DB_PORT" -U "$DRAWBRIDGE_DB_USER" \
    -d "$DRAWBRIDGE_DB_NAME" -tAc "select (select count(*) from file.stored_file) || ' files, ' || (select count(*) from file.direct_upload where status <> 'completed') || ' open uploads'"; }

file=$work/upload-$size_mib.bin
[[ -f $file && $(stat -c %s "$file") == $((size_mib * 1048576)) ]] || head -c $((size_mib * 1048576)) /dev/urandom > "$file"
bytes=$(stat -c %s "$file")
expected=$(sha256sum "$file" | cut -d' ' -f1)
echo "file: $bytes bytes, sha256 $expected"

if [[ ${BENCH_REFUSALS_ONLY:-0} != 1 ]]; then
start_service DRAWBRIDGE_FILE_MAX_SIZE=4GB DRAWBRIDGE_FILE_DIRECT_MULTIPART_THRESHOLD=4GB
: > "$work/rss.txt"; sample_rss & pids+=($!)
echo "service idle RSS: $(ps -o rss= -p "$service_pid") KiB"

[[ ${BENCH_SKIP_BASELINE:-0} == 1 ]] && baseline=${BENCH_BASELINE:-1} || {
# 1. Straight to the S3 server (baseline).
t=$(s3 -o /dev/null -w '%{time_total}' -T "$file" "$DRAWBRIDGE_S3_ENDPOINT/$DRAWBRIDGE_S3_BUCKET/bench/baseline.bin")
s3 -X DELETE -o /dev/null "$DRAWBRIDGE_S3_ENDPOINT/$DRAWBRIDGE_S3_BUCKET/bench/baseline.bin"
baseline=$(mib_per_s "$bytes" "$t"); echo "S3 PUT direct:        ${t}s  $baseline MiB/s"
}

# 2. Through the service (multipart/form-data, streamed into an S3 multipart upload).
cpu_before=$(ps -o cputimes= -p "$service_pid")
t=$(api -o "$work/api.json" -w '%{time_total}' -F "file=@$file;type=application/octet-stream" "http://127.0.0.1:$port/api/v1/files")
grep -q "\"sha256\":\"$expected\"" "$work/api.json" && ok=sha256-ok || ok="SHA256 MISMATCH: $(cat "$work/api.json")"
api_rate=$(mib_per_s "$bytes" "$t")
echo "POST /api/v1/files:   ${t}s  $api_rate MiB/s  ($ok)  service CPU $(( $(ps -o cputimes= -p "$service_pid") - cpu_before ))s  peak RSS so far $(max_rss) KiB"

[[ ${BENCH_API_ONLY:-0} == 1 ]] && exit 0
# 3. Direct upload: presigned PUT, then complete (which reads the object once for checksums).
api -o "$work/start.json" -H 'Content-Type: application/json' \
    -d "{\"name\":\"direct.bin\",\"size\":$bytes,\"content_type\":\"application/octet-stream\"}" "http://127.0.0.1:$port/api/v1/uploads"
id=$(grep -o '"id":"[^"]*"' "$work/start.json" | head -1 | cut -d'"' -f4)
url=$(grep -o '"url":"[^"]*"' "$work/start.json" | head -1 | cut -d'"' -f4 | sed 's/\\u0026/\&/g')
t_put=$(curl -fsS -o /dev/null -w '%{time_total}' -T "$file" "$url")
t_complete=$(api -o "$work/complete.json" -w '%{time_total}' -X POST -H 'Content-Type: application/json' -d "{\"sha256\":\"$expected\"}" \
    "http://127.0.0.1:$port/api/v1/uploads/$id/complete")
grep -q "\"sha256\":\"$expected\"" "$work/complete.json" && ok=sha256-ok || ok="SHA256 MISMATCH: $(cat "$work/complete.json")"
total=$(awk -v a="$t_put" -v b="$t_complete" 'BEGIN { print a + b }')
echo "direct upload:        PUT ${t_put}s ($(mib_per_s "$bytes" "$t_put") MiB/s) + complete ${t_complete}s = ${total}s  $(mib_per_s "$bytes" "$total") MiB/s  ($ok)"
echo "ratio API/S3: $(awk -v a="$api_rate" -v b="$baseline" 'BEGIN { printf "%.2f", a / b }')  direct(total)/S3: $(awk -v a="$(mib_per_s "$bytes" "$total")" -v b="$baseline" 'BEGIN { printf "%.2f", a / b }')"
echo "service peak RSS: $(max_rss) KiB; heap after: $(jcmd "$service_pid" GC.heap_info 2>/dev/null | grep -m1 -i 'total' | sed 's/^ *//')"
stop_service
fi

# 4. Refusals leave nothing behind.
start_service DRAWBRIDGE_FILE_MAX_SIZE=1GB DRAWBRIDGE_FILE_ALLOWED_EXTENSIONS=bin,zip
before="$(bucket); $(rows)"
echo "before refusals: $before"
printf 'oversized (Content-Length):  '; api -o - -F "file=@$file" "http://127.0.0.1:$port/api/v1/files" | head -c 400 || true; echo
printf 'oversized (chunked, mid-stream): '
api -o - -H 'Transfer-Encoding: chunked' -F "file=@$file" "http://127.0.0.1:$port/api/v1/files" | head -c 200 || true; echo
: > "$work/empty.bin"
printf 'empty:       '; api -F "file=@$work/empty.bin" "http://127.0.0.1:$port/api/v1/files"; echo
printf 'disallowed:  '; echo 'echo hi' > "$work/run.sh"; api -F "file=@$work/run.sh" "http://127.0.0.1:$port/api/v1/files"; echo
printf 'interrupted: '; head -c $((300 * 1048576)) "$file" > "$work/part.bin"
api --limit-rate 20M --max-time 5 -o /dev/null -F "file=@$work/part.bin" "http://127.0.0.1:$port/api/v1/files" || echo "(curl gave up after 5 s, as intended)"
sleep 5
echo "after refusals:  $(bucket); $(rows)"
stop_service
