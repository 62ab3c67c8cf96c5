#!/usr/bin/env bash
# Runs a real clamd in the foreground on 127.0.0.1:<port> with a signature database made for tests: one hash
# signature, Drawbridge-Test-EICAR, matching the 68-byte EICAR anti-virus test string. No download, no freshclam.
#
#   start-clamd.sh <work-dir> <port>
#
# clamd comes from Debian's clamav-daemon package (apt-get install -y clamav-daemon). Stop it with SIGTERM.
set -euo pipefail

work_dir=${1:?usage: start-clamd.sh <work-dir> <port>}
port=${2:?usage: start-clamd.sh <work-dir> <port>}
clamd_bin=$(command -v clamd || true)
[ -n "$clamd_bin" ] || { [ -x /usr/sbin/clamd ] && clamd_bin=/usr/sbin/clamd; } || true
if [ -z "$clamd_bin" ]; then
    echo "clamd not found: apt-get install -y clamav-daemon" >&2
    exit 127
fi

mkdir -p "$work_dir/db"
# The EICAR test string, in two pieces so that this script is not itself flagged by scanners.
eicar_a='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR'
eicar_b='-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
eicar="${eicar_a}${eicar_b}"
md5=$(printf '%s' "$eicar" | md5sum | cut -d' ' -f1)
# .hdb: MD5:size:name (a hash signature of the whole stream).
printf '%s:%s:Drawbridge-Test-EICAR\n' "$md5" "${#eicar}" > "$work_dir/db/drawbridge-test.hdb"

cat > "$work_dir/clamd.conf" <<CONF
TCPSocket $port
TCPAddr 127.0.0.1
DatabaseDirectory $work_dir/db
LogFile $work_dir/clamd.log
LogTime yes
PidFile $work_dir/clamd.pid
TemporaryDirectory $work_dir
Foreground yes
StreamMaxLength 200M
MaxThreads 2
CONF

exec "$clamd_bin" --config-file="$work_dir/clamd.conf"
