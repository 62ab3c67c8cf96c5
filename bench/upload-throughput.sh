#!/usr/bin/env bash
# Issue #3's upload checks against the running dev stack (bin/dev), with curl as a new user would: a random file
# (2 GiB by default) uploaded (a) straight to the S3 server (one signed PUT: the baseline), (b) through
# POST /api/v1/files (curl -F), (c) as a direct upload (POST /api/v1/uploads, PUT the URL or every part, then
# POST /api/v1/uploads/{id}/complete); rounds interleaved a, b, c. Every SHA-256 the service answers is compared with
# sha256sum (the baseline's ETag with md5sum); MiB/s, ratio to (a), file-service's RSS (sampled from /proc) and heap.
# Then the refusals, API and direct: oversized, empty, disallowed type, interrupted (curl killed mid-upload): status
# and `error` code of each, and what they left (objects and multipart uploads in the bucket, the file list's total,
# rows of the `file` schema via psql). Everything it uploaded is deleted at the end.
#
#   bench/upload-throughput.sh [--size-mib=2048] [--rounds=3] [--no-throughput] [--no-refusals]
#                              [--chunked-oversized] [--disallowed-name=run.sh] [--keep-file]
#
# --chunked-oversized also sends a body without Content-Length above the limit (the service reads up to the limit).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh

size_mib=2048 rounds=3 throughput=1 refusals=1 chunked_oversized=0 disallowed_name=run.sh keep_file=0
for arg in "$@"; do
    case $arg in
        --size-mib=*) size_mib=${arg#*=} ;;
        --rounds=*) rounds=${arg#*=} ;;
        --no-throughput) throughput=0 ;;
        --no-refusals) refusals=0 ;;
        --chunked-oversized) chunked_oversized=1 ;;
        --disallowed-name=*) disallowed_name=${arg#*=} ;;
        --keep-file) keep_file=1 ;;
        *) sed -n '2,14p' "bench/$(basename "$0")"; exit 2 ;;
    esac
done

require_tools curl jq
require_stack
command -v psql >/dev/null || say "no psql on the PATH: rows are counted through the API only (apt-get install postgresql-client)"
admin=(-H "Authorization: Bearer $DRAWBRIDGE_ADMIN_TOKEN")
files=$DRAWBRIDGE_FILE_SERVICE_URL
s3_base=$DRAWBRIDGE_S3_ENDPOINT/$DRAWBRIDGE_S3_BUCKET
work=$(mktemp -d)
created_files=() created_objects=()
cleanup() {
    jobs -p | xargs -r kill 2>/dev/null
    local id key
    for id in "${created_files[@]}"; do
        curl -sS -o /dev/null "${admin[@]}" -X DELETE "$files/api/v1/files/$id"
    done
    for key in "${created_objects[@]}"; do s3 -o /dev/null -X DELETE "$s3_base/$key"; done
    rm -rf "$work"
}
trap cleanup EXIT

