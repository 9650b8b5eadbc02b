#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium, for the browser tests
# (test/e2e/playground.e2e.test.ts drives it with playwright-core; test/cards/status-budget.test.ts
# renders cards in it), with the colour emoji font: the cards' state icons (🔴 ✅ ⛔) are emoji, and
# without the font they are measured (and shown in the PNGs) as narrower boxes.
# Idempotent: does nothing when both are there. Installing needs root.
# Never use `npx playwright install` here: it downloads a browser of its own and fails.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
EMOJI_FONT=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf

if [ -x "$CHROMIUM" ] && [ -f "$EMOJI_FONT" ]; then
  echo "ensure-chromium: $CHROMIUM is there ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))."
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing and installing it needs root." >&2
  echo "  Run as root: apt-get update && apt-get install -y chromium fonts-noto-color-emoji" >&2
  exit 1
fi

echo "ensure-chromium: installing Debian's chromium and fonts-noto-color-emoji packages…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished, but $CHROMIUM is still missing." >&2
  exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")."
