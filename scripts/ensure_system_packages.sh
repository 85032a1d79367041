#!/usr/bin/env bash
# System packages the tests need: a chromium (the browser and PDF tests drive
# it with Playwright; never a downloaded browser), a CJK font (the book quotes
# the articles' Chinese headings) and poppler's pdftoppm (the PDF test looks at
# page images). chromium is found from $CHROMIUM or PATH.
#
# In CI (CI set, as .ci/run does) missing packages are installed with apt-get
# as root. Anywhere else the script only says what to install and fails: it
# never installs system packages on an instructor's machine by itself.
set -euo pipefail

missing=()
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$chromium" ] && [ -x "$chromium" ] || missing+=(chromium)
if ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    missing+=(fonts-noto-cjk)
fi
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ -z "${CI:-}" ] || [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "The tests need these system packages: ${missing[*]}." >&2
    echo "Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}; or set CHROMIUM" >&2
    echo "to a chromium you have) and run again." >&2
    exit 1
fi
echo "Installing ${missing[*]} with apt-get"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
