#!/usr/bin/env bash
# Issue #4's download scenario against the running dev stack (bin/dev), one PASS/FAIL line per check:
#   1. a 1-download link: the landing page opened 20 times and HEAD → nothing used (GET /api/v1/tokens/{id});
#   2. redeem, download with curl, SHA-256 matches; redeem again → 429 usage_limit_exceeded; one use consumed;
#   3. another 1-download link: a curl download killed half way, resumed with `curl -C -` → complete, SHA-256
#      matches, exactly one use consumed; redeem again → 429.
# The 20 views and the HEAD each come from their own loopback address (as the mail scanners and chat unfurlers that
# fetch links do): 21 requests from one address would meet the gateway's per-address rate limit (20, then 1 per 3 s).
#
#   4. (issue #9) a 1-download link: 12 parallel curl GETs of its grant → at most one complete copy, the rest 429;
#      then `Range: bytes=0-` → 429; another 1-download link downloaded with `aria2c -x 8 -s 8` → complete, SHA-256
#      matches, one use consumed, and the bytes it cost against the file's size.
# --edge-cases adds, beyond issue #4: while a killed download has given its use back, another client redeems the same
# 1-download link and downloads it whole, then the first client resumes: at most one whole copy may be delivered.
#
#   bench/acceptance-download.sh [--size-mib=48] [--edge-cases]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh

size_mib=48 edge_cases=0
for arg in "$@"; do
    case $arg in
        --size-mib=*) size_mib=${arg#*=} ;;
        --edge-cases) edge_cases=1 ;;
        *) sed -n '2,13p' "bench/$(basename "$0")"; exit 2 ;;
    esac
done

require_tools curl jq aria2c
require_stack
admin=(-H "Authorization: Bearer $DRAWBRIDGE_ADMIN_TOKEN")
gateway=$DRAWBRIDGE_DOWNLOAD_GATEWAY_URL
gateway_ip=http://127.0.0.1:${gateway##*:}
work=$(mktemp -d)
trap 'rm -rf "$work"; jobs -p | xargs -r kill 2>/dev/null' EXIT
failures=0

check() { # check <description> <command...>: PASS when the command succeeds
    local description=$1
    shift
    if "$@"; then
        printf 'PASS  %s\n' "$description"
    else
        printf 'FAIL  %s\n' "$description"
        failures=$((failures + 1))
    fi
}
json_true() { jq -e "$1" <<<"$2" >/dev/null; } # json_true <jq condition> <json>
info() { printf '      %s\n' "$*"; }
token_view() { curl -fsS "${admin[@]}" "$DRAWBRIDGE_TOKEN_SERVICE_URL/api/v1/tokens/$1"; }
uses() { token_view "$1" | jq -c '.uses'; }
# await_uses <token id> <jq condition on .uses> <seconds>: token-service settles downloads asynchronously (Kafka).
await_uses() {
    local deadline=$((SECONDS + $3))
    until token_view "$1" | jq -e ".uses | $2" >/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}
issue_link() { # issue_link <file id> → the issuing response (retried until token-service's catalog knows the file)
    local response deadline=$((SECONDS + 60))
    while :; do
        response=$(curl -sS "${admin[@]}" -H 'Content-Type: application/json' \
            -d "{\"customer_email\":\"acceptance@example.com\",\"files\":[\"$1\"],\"max_downloads\":1}" \
            "$DRAWBRIDGE_TOKEN_SERVICE_URL/api/v1/tokens")
        jq -e .token <<<"$response" >/dev/null && { echo "$response"; return; }
        ((SECONDS < deadline)) || { echo "$response" >&2; return 1; }
        sleep 0.5
    done
}
redeem() { # redeem <token> <user agent> → "<status> <body>"
    curl -sS -A "$2" -H 'Content-Type: application/json' -w '\n%{http_code}' \
        -d "{\"download_token\":\"$1\"}" "$gateway/api/v1/downloads"
}
status_of() { tail -1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }

echo "Acceptance: issue #4 download scenario against $gateway ($(date -u +%FT%TZ))"
data=$work/app.bin
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$data"
expected=$(sha256sum "$data" | cut -d' ' -f1)
file=$(curl -fsS "${admin[@]}" -F "file=@$data;type=application/octet-stream" "$DRAWBRIDGE_FILE_SERVICE_URL/api/v1/files")
file_id=$(jq -r .id <<<"$file")
check "upload of a ${size_mib} MiB file: file-service's SHA-256 is the file's ($expected)" \
    test "$(jq -r .sha256 <<<"$file")" = "$expected"

# 1. Looking never uses a download.
link=$(issue_link "$file_id") || exit 1
token=$(jq -r .token <<<"$link") token_id=$(jq -r .token_id <<<"$link")
info "link A: token $token_id, max_downloads 1"
landing="$gateway_ip/d/$token"
ok=0
for i in $(seq 1 20); do
    code=$(curl -sS -o /dev/null -w '%{http_code}' --interface "127.0.1.$i" "$landing")
    [[ $code == 200 ]] && ok=$((ok + 1))
