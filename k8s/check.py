#!/usr/bin/env python3
"""Checks rendered overlays, the compose file and the alert files for the traps of issue 13 (run by k8s/validate).

Usage: k8s/check.py RENDERED.yaml...   |   k8s/check.py --write-rules
"""
import glob
import os
import re
import sys

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SERVICES = ["download-gateway", "token-service", "file-service", "order-sync-service", "audit-service", "console"]
RULES = os.path.join(ROOT, "infra/prometheus/rules/drawbridge.yml")
PROMETHEUS_RULE = os.path.join(ROOT, "k8s/monitoring/prometheusrule.yaml")
errors = []


def fail(where, message):
    errors.append(f"{where}: {message}")


def prometheus_rule():
    with open(RULES) as f:
        groups = yaml.safe_load(f)["groups"]
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "drawbridge", "labels": {"release": "kube-prometheus-stack"}},
        "spec": {"groups": groups},
    }


def write_rules():
    with open(PROMETHEUS_RULE, "w") as f:
        f.write("# Generated from infra/prometheus/rules/drawbridge.yml by `k8s/validate --write-rules`: edit that file.\n")
        yaml.safe_dump(prometheus_rule(), f, sort_keys=False, width=1000)


def env_names_read():
    """Environment variables the services read: ${NAME} in application.yml, plus Spring's relaxed names set here."""
    names = set()
    for service in SERVICES:
        with open(os.path.join(ROOT, service, "src/main/resources/application.yml")) as f:
            names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", f.read()))
    with open(os.path.join(ROOT, "platform/src/main/java/io/drawbridge/platform/PlatformDefaultsEnvironmentPostProcessor.java")) as f:
        source = f.read()
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", source))
        names |= set(re.findall(r"getProperty\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    # relaxed bindings of drawbridge.*/spring.*/management.* properties, set on purpose (README.md, "Deploying")
    names |= {"SERVER_PORT", "MANAGEMENT_SERVER_PORT", "JAVA_TOOL_OPTIONS", "LOG_FORMAT",
              "DRAWBRIDGE_FILE_CLAMD_HOST", "DRAWBRIDGE_FILE_CLAMD_PORT", "DRAWBRIDGE_GATEWAY_TRUSTFORWARDEDHEADERS"}
    return names


def matches(selector, labels):
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        if expr["operator"] == "In" and labels.get(expr["key"]) not in expr["values"]:
            return False
    return True


def check_rendered(path):
    name = os.path.basename(path)
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    workloads = {**by_kind.get("Deployment", {}), **by_kind.get("StatefulSet", {})}
    services = by_kind.get("Service", {})
    read = env_names_read()
    namespaces = by_kind.get("Namespace", {})
    if len(namespaces) != 1:
        fail(name, "expected one Namespace")
    for ns in namespaces.values():
        if ns["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce") != "restricted":
            fail(name, f"Namespace {ns['metadata']['name']} does not enforce Pod Security restricted")

    for wname, w in workloads.items():
        where = f"{name} {w['kind']}/{wname}"
        spec = w["spec"]
        tmpl = spec["template"]
        if not matches(spec["selector"], tmpl["metadata"].get("labels", {})):
            fail(where, "selector does not match the pod template's labels")
        pod = tmpl["spec"]
        if pod.get("automountServiceAccountToken") is not False:
            fail(where, "automountServiceAccountToken is not false")
        sa = pod.get("serviceAccountName")
        if sa and sa not in by_kind.get("ServiceAccount", {}):
            fail(where, f"ServiceAccount {sa} does not exist")
        psc = pod.get("securityContext", {})
        if psc.get("runAsNonRoot") is not True or psc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            fail(where, "pod securityContext lacks runAsNonRoot or seccompProfile RuntimeDefault")
        for c in pod["containers"] + pod.get("initContainers", []):
            cw = f"{where} container {c['name']}"
            image = c["image"]
            if ":" not in image.split("/")[-1] or image.endswith(":latest"):
                fail(cw, f"image {image} is not pinned to a version")
            limits = c.get("resources", {}).get("limits", {})
            requests = c.get("resources", {}).get("requests", {})
            if "memory" not in limits or "cpu" not in limits or "memory" not in requests or "cpu" not in requests:
                fail(cw, "missing cpu/memory requests or limits")
            if "readinessProbe" not in c or "livenessProbe" not in c:
                fail(cw, "missing readiness or liveness probe")
            sc = c.get("securityContext", {})
            if (sc.get("allowPrivilegeEscalation") is not False
                    or sc.get("capabilities", {}).get("drop") != ["ALL"]
                    or sc.get("runAsNonRoot") is not True):
                fail(cw, "securityContext is not restricted (allowPrivilegeEscalation false, drop ALL, runAsNonRoot)")
            for ref in c.get("envFrom", []):
                cm = ref.get("configMapRef", {}).get("name")
                if cm and cm not in by_kind.get("ConfigMap", {}):
                    fail(cw, f"ConfigMap {cm} does not exist")
            if wname in SERVICES:
                env = {e["name"] for e in c.get("env", [])}
                for ref in c.get("envFrom", []):
                    cm = by_kind.get("ConfigMap", {}).get(ref.get("configMapRef", {}).get("name"), {})
                    env |= set((cm.get("data") or {}).keys())
                unknown = sorted(n for n in env if n not in read)
                if unknown:
                    fail(cw, f"sets variables no service reads: {unknown}")
                # least privilege: a service's secrets come from its own Secret only
                for e in c.get("env", []):
                    secret = (e.get("valueFrom") or {}).get("secretKeyRef", {}).get("name")
                    if secret and secret != f"{wname}-secrets":
                        fail(cw, f"{e['name']} comes from Secret {secret}, not {wname}-secrets")
                if wname == "download-gateway" and env & {"DRAWBRIDGE_ADMIN_TOKEN", "DRAWBRIDGE_DB_PASSWORD"}:
                    fail(cw, "the gateway holds the admin token or a database login")
                ports = {p["name"] for p in c.get("ports", [])}
                if "management" not in ports:
                    fail(cw, "no management port")
                for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                    if c.get(probe, {}).get("httpGet", {}).get("port") not in (None, "management"):
                        fail(cw, f"{probe} is not on the management port")
                tag = image.rsplit(":", 1)[-1]
                if tag != EXPECTED_TAG:
                    fail(cw, f"image tag {tag} is not the version the build tags ({EXPECTED_TAG})")
        if wname == "download-gateway" and not pod.get("topologySpreadConstraints"):
            fail(where, "no topology spread")

    # replicas vs HPA, PDB vs replicas
    for hname, h in by_kind.get("HorizontalPodAutoscaler", {}).items():
        target = h["spec"]["scaleTargetRef"]["name"]
        w = workloads.get(target)
        if not w:
            fail(f"{name} HPA/{hname}", f"targets {target}, which does not exist")
            continue
        replicas = w["spec"].get("replicas", 1)
        lo, hi = h["spec"].get("minReplicas", 1), h["spec"]["maxReplicas"]
        if not lo <= replicas <= hi:
            fail(f"{name} HPA/{hname}", f"Deployment replicas {replicas} outside the HPA's {lo}..{hi}")
    for pname, p in by_kind.get("PodDisruptionBudget", {}).items():
        selected = [w for w in workloads.values() if matches(p["spec"]["selector"], w["spec"]["template"]["metadata"]["labels"])]
        if not selected:
            fail(f"{name} PDB/{pname}", "selects no workload")
            continue
        replicas = min(w["spec"].get("replicas", 1) for w in selected)
        hpa_min = min([h["spec"].get("minReplicas", 1) for h in by_kind.get("HorizontalPodAutoscaler", {}).values()
                       if h["spec"]["scaleTargetRef"]["name"] in [w["metadata"]["name"] for w in selected]] or [replicas])
        floor = min(replicas, hpa_min)
        if "minAvailable" in p["spec"] and int(p["spec"]["minAvailable"]) >= floor:
            fail(f"{name} PDB/{pname}", f"minAvailable {p['spec']['minAvailable']} with {floor} replica(s) blocks node drains")
        if "maxUnavailable" in p["spec"] and int(p["spec"]["maxUnavailable"]) < 1:
            fail(f"{name} PDB/{pname}", "maxUnavailable 0 blocks node drains")

    # Services select pods; Ingress backends exist
    for sname, s in services.items():
        sel = s["spec"].get("selector")
        if sel and not any(all(w["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in sel.items())
                           for w in workloads.values()):
            fail(f"{name} Service/{sname}", "selects no pod")
    for iname, ing in by_kind.get("Ingress", {}).items():
        for rule in ing["spec"]["rules"]:
            for p in rule["http"]["paths"]:
                backend = p["backend"]["service"]["name"]
                if backend not in services:
                    fail(f"{name} Ingress/{iname}", f"backend {backend} is not a Service")
                if backend == "order-sync-service" and (p["path"] != "/webhooks/stripe" or p["pathType"] != "Exact"):
                    fail(f"{name} Ingress/{iname}", "order-sync-service is published beyond /webhooks/stripe")
    if "drawbridge-public" not in by_kind.get("Ingress", {}):
        fail(name, "no public Ingress")
    # default deny
    if not any(p["spec"]["podSelector"] == {} and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
               and not p["spec"].get("ingress") and not p["spec"].get("egress")
               for p in by_kind.get("NetworkPolicy", {}).values()):
        fail(name, "no default-deny NetworkPolicy")
    for service in SERVICES:
        if not any(p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name") == service
                   for p in by_kind.get("NetworkPolicy", {}).values()):
            fail(name, f"no NetworkPolicy for {service}")
    # the public URL names something that exists
    cm = by_kind.get("ConfigMap", {})
    for c in cm.values():
        url = (c.get("data") or {}).get("DRAWBRIDGE_PUBLIC_URL")
        if url:
            host = re.sub(r"^https?://([^/:]+).*$", r"\1", url)
            hosts = [r.get("host") for i in by_kind.get("Ingress", {}).values() for r in i["spec"]["rules"]]
            if host not in hosts:
                fail(name, f"DRAWBRIDGE_PUBLIC_URL host {host} is not an Ingress host {hosts}")
        if c["metadata"]["name"].startswith("drawbridge-config") and not (c.get("data") or {}).get("DRAWBRIDGE_FILE_CLAMD_HOST"):
            fail(name, "scanning (DRAWBRIDGE_FILE_CLAMD_HOST) is off")
    # monitoring objects, when the overlay has them, must be the committed rules
    for rule in by_kind.get("PrometheusRule", {}).values():
        if rule["spec"] != prometheus_rule()["spec"]:
            fail(name, "PrometheusRule differs from infra/prometheus/rules/drawbridge.yml: run k8s/validate --write-rules")


def check_compose():
    path = os.path.join(ROOT, "infra/compose/docker-compose.yml")
    with open(path) as f:
        compose = yaml.safe_load(f)
    with open(os.path.join(ROOT, "infra/compose/.env.example")) as f:
        env_example = {line.split("=", 1)[0] for line in f if "=" in line and not line.startswith("#")}
    with open(path) as f:
        text = "".join(line for line in f if not line.lstrip().startswith("#"))
    for var in set(re.findall(r"(?<![$\\])\$\{([A-Z][A-Z0-9_]*)", text)):
        if var not in env_example:
            fail("compose", f"${{{var}}} is not in .env.example")
    read = env_names_read()
    for sname, s in compose["services"].items():
        where = f"compose {sname}"
        image = s.get("image", "")
        if not image or ":" not in image.split("/")[-1] or image.endswith(":latest"):
            fail(where, f"image {image!r} is not pinned")
        one_shot = s.get("restart") == "no"
        if "healthcheck" not in s and not one_shot:
            fail(where, "no healthcheck")
        for dep, cond in (s.get("depends_on") or {}).items():
            if dep not in compose["services"]:
                fail(where, f"depends on unknown {dep}")
            elif compose["services"][dep].get("restart") == "no":
                if cond.get("condition") != "service_completed_successfully":
                    fail(where, f"depends on the one-shot {dep} without service_completed_successfully")
            elif cond.get("condition") != "service_healthy":
                fail(where, f"depends on {dep} without service_healthy")
        for port in s.get("ports", []):
            if not str(port).startswith("127.0.0.1:") and sname != "caddy":
                fail(where, f"publishes {port} beyond the host's loopback")
        if sname in SERVICES:
            unknown = sorted(n for n in s.get("environment", {}) if n not in read)
            if unknown:
                fail(where, f"sets variables no service reads: {unknown}")
            env = s.get("environment", {})
            if sname == "download-gateway" and any(k in env for k in ("DRAWBRIDGE_ADMIN_TOKEN", "DRAWBRIDGE_DB_PASSWORD")):
                fail(where, "the gateway holds an admin or database credential")
            # least privilege: each service its own Kafka user and database role, the gateway the read-only S3 key
            if env.get("DRAWBRIDGE_KAFKA_USERNAME") != sname:
                fail(where, "does not log in to Kafka as its own user")
            if "DRAWBRIDGE_DB_PASSWORD" in env and env.get("DRAWBRIDGE_DB_USER") != sname.replace("-", "_"):
                fail(where, "does not log in to PostgreSQL as its own role")
            if sname == "download-gateway" and "S3_READ_" not in str(env.get("DRAWBRIDGE_S3_SECRET_KEY")):
                fail(where, "the gateway holds an S3 key other than the read-only one")
            secrets = {str(v) for k, v in env.items() if re.search(r"PASSWORD|SECRET|TOKEN|_KEY$", k)}
            for other, o in compose["services"].items():
                if other in SERVICES and other != sname:
                    oenv = o.get("environment", {})
                    for k in ("DRAWBRIDGE_DB_PASSWORD", "DRAWBRIDGE_KAFKA_PASSWORD"):
                        if k in oenv and str(oenv[k]).split(":")[0] in {x.split(":")[0] for x in secrets}:
                            fail(where, f"holds {other}'s {k}")
            if not image.endswith(":" + EXPECTED_TAG):
                fail(where, f"image {image} is not the version the build tags ({EXPECTED_TAG})")
    for needed in ("clamd", "smtp", "alertmanager", "kafka-setup", "s3-read"):
        if needed not in compose["services"]:
            fail("compose", f"no {needed}")
    if "GF_SECURITY_ADMIN_PASSWORD" not in compose["services"]["grafana"].get("environment", {}):
        fail("compose grafana", "default admin login")


def check_copies():
    """kustomize reads nothing outside an overlay: the trial's copies of the setup scripts must be the originals."""
    for original, copy in (("infra/postgres/roles.sh", "k8s/overlays/dev/postgres-roles.sh"),
                           ("infra/kafka/setup.sh", "k8s/overlays/dev/kafka-setup.sh")):
        with open(os.path.join(ROOT, original)) as a, open(os.path.join(ROOT, copy)) as b:
            if a.read() != b.read():
                fail(copy, f"differs from {original}: copy it again")


def check_runbook():
    with open(RULES) as f:
        alerts = [r["alert"] for g in yaml.safe_load(f)["groups"] for r in g["rules"] if "alert" in r]
    with open(os.path.join(ROOT, "infra/prometheus/RUNBOOK.md")) as f:
        sections = set(re.findall(r"^## (\w+)", f.read(), re.M))
    for alert in alerts:
        if alert not in sections:
            fail("RUNBOOK.md", f"no section for {alert}")
    with open(os.path.join(ROOT, "infra/prometheus/rules/tests/drawbridge-test.yml")) as f:
        tested = set(re.findall(r"alertname: (\w+)", f.read()))
    for alert in alerts:
        if alert not in tested:
            fail("drawbridge-test.yml", f"{alert} is not tested")


def expected_tag():
    with open(os.path.join(ROOT, "pom.xml")) as f:
        pom = f.read()
    version = re.search(r"<artifactId>drawbridge</artifactId>\s*<version>([^<]+)</version>", pom).group(1)
    return version.replace("-SNAPSHOT", "")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-rules"]:
        write_rules()
        sys.exit(0)
    EXPECTED_TAG = expected_tag()
    for rendered in sys.argv[1:]:
        check_rendered(rendered)
    check_compose()
    check_copies()
    check_runbook()
    for error in errors:
        print("FAIL", error)
    if errors:
        sys.exit(1)
    print(f"k8s: {len(sys.argv) - 1} overlays, compose, runbook: no trap found")
