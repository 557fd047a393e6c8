#!/usr/bin/env bash
# Tools the tests drive: Chromium for the browser test (Playwright uses the distribution's browser; it never
# downloads one) and kubectl for the fake Kubernetes API's tests.
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

# kubectl for the fake Kubernetes API's tests: they drive the real client (Debian package kubectl).
kubectl_ensure() {
  command -v "${BROKKR_KUBECTL:-kubectl}" >/dev/null 2>&1 && return 0
  echo "kubectl not found; installing it with apt-get (the fake API server's tests drive it)" >&2
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl >&2 || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl >&2; }
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl >&2 || { sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl >&2; }
  fi
}
