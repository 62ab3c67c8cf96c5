#!/bin/sh
# Creates the Secrets the manifests expect, one per service holding only what that service needs (least privilege),
# plus drawbridge-infra for the trial overlay's in-cluster Kafka, PostgreSQL and S3. Random values where we choose
# them; Stripe, Antistock, SMTP and the console password hash come from the environment. Prints the manifests
# (pipe to `kubectl apply -f -`, or to kubeseal); never commit the output.
#   STRIPE_WEBHOOK_SECRETS=whsec_... DRAWBRIDGE_CONSOLE_PASSWORD_HASH='{bcrypt}$2y$...' k8s/secrets.sh drawbridge-dev | kubectl apply -f -
# Prod: also make the same users and roles on the managed services: infra/postgres/roles.sh with the
# <SERVICE>_DB_PASSWORD values, infra/kafka/setup.sh with the <SERVICE>_KAFKA_PASSWORD values, and an S3 key that may
# only read the bucket (s3:GetObject) for the gateway, one that may read and write it for file-service; put those keys
# in DOWNLOAD_GATEWAY_S3_ACCESS_KEY/..._SECRET_KEY and FILE_SERVICE_S3_ACCESS_KEY/..._SECRET_KEY.
set -eu
ns=${1:?usage: k8s/secrets.sh NAMESPACE}
rand() { openssl rand -hex 32; }
admin_token=${DRAWBRIDGE_ADMIN_TOKEN:-$(rand)}
service_token=${DRAWBRIDGE_SERVICE_TOKEN:-$(rand)}

secret() {
    name=$1
    shift
    printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\ntype: Opaque\nstringData:\n' "$name" "$ns"
    for pair in "$@"; do
        printf '  %s: "%s"\n' "${pair%%=*}" "$(printf %s "${pair#*=}" | sed 's/\\/\\\\/g; s/"/\\"/g')"
    done
}
db() { echo "DRAWBRIDGE_DB_USER=$1" "DRAWBRIDGE_DB_PASSWORD=$(rand)"; }
kafka() { echo "DRAWBRIDGE_KAFKA_USERNAME=$1" "DRAWBRIDGE_KAFKA_PASSWORD=$(rand)"; }
s3_read_secret=${DOWNLOAD_GATEWAY_S3_SECRET_KEY:-$(rand)}
s3_write_secret=${FILE_SERVICE_S3_SECRET_KEY:-$(rand)}

# shellcheck disable=SC2046 # db/kafka print space-free pairs
secret download-gateway-secrets "DRAWBRIDGE_GRANT_SECRET=$(rand)" "DRAWBRIDGE_SERVICE_TOKEN=$service_token" \
    "DRAWBRIDGE_S3_ACCESS_KEY=${DOWNLOAD_GATEWAY_S3_ACCESS_KEY:-download-gateway}" "DRAWBRIDGE_S3_SECRET_KEY=$s3_read_secret" \
    $(kafka download-gateway)
# shellcheck disable=SC2046
secret token-service-secrets "DRAWBRIDGE_ADMIN_TOKEN=$admin_token" "DRAWBRIDGE_SERVICE_TOKEN=$service_token" \
    $(db token_service) $(kafka token-service) \
    "DRAWBRIDGE_SMTP_USERNAME=${DRAWBRIDGE_SMTP_USERNAME:-}" "DRAWBRIDGE_SMTP_PASSWORD=${DRAWBRIDGE_SMTP_PASSWORD:-}"
# shellcheck disable=SC2046
secret file-service-secrets "DRAWBRIDGE_ADMIN_TOKEN=$admin_token" "DRAWBRIDGE_SERVICE_TOKEN=$service_token" \
    "DRAWBRIDGE_S3_ACCESS_KEY=${FILE_SERVICE_S3_ACCESS_KEY:-file-service}" "DRAWBRIDGE_S3_SECRET_KEY=$s3_write_secret" \
    $(db file_service) $(kafka file-service)
# shellcheck disable=SC2046
secret order-sync-service-secrets "DRAWBRIDGE_ADMIN_TOKEN=$admin_token" "DRAWBRIDGE_SERVICE_TOKEN=$service_token" \
    "STRIPE_WEBHOOK_SECRETS=${STRIPE_WEBHOOK_SECRETS:-}" "STRIPE_API_KEY=${STRIPE_API_KEY:-}" \
    "ANTISTOCK_API_TOKEN=${ANTISTOCK_API_TOKEN:-}" $(db order_sync_service) $(kafka order-sync-service)
# shellcheck disable=SC2046
secret audit-service-secrets "DRAWBRIDGE_ADMIN_TOKEN=$admin_token" "DRAWBRIDGE_SERVICE_TOKEN=$service_token" \
    "DRAWBRIDGE_AUDIT_ERASURE_SALT=$(rand)" $(db audit_service) $(kafka audit-service)
# shellcheck disable=SC2046
secret console-secrets "DRAWBRIDGE_ADMIN_TOKEN=$admin_token" "DRAWBRIDGE_SERVICE_TOKEN=$service_token" \
    "DRAWBRIDGE_CONSOLE_USER=${DRAWBRIDGE_CONSOLE_USER:-seller}" \
    "DRAWBRIDGE_CONSOLE_PASSWORD_HASH=${DRAWBRIDGE_CONSOLE_PASSWORD_HASH:?set DRAWBRIDGE_CONSOLE_PASSWORD_HASH}" \
    $(db console) $(kafka console)
# the trial overlay's in-cluster infrastructure (unused in prod)
secret drawbridge-infra "POSTGRES_PASSWORD=$(rand)" "KAFKA_ADMIN_PASSWORD=$(rand)"
