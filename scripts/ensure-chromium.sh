#!/usr/bin/env bash
# Makes sure Debian's chromium is installed, for the dashboard's browser test. Tests must not download a
# browser of their own; this uses the distribution's package.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "chromium is not installed and this user cannot install it: run 'apt-get install chromium' as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium
