#!/usr/bin/env bash
# Installs Debian's Chromium when it is missing: the run page's test drives it headless.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "browser: /usr/bin/chromium is missing and apt-get is not available; install Chromium to run the UI test" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "browser: installing chromium (Debian package)"
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium >/dev/null
