#!/usr/bin/env bash
# Installs, from Debian's packages, the servers and tools the tests and the demo start or run when they are
# missing: redis-server + redis-cli (each test starts its own instance; the system service is not used),
# promtool (Debian's prometheus package: the suite lints /metrics with it) and systemd-analyze (the unit test).
# Needs root or sudo; does nothing when everything is there.
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-server redis-tools)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing from Debian's packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packages may start system instances (redis on 6379, prometheus on 9090); the project never uses them.
for tool in redis-server redis-cli promtool systemd-analyze; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool still missing after apt-get install" >&2; exit 1; }
done
