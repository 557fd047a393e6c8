#!/usr/bin/env bash
# Chromium for the browser tests (Playwright drives the distribution's browser; it never downloads one).
# Sourced by eng/test.

chromium_ensure() {
  if [ -x "${BROKKR_CHROMIUM:-/usr/bin/chromium}" ]; then
    return 0
  fi
  echo "Chromium not found; installing it with apt-get (the browser test needs it)" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  else
    sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  fi
  if [ ! -x "${BROKKR_CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "Chromium could not be installed: the browser test will fail" >&2
    return 1
  fi
}
