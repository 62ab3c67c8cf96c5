#!/bin/sh
# Kafka for Drawbridge: the topics, one SCRAM user per service and ACLs that let each service write only its own
# topics (and the dead-letter topics of what it consumes) and read only what it consumes. Idempotent: run it after
# every upgrade. compose runs it as the one-shot `kafka-setup` container, the trial overlay (k8s/overlays/dev) as a
# Job; against a managed cluster run it once with an admin login (uses the Kafka CLI, /opt/kafka/bin in the
# apache/kafka image).
#   KAFKA_BOOTSTRAP          host:port of the brokers
#   KAFKA_ADMIN_CONFIG       a client properties file with the admin's SASL login (security.protocol, sasl.*)
#   KAFKA_PARTITIONS         partitions of each topic (6: token-service scales to 6 consumers of download-requests.v1)
#   KAFKA_REPLICATION_FACTOR 1 on one broker, 3 on a cluster
#   <SERVICE>_KAFKA_PASSWORD one per service (DOWNLOAD_GATEWAY_KAFKA_PASSWORD, TOKEN_SERVICE_..., FILE_SERVICE_...,
#                            ORDER_SYNC_SERVICE_..., AUDIT_SERVICE_..., CONSOLE_...): hex or base64 without '=',
#                            since kafka-configs parses `[password=...]`; SKIP_USERS=1 where users are made elsewhere
#                            (a managed service's console). Each user is named after its service.
# Topic names: events/src/main/java/io/drawbridge/events/Topics.java; who publishes what: DESIGN.md, "Services".
set -eu
BIN=${KAFKA_BIN:-/opt/kafka/bin}
: "${KAFKA_BOOTSTRAP:?set KAFKA_BOOTSTRAP}" "${KAFKA_ADMIN_CONFIG:?set KAFKA_ADMIN_CONFIG}"
PARTITIONS=${KAFKA_PARTITIONS:-6}
REPLICAS=${KAFKA_REPLICATION_FACTOR:-1}
TOPICS="download-requests.v1 download-replies.v1 downloads.v1 tokens.v1 orders.v1 files.v1 releases.v1 console.v1 shares.v1"

admin() {
    tool=$1
    shift
    "$BIN/$tool" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" "$@"
}

for topic in $TOPICS; do
    for name in "$topic" "$topic.dlt"; do
        admin kafka-topics.sh --create --if-not-exists --topic "$name" \
            --partitions "$PARTITIONS" --replication-factor "$REPLICAS" >/dev/null
    done
done
echo "kafka-setup: $(echo $TOPICS | wc -w) topics and their .dlt"

if [ "${SKIP_USERS:-0}" != 1 ]; then
    for service in download-gateway token-service file-service order-sync-service audit-service console; do
        var=$(echo "$service" | tr 'a-z-' 'A-Z_')_KAFKA_PASSWORD
        eval "password=\${$var:?set $var}"
        admin kafka-configs.sh --alter --entity-type users --entity-name "$service" \
            --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" >/dev/null
    done
    echo "kafka-setup: SCRAM users for the six services"
fi

# allow SERVICE OPERATION TOPIC...: literal topic ACLs
allow() {
    principal=User:$1
    operation=$2
    shift 2
    args=""
    for topic in "$@"; do
        args="$args --topic $topic"
    done
    # shellcheck disable=SC2086 # topic names have no spaces
    admin kafka-acls.sh --add --allow-principal "$principal" --operation "$operation" $args >/dev/null
}

# consumes SERVICE GROUP-PREFIX TOPIC...: read the topics, write their dead-letter topics, join the groups.
consumes() {
    service=$1
    groups=$2
    shift 2
    allow "$service" Read "$@"
    dlts=""
    for topic in "$@"; do
        dlts="$dlts $topic.dlt"
    done
    # shellcheck disable=SC2086
    allow "$service" Write $dlts
    admin kafka-acls.sh --add --allow-principal "User:$service" --operation Read \
        --group "$groups" --resource-pattern-type prefixed >/dev/null
}

for service in download-gateway token-service file-service order-sync-service audit-service console; do
    # Every service declares every topic at start-up (KafkaAdmin): it may see them, not create or change them.
    admin kafka-acls.sh --add --allow-principal "User:$service" --operation Describe --topic '*' >/dev/null
done
# publishes (DESIGN.md "Services"; events/EventCatalog.java maps each event to its topic)
allow download-gateway Write download-requests.v1 downloads.v1
allow token-service Write download-replies.v1 tokens.v1
allow file-service Write files.v1 releases.v1 shares.v1
allow order-sync-service Write orders.v1
allow console Write console.v1
# consumes (the @KafkaListener of each service; groups: its name, or the gateway's download-gateway-replies-<pod>)
consumes download-gateway download-gateway download-replies.v1
consumes token-service token-service download-requests.v1 orders.v1 files.v1 releases.v1
# shellcheck disable=SC2086
consumes audit-service audit-service $TOPICS
echo "kafka-setup: ACLs for the six services"
