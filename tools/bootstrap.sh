#!/usr/bin/env bash
# Install the system tools a nox session needs, when they are absent; say what is installed; do nothing when all
# are present. Called by the noxfile: `bootstrap.sh build` (what a build needs) or `bootstrap.sh tests` (also what
# the test suite's validators and browser tests need). Debian/Ubuntu, as root (or with sudo).
set -euo pipefail

need="${1:-build}"
# Debian package → a file or command that shows it is there.
declare -A BUILD=(
  [libpango-1.0-0]=lib:libpango-1.0.so.0       # WeasyPrint's text layout
  [libpangoft2-1.0-0]=lib:libpangoft2-1.0.so.0  # … and its FreeType/fontconfig back end
)
declare -A TESTS=(
  [libharfbuzz-subset0]=lib:libharfbuzz-subset.so.0  # the test that the PDF bytes do not depend on it
  [poppler-utils]=cmd:pdftoppm                       # page images
  [chromium]=file:/usr/bin/chromium                  # browser tests, DAISY Ace
  [default-jre-headless]=cmd:java                    # epubcheck, the Nu HTML Checker
  [git]=cmd:git                                      # the build date of a manuscript under git
  [npm]=cmd:npm                                      # to install DAISY Ace
)

present() {  # present KIND:WHAT
  local kind="${1%%:*}" what="${1#*:}"
  case "$kind" in
    cmd) command -v "$what" >/dev/null 2>&1 ;;
    file) [ -e "$what" ] ;;
    lib) ldconfig -p 2>/dev/null | grep -q "$what" ;;
  esac
}

missing=()
for package in "${!BUILD[@]}"; do present "${BUILD[$package]}" || missing+=("$package"); done
if [ "$need" = tests ]; then
  for package in "${!TESTS[@]}"; do present "${TESTS[$package]}" || missing+=("$package"); done
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: not a Debian/Ubuntu machine; install these yourself: ${missing[*]}" >&2
    exit 1
  fi
  echo "bootstrap: installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$need" = tests ] && ! command -v ace >/dev/null 2>&1; then
  # DAISY Ace (the EPUB accessibility checker) drives Debian's Chromium: no browser download.
  echo "bootstrap: installing DAISY Ace @daisy/ace@1.4.6 (npm)"
  as_root env PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    npm install --global --silent --no-audit --no-fund @daisy/ace@1.4.6 >/dev/null
fi
exit 0