# The file-service process of this stack: whoever listens on its port.
file_port=${files##*:}
service_pid=$(ss -Htlnp "sport = :$file_port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[[ -n $service_pid ]] || die "cannot find file-service's process (port $file_port)"

s3() { # signed S3 request (SigV4, path-style, payload not signed)
    curl -sS --aws-sigv4 "aws:amz:us-east-1:s3" --user "$DRAWBRIDGE_S3_ACCESS_KEY:$DRAWBRIDGE_S3_SECRET_KEY" \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@"
}
mib_s() { awk -v b="$1" -v t="$2" 'BEGIN{printf "%.1f", b / t / 1048576}'; }
status_kib() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$service_pid/status"; }
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$service_pid/stat"; }
heap_mib() {
    curl -fsS "$files/actuator/metrics/jvm.memory.used?tag=area:heap" \
        | jq -r '.measurements[] | select(.statistic == "VALUE") | .value / 1048576 | floor'
}
error_of() { jq -r '.error // empty' "$1" 2>/dev/null; }

# What is in the bucket and the tables (a line to compare before/after).
bucket_objects() {
    s3 "$s3_base?list-type=2&max-keys=1000" | grep -o '<Key>[^<]*</Key>' | wc -l
}
bucket_multiparts() { s3 "$s3_base?uploads=" | grep -o '<Upload>' | wc -l; }
bucket_multipart_list() {
    s3 "$s3_base?uploads=" | grep -o '<Key>[^<]*</Key>\|<UploadId>[^<]*</UploadId>' | sed 's/<[^>]*>//g' | paste - -
}
api_total() { curl -fsS "${admin[@]}" "$files/api/v1/files?size=1" | jq -r .total; }
rows() {
    command -v psql >/dev/null || { echo "psql n/a"; return; }
    PGPASSWORD=$DRAWBRIDGE_DB_PASSWORD psql -X -h "$DRAWBRIDGE_DB_HOST" -p "$DRAWBRIDGE_DB_PORT" \
        -U "$DRAWBRIDGE_DB_USER" -d "$DRAWBRIDGE_DB_NAME" -tA -c \
        "select 'stored_file ' || (select count(*) from file.stored_file)
            || ', direct_upload ' || coalesce((select string_agg(status || ' ' || n, ' + ' order by status)
                from (select status, count(*) n from file.direct_upload group by status) s), '0')
            || ', outbox ' || (select count(*) from file.outbox)"
}
inventory() {
    echo "objects $(bucket_objects), multipart uploads $(bucket_multiparts); API total $(api_total); $(rows)"
}

machine_note
say "file-service: $files, pid $service_pid ($(tr '\0' ' ' <"/proc/$service_pid/cmdline" | grep -o -- '-Xmx[^ ]*' || true))"
say "file-service policy from its environment: $(tr '\0' '\n' <"/proc/$service_pid/environ" \
    | grep '^DRAWBRIDGE_FILE_' | grep -v '_URL=' | tr '\n' ' ' || true)(unset keys: application.yml defaults)"
say "curl: $(curl --version | head -1 | cut -d' ' -f1-2)"

# ---------------------------------------------------------------------------------------------------------------------
if ((throughput)); then
    mkdir -p bench/target
    file=bench/target/upload-$size_mib-MiB.bin
    bytes=$((size_mib * 1048576))
    if [[ ! -f $file || $(stat -c %s "$file") != "$bytes" ]]; then
        say "generating $file ($size_mib MiB of random bytes)"
        head -c "$bytes" /dev/urandom >"$file"
    fi
    sha256=$(sha256sum "$file" | cut -d' ' -f1)
    md5=$(md5sum "$file" | cut -d' ' -f1)
    say "file: $bytes bytes, sha256 $sha256"
    say "file-service before: VmRSS $(($(status_kib VmRSS) / 1024)) MiB, VmHWM $(($(status_kib VmHWM) / 1024)) MiB (peak since start), heap used $(heap_mib) MiB"

    sample_rss() { while :; do status_kib VmRSS >>"$work/rss"; sleep 0.2; done; }
    declare -A rates=()
    printf '%-5s %-8s %6s %9s %8s %7s %-9s %s\n' round path status seconds MiB/s ratio checksum \
        "file-service: RSS max MiB, CPU s"
    for ((round = 1; round <= rounds; round++)); do
        # (a) straight to the S3 server, one PUT
        key=bench-upload/baseline-$round.bin
        created_objects+=("$key")
        read -r code seconds < <(s3 -o "$work/a.out" -D "$work/a.headers" -w '%{http_code} %{time_total}\n' \
            -T "$file" "$s3_base/$key")
        etag=$(grep -i '^etag:' "$work/a.headers" | tr -d '"\r' | awk '{print $2}')
        [[ $etag == "$md5" ]] && check=md5-ok || check="ETag $etag != md5 $md5"
        base=$(mib_s "$bytes" "$seconds"); rates[a]+="$base "
        printf '%-5s %-8s %6s %9s %8s %7s %-9s\n' "$round" "S3 PUT" "$code" "$seconds" "$base" 1.00 "$check"
        s3 -o /dev/null -X DELETE "$s3_base/$key"

        # (b) POST /api/v1/files
        : >"$work/rss"; sample_rss & sampler=$!
        cpu_before=$(cpu_seconds)
        read -r code seconds < <(curl -sS "${admin[@]}" -o "$work/b.json" -w '%{http_code} %{time_total}\n' \
            -F "file=@$file;filename=bench-upload-$round.bin;type=application/octet-stream" "$files/api/v1/files")
        kill "$sampler"; wait "$sampler" 2>/dev/null
        id=$(jq -r '.id // empty' "$work/b.json")
        [[ -n $id ]] && created_files+=("$id")
        [[ $(jq -r .sha256 "$work/b.json") == "$sha256" ]] && check=sha256-ok || check="MISMATCH $(head -c 300 "$work/b.json")"
        rate=$(mib_s "$bytes" "$seconds"); rates[b]+="$rate "
        printf '%-5s %-8s %6s %9s %8s %7s %-9s %s\n' "$round" "API" "$code" "$seconds" "$rate" \
            "$(awk -v r="$rate" -v b="$base" 'BEGIN{printf "%.2f", r / b}')" "$check" \
            "$(($(sort -n "$work/rss" | tail -1) / 1024)), $(awk -v a="$cpu_before" -v b="$(cpu_seconds)" 'BEGIN{printf "%.1f", b - a}')"
        [[ -n $id ]] && curl -sS -o /dev/null "${admin[@]}" -X DELETE "$files/api/v1/files/$id"

        # (c) direct upload: start, PUT (the URL, or every part from its offset), complete
        : >"$work/rss"; sample_rss & sampler=$!
        cpu_before=$(cpu_seconds)
        start=$(date +%s.%N)
        curl -sS "${admin[@]}" -o "$work/c.json" -H 'Content-Type: application/json' \
            -d "{\"name\":\"bench-direct-$round.bin\",\"size\":$bytes,\"content_type\":\"application/octet-stream\"}" \
            "$files/api/v1/uploads"
        id=$(jq -r '.id // empty' "$work/c.json")
        [[ -n $id ]] || die "POST /api/v1/uploads failed: $(cat "$work/c.json")"
        put_codes=''
        if [[ $(jq -r '.parts // empty | length' "$work/c.json") != "" ]]; then
            parts=$(jq -r '.parts | length' "$work/c.json")
            while read -r offset length url; do
                # one part, read from the file at its offset (dd → curl's stdin), never the whole file in memory
                put_codes+=$(dd if="$file" iflag=skip_bytes,count_bytes skip="$offset" count="$length" bs=4M \
                    status=none | curl -sS -o /dev/null -w '%{http_code} ' -X PUT -T - \
                        -H "Content-Length: $length" "$url")
            done < <(jq -r '.parts[] | "\(.offset) \(.length) \(.url)"' "$work/c.json")
        else
            parts=1
            put_codes=$(curl -sS -o /dev/null -w '%{http_code}' -T "$file" "$(jq -r .url "$work/c.json")")
        fi
        put_done=$(date +%s.%N)
        code=$(curl -sS "${admin[@]}" -o "$work/c2.json" -w '%{http_code}' -H 'Content-Type: application/json' \
            -d "{\"sha256\":\"$sha256\"}" "$files/api/v1/uploads/$id/complete")
        done_at=$(date +%s.%N)
        kill "$sampler"; wait "$sampler" 2>/dev/null
        [[ $(jq -r '.id // empty' "$work/c2.json") == "$id" ]] && created_files+=("$id")
        [[ $(jq -r .sha256 "$work/c2.json") == "$sha256" ]] && check=sha256-ok || check="MISMATCH $(head -c 300 "$work/c2.json")"
        seconds=$(awk -v a="$start" -v b="$done_at" 'BEGIN{printf "%.3f", b - a}')
        rate=$(mib_s "$bytes" "$seconds"); rates[c]+="$rate "
        printf '%-5s %-8s %6s %9s %8s %7s %-9s %s\n' "$round" "direct" "$code" "$seconds" "$rate" \
            "$(awk -v r="$rate" -v b="$base" 'BEGIN{printf "%.2f", r / b}')" "$check" \
            "$(($(sort -n "$work/rss" | tail -1) / 1024)), $(awk -v a="$cpu_before" -v b="$(cpu_seconds)" 'BEGIN{printf "%.1f", b - a}')"
        say "      direct: $parts PUT(s) $(awk -v a="$start" -v b="$put_done" 'BEGIN{printf "%.1f", b - a}') s (statuses: $(tr ' ' '\n' <<<"$put_codes" | grep . | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')), complete $(awk -v a="$put_done" -v b="$done_at" 'BEGIN{printf "%.1f", b - a}') s (reads the object back for the checksums)"
        [[ $(jq -r '.id // empty' "$work/c2.json") == "$id" ]] \
            && curl -sS -o /dev/null "${admin[@]}" -X DELETE "$files/api/v1/files/$id"
    done
    summary() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR]=$1; s+=$1} END {printf "mean %.1f, median %.1f MiB/s", s/NR, v[int((NR+1)/2)]}'; }
    mean() { tr ' ' '\n' <<<"$1" | grep . | awk '{s+=$1} END {print s/NR}'; }
    say "S3 PUT: $(summary "${rates[a]}")"
    say "API:    $(summary "${rates[b]}"); ratio of means to S3 PUT $(awk -v x="$(mean "${rates[b]}")" -v y="$(mean "${rates[a]}")" 'BEGIN{printf "%.2f", x / y}')"
    say "direct: $(summary "${rates[c]}"); ratio of means to S3 PUT $(awk -v x="$(mean "${rates[c]}")" -v y="$(mean "${rates[a]}")" 'BEGIN{printf "%.2f", x / y}')"
    say "file-service after: VmRSS $(($(status_kib VmRSS) / 1024)) MiB, VmHWM $(($(status_kib VmHWM) / 1024)) MiB, heap used $(heap_mib) MiB"
    ((keep_file)) || rm -f "$file"
