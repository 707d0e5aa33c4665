#!/usr/bin/env bash
# Installs Debian's chromium for the headless-browser test of the HTML report
# (plots/browser_test.go), only when /usr/bin/chromium is missing. Needs root
# (CI runs as root); uses sudo when available otherwise.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
	exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "chromium.sh: /usr/bin/chromium is missing and we are not root" >&2
		exit 1
	fi
fi

export DEBIAN_FRONTEND=noninteractive
APT=(-o DPkg::Lock::Timeout=600 -y -q)

for attempt in 1 2 3; do
	if $SUDO apt-get "${APT[@]}" update &&
		{ $SUDO apt-get "${APT[@]}" install --no-install-recommends chromium ||
			$SUDO apt-get "${APT[@]}" install chromium; }; then
		break
	fi
	echo "chromium.sh: attempt $attempt failed" >&2
	if [ "$attempt" = 3 ]; then
		exit 1
	fi
	sleep $((attempt * 10))
done

if [ ! -x /usr/bin/chromium ]; then
	echo "chromium.sh: apt-get succeeded but /usr/bin/chromium is missing" >&2
	exit 1
fi
/usr/bin/chromium --version || true
