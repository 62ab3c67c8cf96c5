#!/usr/bin/env python3
"""Strict, offline validation of rendered overlays against the Kubernetes API (run by k8s/validate).

Every object becomes a TypeScript constant typed with its kind from `kubernetes-types` (generated from the
Kubernetes 1.30 OpenAPI document; pinned in package.json), and the TypeScript compiler checks them: an unknown
field anywhere (excess property), a wrong type, a missing required field or a wrong apiVersion/kind fails. Objects
of custom resources (the Prometheus Operator's) have no types there and are listed as not checked.

Usage: k8s/schema/typecheck.py RENDERED.yaml...   (needs node and `npm ci` in k8s/schema)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CORE_GROUPS = {"": "core"}


def module(api_version):
    group, _, version = api_version.rpartition("/")
    name = CORE_GROUPS.get(group, group.split(".")[0])
    path = os.path.join(HERE, "node_modules", "kubernetes-types", name, version + ".d.ts")
    return (f"kubernetes-types/{name}/{version}", path) if os.path.exists(path) else (None, None)


def main(paths):
    lines, skipped, unknown, count = [], [], [], 0
    for path in paths:
        with open(path) as f:
            for i, doc in enumerate(d for d in yaml.safe_load_all(f) if d):
                mod, dts = module(doc["apiVersion"])
                kind = doc["kind"]
                if not mod:
                    skipped.append(f"{doc['apiVersion']} {kind}/{doc['metadata']['name']}")
                    continue
                if not re.search(rf"export interface {kind} \{{", open(dts).read()):
                    unknown.append(f"FAIL {os.path.basename(path)}: {doc['apiVersion']} has no kind {kind}")
                    continue
                alias = f"T{count}"
                lines.append(f'import type {{ {kind} as {alias} }} from "{mod}";')
                where = f"{os.path.basename(path)} {kind}/{doc['metadata']['name']}"
                lines.append(f"// {where}\nexport const o{count}: {alias} = {json.dumps(doc, indent=1)};")
                count += 1
    if unknown:
        print("\n".join(unknown))
        sys.exit(1)
    with tempfile.TemporaryDirectory(dir=HERE) as tmp:
        source = os.path.join(tmp, "objects.ts")
        with open(source, "w") as f:
            f.write("\n".join(lines) + "\n")
        tsc = os.path.join(HERE, "node_modules", "typescript", "bin", "tsc")
        result = subprocess.run(["node", tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "es2020",
                                 "--moduleResolution", "node", source], capture_output=True, text=True)
        if result.returncode != 0:
            text = open(source).read().split("\n")
            for error in result.stdout.splitlines():
                m = re.match(r".*objects\.ts\((\d+),\d+\): (.*)", error)
                if m:
                    line = int(m.group(1))
                    owner = next((t[3:] for t in reversed(text[:line]) if t.startswith("// ")), "?")
                    print(f"FAIL {owner}: line {line}: {m.group(2)}")
                else:
                    print(error)
            sys.exit(1)
    print(f"k8s: {count} objects valid against the Kubernetes 1.30 API types (strict: no unknown fields)")
    if skipped:
        print(f"k8s: not schema-checked (custom resources): {', '.join(sorted(set(skipped)))}")


if __name__ == "__main__":
    main(sys.argv[1:])
