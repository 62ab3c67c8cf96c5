#!/usr/bin/env bash
# Queries Prometheus (/api/v1/query) with every panel expression of every Grafana dashboard and prints, per panel and
# target, the number of series the expression returns now. Grafana variables are replaced: $__rate_interval -> 1m,
# $__range -> RANGE (default 10m), $service -> regex .* (all services).
# Usage: bench/audit/panels-non-empty.sh [prometheus-url]   (default http://127.0.0.1:9090)
# Exit status 1 when any expression returns no series (or fails).
set -euo pipefail
prom="${1:-http://127.0.0.1:9090}"
range="${RANGE:-10m}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
empty=0 total=0
for dashboard in "$root"/infra/grafana/dashboards/*.json; do
  echo "## $(basename "$dashboard")"
  while IFS=$'\t' read -r title ref expr; do
    q="${expr//\$__rate_interval/1m}"
    q="${q//\$__range/$range}"
    q="${q//\$\{service\}/.*}"
    q="${q//\$service/.*}"
    total=$((total + 1))
    if answer="$(curl -fsS --max-time 20 --get --data-urlencode "query=$q" "$prom/api/v1/query")" \
        && [[ $(jq -r .status <<<"$answer") == success ]]; then
      n="$(jq '.data.result | if type == "array" then length else 1 end' <<<"$answer")"
    else
      n="ERROR"
    fi
    [[ $n == 0 || $n == ERROR ]] && empty=$((empty + 1))
    printf '%-6s %-45s %-2s %s\n' "$n" "$title" "$ref" "$expr"
  done < <(jq -r '.. | objects | select(has("targets") and (.targets | type == "array"))
                 | .title as $t | .targets[] | select(.expr) | [$t, (.refId // "-"), .expr] | @tsv' "$dashboard")
done
echo "expressions: $total, empty or failing: $empty"
[[ $empty == 0 ]]
