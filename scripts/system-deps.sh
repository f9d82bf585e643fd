#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing.
# Each entry: "command-to-check debian-package".
set -euo pipefail
need=()
while read -r cmd pkg; do
  [ -z "$cmd" ] && continue
  command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done <<'LIST'
chromium chromium
java openjdk-17-jre-headless
LIST
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing system packages: ${need[*]} (run as root or install them)" >&2
    exit 1
  fi
  echo "installing system packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
