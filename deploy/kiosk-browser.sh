#!/usr/bin/env bash
# Kiosk launcher for a station touchscreen: Chromium full screen on the station's kiosk page.
# Usage: kiosk-browser.sh https://floorline.example/kiosk/cut-1
set -euo pipefail
url=${1:?kiosk URL, e.g. https://floorline.example/kiosk/cut-1}
exec chromium --kiosk --noerrdialogs --disable-infobars --no-first-run \
  --disable-session-crashed-bubble --disable-features=TranslateUI \
  --overscroll-history-navigation=0 --check-for-update-interval=31536000 "$url"
