#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright (browser downloads are not possible
# offline). Install it when missing and we are root; otherwise the browser tests skip with a reason.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium not installed and cannot install it here; browser tests will be skipped" >&2
  exit 0
fi
echo "installing Debian chromium for the browser tests..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || true
apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null || echo "chromium install failed; browser tests will be skipped" >&2
