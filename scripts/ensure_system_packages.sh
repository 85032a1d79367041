#!/usr/bin/env bash
# System packages the tests need: Debian's chromium (the browser test drives it
# with Playwright; never a downloaded browser) and a CJK font (the book quotes
# the articles' Chinese headings). Installed with apt-get when missing and
# running as root; otherwise the script says how to install them and fails.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    missing+=(fonts-noto-cjk)
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "The tests need these system packages: ${missing[*]}." >&2
    echo "Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run again." >&2
    exit 1
fi
echo "Installing ${missing[*]} with apt-get"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