done
check "landing page GET /d/{token} 20 times → 200 each ($ok/20)" test "$ok" = 20
code=$(curl -sS -o /dev/null -w '%{http_code}' --head --interface 127.0.1.21 "$landing")
check "landing page HEAD → 200 ($code)" test "$code" = 200
sleep 2 # anything the views might (wrongly) have triggered on Kafka gets time to land
view=$(token_view "$token_id")
info "after the views: uses $(jq -c .uses <<<"$view"), grants $(jq '.grants | length' <<<"$view")"
check "after 20 views and a HEAD nothing is used: consumed 0, reserved 0, remaining 1, no grant" \
    json_true '.uses.consumed == 0 and .uses.reserved == 0 and .uses.remaining == 1 and (.grants | length) == 0' "$view"

# 2. Redeem, download, verify; a second redeem is refused.
reply=$(redeem "$token" "acceptance-customer/1.0")
check "redeem POST /api/v1/downloads → 200 with download_url ($(status_of "$reply"))" \
    json_true '.download_url' "$(body_of "$reply")"
url=$(body_of "$reply" | jq -r '.download_url // empty')
code=$(curl -sS -o "$work/a.bin" -w '%{http_code}' "$url")
actual=$(sha256sum "$work/a.bin" | cut -d' ' -f1)
check "curl download → 200, SHA-256 matches ($code, $actual)" test "$code:$actual" = "200:$expected"
check "token-service counts it: consumed 1, reserved 0, remaining 0 (within 20 s)" \
    await_uses "$token_id" '.consumed == 1 and .reserved == 0 and .remaining == 0' 20
info "uses now $(uses "$token_id")"
reply=$(redeem "$token" "acceptance-customer/1.0")
check "redeem again (same client) → 429 usage_limit_exceeded ($(status_of "$reply") $(body_of "$reply" | jq -r .error 2>/dev/null))" \
    test "$(status_of "$reply"):$(body_of "$reply" | jq -r .error 2>/dev/null)" = "429:usage_limit_exceeded"
reply=$(redeem "$token" "acceptance-other-browser/1.0")
check "redeem again (another client) → 429 usage_limit_exceeded ($(status_of "$reply"))" \
    test "$(status_of "$reply"):$(body_of "$reply" | jq -r .error 2>/dev/null)" = "429:usage_limit_exceeded"

# 3. Interrupted and resumed: complete, one use.
link=$(issue_link "$file_id") || exit 1
token=$(jq -r .token <<<"$link") token_id=$(jq -r .token_id <<<"$link")
info "link B: token $token_id, max_downloads 1"
reply=$(redeem "$token" "acceptance-resumer/1.0")
url=$(body_of "$reply" | jq -r '.download_url // empty')
check "redeem link B → 200 with download_url ($(status_of "$reply"))" test -n "$url"
part=$work/b.bin
half=$((size_mib * 1024 * 1024 / 2))
curl -sS -o "$part" --limit-rate $((size_mib * 1024 * 1024 / 16)) "$url" &
downloader=$!
while kill -0 "$downloader" 2>/dev/null && (($(stat -c %s "$part" 2>/dev/null || echo 0) < half)); do sleep 0.05; done
kill -KILL "$downloader" 2>/dev/null
wait "$downloader" 2>/dev/null
got=$(stat -c %s "$part")
check "download killed half way (SIGKILL to curl at $got of $((size_mib * 1024 * 1024)) bytes)" \
    test "$got" -ge "$half" -a "$got" -lt $((size_mib * 1024 * 1024))
sleep 2
info "after the kill: uses $(uses "$token_id") (a failed download gives its use back until it is resumed)"
code=$(curl -sS -C - -o "$part" -w '%{http_code}' "$url")
actual=$(sha256sum "$part" | cut -d' ' -f1)
check "resume with curl -C - → 206, file complete, SHA-256 matches ($code, $(stat -c %s "$part") bytes)" \
    test "$code:$actual" = "206:$expected"
check "exactly one use consumed: consumed 1, reserved 0, remaining 0 (within 20 s)" \
    await_uses "$token_id" '.consumed == 1 and .reserved == 0 and .remaining == 0' 20
info "uses now $(uses "$token_id"), bytes delivered $(token_view "$token_id" | jq .bytes_delivered)"
reply=$(redeem "$token" "acceptance-resumer/1.0")
check "redeem link B again → 429 usage_limit_exceeded ($(status_of "$reply"))" \
    test "$(status_of "$reply"):$(body_of "$reply" | jq -r .error 2>/dev/null)" = "429:usage_limit_exceeded"