fi

# ---------------------------------------------------------------------------------------------------------------------
if ((refusals)); then
    say "refusals; before: $(inventory)"
    before_objects=$(bucket_objects) before_multiparts=$(bucket_multiparts) before_total=$(api_total) before_rows=$(rows)
    # The limit, from the service's own refusal of an absurd size ("... limit of 5 GiB (5368709120 bytes)").
    curl -sS "${admin[@]}" -o "$work/limit.json" -H 'Content-Type: application/json' \
        -d '{"name":"probe.bin","size":4611686018427387904}' "$files/api/v1/uploads"
    limit=$(jq -r .detail "$work/limit.json" | grep -o '([0-9]* bytes)' | tr -dc 0-9)
    [[ -n $limit ]] || die "cannot learn the size limit: $(cat "$work/limit.json")"
    say "size limit: $limit bytes"
    truncate -s $((limit + 1048576)) "$work/oversized.bin" # sparse: takes no disk
    : >"$work/empty.bin"
    printf '#!/bin/sh\necho hi\n' >"$work/$disallowed_name"
    # Sparse too, 1.5 GiB: above the default direct-multipart-threshold (1GB), so the direct upload gets parts.
    interrupted_size=$((1536 * 1048576))
    truncate -s "$interrupted_size" "$work/interrupted.bin"

    printf '%-44s %-8s %6s  %s\n' case expected status error
    refusal() { # refusal <case> <expected status> <response file> <status>
        local id ok
        [[ $4 == "$2" ]] && ok='' || ok='  UNEXPECTED'
        printf '%-44s %-8s %6s  %s%s\n' "$1" "$2" "$4" "$(error_of "$3")" "$ok"
        id=$(jq -r 'select(.sha256 != null) | .id // empty' "$3" 2>/dev/null)
        [[ -n $id ]] && created_files+=("$id") # not refused: deleted at the end
    }
    api_upload() { # api_upload <out> <curl -F value> [curl options...]
        local out=$1 form=$2
        shift 2
        curl -sS "${admin[@]}" -o "$out" -w '%{http_code}' "$@" -F "$form" "$files/api/v1/files" 2>>"$work/curl.err"
    }
    direct_start() { # direct_start <out> <name> <size>
        curl -sS "${admin[@]}" -o "$1" -w '%{http_code}' -H 'Content-Type: application/json' \
            -d "{\"name\":\"$2\",\"size\":$3,\"content_type\":\"application/octet-stream\"}" "$files/api/v1/uploads"
    }

    code=$(api_upload "$work/r1.json" "file=@$work/oversized.bin;type=application/octet-stream")
    refusal "oversized, API (Content-Length)" 413 "$work/r1.json" "$code"
    if ((chunked_oversized)); then
        code=$(api_upload "$work/r2.json" "file=@$work/oversized.bin;type=application/octet-stream" \
            -H 'Transfer-Encoding: chunked')
        refusal "oversized, API (chunked, no Content-Length)" 413 "$work/r2.json" "${code:-000}"
        [[ $code == 413 ]] || say "  curl: $(tail -1 "$work/curl.err")"
    fi
    code=$(direct_start "$work/r3.json" oversized.bin $((limit + 1)))
    refusal "oversized, direct (declared size)" 413 "$work/r3.json" "$code"
    code=$(api_upload "$work/r4.json" "file=@$work/empty.bin;type=application/octet-stream")
    refusal "empty, API" 400 "$work/r4.json" "$code"
    code=$(direct_start "$work/r5.json" empty.bin 0)
    refusal "empty, direct" 400 "$work/r5.json" "$code"
    code=$(api_upload "$work/r6.json" "file=@$work/$disallowed_name")
    refusal "disallowed ($disallowed_name), API" 415 "$work/r6.json" "$code"
    code=$(direct_start "$work/r7.json" "$disallowed_name" 20)
    refusal "disallowed ($disallowed_name), direct" 415 "$work/r7.json" "$code"

    # Interrupted, API: curl killed after 3 s at 20 MiB/s (about 60 of 1536 MiB sent).
    curl -sS "${admin[@]}" -o /dev/null --limit-rate 20M -F "file=@$work/interrupted.bin;type=application/octet-stream" \
        "$files/api/v1/files" 2>/dev/null &
    victim=$!
    sleep 3
    kill -KILL "$victim"; wait "$victim" 2>/dev/null
    printf '%-44s %-8s %6s  %s\n' "interrupted, API (curl killed after 3 s)" "-" "-" "client gone; service must clean up"

    # Interrupted, direct: start (parts if the size is above the direct multipart threshold), PUT part 1 whole,
    # kill the PUT of part 2 half way, then complete → 409 upload_incomplete; the upload stays open until it expires.
    code=$(direct_start "$work/r8.json" interrupted.bin "$interrupted_size")
    interrupted_upload=$(jq -r '.id // empty' "$work/r8.json")
    if [[ $(jq -r '.parts // empty | length' "$work/r8.json") -ge 2 ]]; then
        read -r offset length url < <(jq -r '.parts[0] | "\(.offset) \(.length) \(.url)"' "$work/r8.json")
        dd if="$work/interrupted.bin" iflag=skip_bytes,count_bytes skip="$offset" count="$length" bs=4M status=none \
            | curl -sS -o /dev/null -X PUT -T - -H "Content-Length: $length" "$url"
        read -r offset length url < <(jq -r '.parts[1] | "\(.offset) \(.length) \(.url)"' "$work/r8.json")
    else
        read -r offset length url < <(jq -r '"0 \(.size) \(.url)"' "$work/r8.json")
    fi
    dd if="$work/interrupted.bin" iflag=skip_bytes,count_bytes skip="$offset" count="$length" bs=4M status=none \
        | curl -sS -o /dev/null --limit-rate 10M -X PUT -T - -H "Content-Length: $length" "$url" 2>/dev/null &
    victim=$!
    sleep 2
    kill -KILL "$victim"; wait "$victim" 2>/dev/null
    code=$(curl -sS "${admin[@]}" -o "$work/r9.json" -w '%{http_code}' -X POST \
        "$files/api/v1/uploads/$interrupted_upload/complete")
    refusal "interrupted, direct (PUT killed) → complete" 409 "$work/r9.json" "$code"
    say "  $(jq -r .detail "$work/r9.json")"

    # Nothing left behind (the service cleans up asynchronously after a client disconnects: wait up to 30 s).
    deadline=$((SECONDS + 30))
    until [[ $(bucket_objects) == "$before_objects" && $(api_total) == "$before_total" ]] \
        && (($(bucket_multiparts) <= before_multiparts + 1)) || ((SECONDS > deadline)); do sleep 1; done
    say "refusals; after:  $(inventory)"
    after_objects=$(bucket_objects) after_multiparts=$(bucket_multiparts) after_total=$(api_total)
    verdict() { [[ $2 == "$3" ]] && echo "unchanged ($2)" || echo "CHANGED $2 → $3"; }
    say "  objects in the bucket:       $(verdict x "$before_objects" "$after_objects")"
    say "  file list total (API):       $(verdict x "$before_total" "$after_total")"
    say "  rows (psql):                 before: $before_rows"
    say "                               after:  $(rows)"
    say "  multipart uploads in bucket: $before_multiparts → $after_multiparts"
    bucket_multipart_list | sed 's/^/[bench]     /'
    say "  the interrupted direct upload $interrupted_upload is open by design (its URLs stay valid until"
    say "  $(curl -sS "${admin[@]}" "$files/api/v1/uploads/$interrupted_upload" | jq -r .expires_at)); file-service's sweeper"
    say "  aborts its multipart upload and deletes its row upload-cleanup-grace (default 1h) after that."
fi
say "load after the run: $(uptime | sed 's/.*load average/load average/')"
