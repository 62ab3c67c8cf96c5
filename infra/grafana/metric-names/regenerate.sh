#!/usr/bin/env bash
# Rewrites <service>.txt from the services' /actuator/prometheus of a running stack (default: the dev stack on
# localhost:8080-8084), so that audit-service's MetricNamesCrossCheckIT checks the dashboards and alert rules
# against what the services really expose. Run it after some traffic (a download, an order), since counters with
# tags appear only once used.
# Usage: infra/grafana/metric-names/regenerate.sh [host]
# Moved ports (e.g. a dev stack started with --download-gateway-port=18080 ...): set DEVSTACK_<NAME>_PORT, the same
# variables bin/dev reads, e.g. DEVSTACK_DOWNLOAD_GATEWAY_PORT=18080 DEVSTACK_AUDIT_SERVICE_PORT=18084.
set -euo pipefail
host="${1:-localhost}"
dir="$(cd "$(dirname "$0")" && pwd)"
declare -A ports=(
  [download-gateway]="${DEVSTACK_DOWNLOAD_GATEWAY_PORT:-8080}"
  [token-service]="${DEVSTACK_TOKEN_SERVICE_PORT:-8081}"
  [file-service]="${DEVSTACK_FILE_SERVICE_PORT:-8082}"
  [order-sync-service]="${DEVSTACK_ORDER_SYNC_SERVICE_PORT:-8083}"
  [audit-service]="${DEVSTACK_AUDIT_SERVICE_PORT:-8084}"
)
for service in "${!ports[@]}"; do
  url="http://${host}:${ports[$service]}/actuator/prometheus"
  if ! body="$(curl -fsS --max-time 10 "$url")"; then
    echo "skipped ${service}: ${url} did not answer" >&2
    continue
  fi
  {
    echo "# Prometheus sample names ${service} exposes at /actuator/prometheus, one per line."
    echo "# source: SCRAPED from ${url} on $(date -u +%Y-%m-%dT%H:%M:%SZ) by regenerate.sh"
    printf '%s\n' "$body" | grep -v '^#' | sed -E 's/[{ ].*//' | grep -v '^$' | sort -u
  } > "${dir}/${service}.txt"
  echo "wrote ${dir}/${service}.txt ($(grep -vc '^#' "${dir}/${service}.txt") names)"
done