# 4. Parallel and segmented downloads of one grant (issue #9).
link=$(issue_link "$file_id") || exit 1
token=$(jq -r .token <<<"$link") token_id=$(jq -r .token_id <<<"$link")
info "link D: token $token_id, max_downloads 1"
url=$(body_of "$(redeem "$token" "acceptance-impatient/1.0")" | jq -r '.download_url // empty')
for i in $(seq 1 12); do
    curl -sS -o "$work/p$i.bin" -w '%{http_code}\n' "$url" >"$work/p$i.code" 2>/dev/null &
done
wait
copies=0 refused=0 other=""
for i in $(seq 1 12); do
    code=$(cat "$work/p$i.code")
    if [[ $code == 200 && $(sha256sum "$work/p$i.bin" | cut -d' ' -f1) == "$expected" ]]; then
        copies=$((copies + 1))
    elif [[ $code == 429 ]] && grep -q usage_limit_exceeded "$work/p$i.bin"; then # the refusal page names its code
        refused=$((refused + 1))
    else
        other="$other $code/$(stat -c %s "$work/p$i.bin")"
    fi
done
check "12 parallel GETs of one grant: at most one complete copy ($copies), the rest 429 usage_limit_exceeded ($refused)${other:+, other:$other}" \
    test "$copies" -le 1 -a $((copies + refused)) -eq 12
code=$(curl -sS -o "$work/again.bin" -w '%{http_code}' -H 'Range: bytes=0-' "$url")
check "then Range: bytes=0- on the same grant → 429 ($code)" test "$code" = 429
check "link D: consumed 1, reserved 0 (within 20 s)" await_uses "$token_id" '.consumed == 1 and .reserved == 0' 20
info "link D: bytes delivered $(token_view "$token_id" | jq .bytes_delivered) for a file of $((size_mib * 1024 * 1024))"

link=$(issue_link "$file_id") || exit 1
token=$(jq -r .token <<<"$link") token_id=$(jq -r .token_id <<<"$link")
info "link E: token $token_id, max_downloads 1"
url=$(body_of "$(redeem "$token" "aria2/1.37.0")" | jq -r '.download_url // empty')
aria2c -q -x 8 -s 8 -k 1M --allow-overwrite=true --auto-file-renaming=false -d "$work" -o e.bin "$url"
status=$?
actual=$(sha256sum "$work/e.bin" 2>/dev/null | cut -d' ' -f1)
check "aria2c -x 8 -s 8 → exit $status, SHA-256 matches ($actual)" test "$status:$actual" = "0:$expected"
check "link E: exactly one use consumed: consumed 1, reserved 0 (within 20 s)" \
    await_uses "$token_id" '.consumed == 1 and .reserved == 0' 20
info "link E: bytes delivered $(token_view "$token_id" | jq .bytes_delivered) for a file of $((size_mib * 1024 * 1024))"

# 5. (--edge-cases) A second client in the window where the killed download's use is given back.
if ((edge_cases)); then
    link=$(issue_link "$file_id") || exit 1
    token=$(jq -r .token <<<"$link") token_id=$(jq -r .token_id <<<"$link")
    info "link C: token $token_id, max_downloads 1"
    url=$(body_of "$(redeem "$token" "acceptance-first-client/1.0")" | jq -r '.download_url // empty')
    part=$work/c.bin
    rm -f "$part"
    curl -sS -o "$part" --limit-rate $((size_mib * 1024 * 1024 / 16)) "$url" &
    downloader=$!
    while kill -0 "$downloader" 2>/dev/null && (($(stat -c %s "$part" 2>/dev/null || echo 0) < half)); do sleep 0.05; done
    kill -KILL "$downloader" 2>/dev/null
    wait "$downloader" 2>/dev/null
    sleep 2
    info "first client killed at $(stat -c %s "$part") bytes; uses now $(uses "$token_id")"
    reply=$(redeem "$token" "acceptance-second-client/1.0")
    second_url=$(body_of "$reply" | jq -r '.download_url // empty')
    info "second client redeems: $(status_of "$reply") $(body_of "$reply" | jq -r '.error // "granted"')"
    copies=0
    if [[ -n $second_url ]]; then
        curl -sS -o "$work/d.bin" "$second_url"
        [[ $(sha256sum "$work/d.bin" | cut -d' ' -f1) == "$expected" ]] && copies=$((copies + 1))
    fi
    curl -sS -C - -o "$part" "$url"
    [[ $(sha256sum "$part" | cut -d' ' -f1) == "$expected" ]] && copies=$((copies + 1))
    sleep 3
    info "uses now $(uses "$token_id"), grants $(token_view "$token_id" | jq -c '[.grants[] | .status]')"
    check "edge case: a 1-download link delivers at most one whole copy (got $copies verified whole copies)" \
        test "$copies" -le 1
fi

echo
if ((failures == 0)); then echo "All checks passed."; else echo "$failures check(s) FAILED."; fi
exit $((failures > 0))
