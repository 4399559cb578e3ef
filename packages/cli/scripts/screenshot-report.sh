#!/usr/bin/env bash
# Renders an HTML report in headless Chromium and saves a screenshot.
#   scripts/screenshot-report.sh [report.html] [screenshot.png]
# Without a report, runs a small demo first (packages/cli must be built: pnpm turbo run build
# --filter=@dreampool/cli...). Needs chromium (Debian: apt-get install -y chromium).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
report="${1:-}"
png="${2:-$PWD/report.png}"
if [[ -z "$report" ]]; then
  report="$work/report.html"
  node "$here/dist/main.js" demo --size 300 --snapshot "$work/demo.dpool" --report "$report" >/dev/null
fi
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
  echo "screenshot-report: no chromium found (apt-get install -y chromium)" >&2
  exit 2
fi
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/profile" \
  --screenshot="$png" --window-size=1200,2000 "file://$(realpath "$report")" 2>/dev/null
echo "$png"
