#!/usr/bin/env bash
# Builds the Java runtime every Drawbridge image runs on, as a root file system that Jib lays on the empty
# `scratch` base (see the jib-maven-plugin configuration in the root pom.xml).
#
# Why not a registry base image pinned by digest: Jib pulls its base image from a registry (it cannot read a
# local Docker daemon here, and there is none), and the build machines and CI reach Maven Central, Debian and
# npm only. A runtime made from the machine's Debian packages builds offline, is pinned by package version
# (listed in /etc/drawbridge-runtime.txt inside the image) and takes security fixes with `apt-get upgrade` and
# a rebuild. Where a registry is reachable, build on a registry image pinned by digest instead:
#   ./mvnw -Pimages -DskipTests package -Ddrawbridge.runtime.skip=true \
#       -Djib.from.image=eclipse-temurin:17-jre@sha256:<digest>
#
# What is in it: a jlink'ed Java 17 runtime (the modules Spring Boot, Netty, Kafka and R2DBC use) at /opt/java,
# the shared libraries it links (glibc, zlib, libstdc++, libgcc), /etc/passwd and /etc/group with the non-root
# user drawbridge (10001), /tmp, and /opt/healthcheck (HealthCheck.java). No shell, no package manager.
#
# Usage: infra/docker/build-runtime.sh [output-dir]   (default: <repo>/target/jib-runtime)
# The output is reused while its inputs (JDK release, module list, library packages, this script) are unchanged.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$repo/target/jib-runtime}"
jdk="${DRAWBRIDGE_RUNTIME_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}"
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.transaction.xa,java.xml,jdk.charsets,jdk.crypto.ec,jdk.jfr,jdk.localedata,jdk.management,\
jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

if [ ! -d "$jdk/jmods" ]; then
    echo "build-runtime: $jdk has no jmods (Debian: apt-get install openjdk-17-jmods)" >&2
    exit 1
fi
stamp="$(
    cat "$jdk/release"
    echo "$modules"
    dpkg-query -W libc6 zlib1g libstdc++6 libgcc-s1 2>/dev/null || true
    sha256sum "$0" "$(dirname "$0")/HealthCheck.java" | cut -d' ' -f1
)"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ]; then
    exit 0
fi

rm -rf "$out"
root="$out/rootfs"
mkdir -p "$root/opt" "$root/etc" "$root/tmp" "$root/lib64"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$root/opt/java"

# The libraries the runtime links: the JVM's and the native libraries a server loads (no AWT, fonts, sound).
libs="$(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
        ! -name 'libawt*' ! -name 'libfontmanager.so' ! -name 'libjavajpeg.so' ! -name 'liblcms.so' \
        ! -name 'libmlib_image.so' ! -name 'libjsound.so' ! -name 'libsplashscreen.so' ! -name 'libjawt.so' \
        -exec ldd {} \; 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u)"
# The Debian package that owns a file (by its linked or its real path: /lib is a link to /usr/lib).
owner() {
    { dpkg-query -S "$1" || dpkg-query -S "/usr$1" || dpkg-query -S "$2" || dpkg-query -S "${2#/usr}"; } 2>/dev/null \
        | head -1 | cut -d: -f1
}
packages=""
for lib in $libs; do
    case "$lib" in "$root"/*) continue ;; esac # the runtime's own libraries
    real="$(readlink -f "$lib")"
    mkdir -p "$root$(dirname "$lib")"
    cp "$real" "$root$lib"
    packages="$packages $(owner "$lib" "$real")"
done
loader=/lib64/ld-linux-x86-64.so.2
cp "$(readlink -f "$loader")" "$root$loader"
packages="$packages $(owner "$loader" "$(readlink -f "$loader")")"

# The container health check of infra/compose (the image has no shell and no curl).
"$jdk/bin/javac" --release 17 -d "$root/opt/healthcheck" "$(dirname "$0")/HealthCheck.java"

printf 'root:x:0:0:root:/root:/sbin/nologin\ndrawbridge:x:10001:10001:drawbridge:/tmp:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\ndrawbridge:x:10001:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
{
    echo "# Drawbridge Java runtime, made by infra/docker/build-runtime.sh from these Debian packages"
    echo "jdk: $(owner "$jdk/bin/java" "$(readlink -f "$jdk/bin/java")") $(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$jdk/release")"
    echo "modules: $modules"
    for p in $(echo "$packages" | tr ' ' '\n' | sort -u); do
        dpkg-query -W -f='${Package} ${Version}\n' "$p" 2>/dev/null || echo "$p (not found by dpkg)"
    done
} >"$root/etc/drawbridge-runtime.txt"
echo "$stamp" >"$out/stamp"
echo "build-runtime: $(du -sh "$root" | cut -f1) in $root"
