#!/usr/bin/env bash
# Runs Mesa 3.3.1 and bin/runsim side by side on this machine and writes the
# table into docs/performance.md, between the bench-mesa markers (make
# bench-mesa, which builds bin/runsim first; never part of make test).
#
# The side-by-side script is the shared one, ../shared/reference/
# mesa-sidebyside.sh beside the repository (override with MESA_SBS): it
# alternates one Mesa process and one `runsim bench-model` process per seed,
# on the same seeds, and prints the medians and the ratios Mesa / runsim.
# It needs Debian's python3 with numpy, pandas, scipy, networkx and tqdm;
# they are installed with apt when missing (needs root, or sudo).
#
# Usage: bash docs/bench-mesa.sh [REPS]   (default 5; the 10^5-agent size runs
# at most 3 of them, each Mesa run takes over a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-5}
SBS=${MESA_SBS:-../shared/reference/mesa-sidebyside.sh}
BIN=bin/runsim
DOC=docs/performance.md
BEGIN='<!-- bench-mesa: begin (written by make bench-mesa; do not edit by hand) -->'
END='<!-- bench-mesa: end -->'

[ -f "$SBS" ] || { echo "bench-mesa: $SBS not found (the shared reference checkout beside the repository)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "bench-mesa: $BIN missing: run make build" >&2; exit 1; }
grep -qF "$BEGIN" "$DOC" && grep -qF "$END" "$DOC" || { echo "bench-mesa: the markers are missing from $DOC" >&2; exit 1; }

if ! /usr/bin/python3 -c 'import numpy, pandas, scipy, networkx, tqdm' 2>/dev/null; then
	SUDO=""
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null 2>&1 || { echo "bench-mesa: Python packages missing and we are not root" >&2; exit 1; }
		SUDO=sudo
	fi
	export DEBIAN_FRONTEND=noninteractive
	APT=(-o DPkg::Lock::Timeout=600 -y -q)
	$SUDO apt-get "${APT[@]}" update
	$SUDO apt-get "${APT[@]}" install python3-numpy python3-pandas python3-scipy python3-networkx python3-tqdm
fi

table=$(mktemp)
trap 'rm -f "$table" "$table.doc"' EXIT
load0=$(cut -d' ' -f1-3 /proc/loadavg)
bash "$SBS" "$BIN" "$REPS" >"$table"
load1=$(cut -d' ' -f1-3 /proc/loadavg)
grep -q '^| config ' "$table" || { echo "bench-mesa: no table from $SBS" >&2; exit 1; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
py=$(/usr/bin/python3 -c 'import platform; print(platform.python_version())')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- . ":!$DOC" 2>/dev/null || rev="$rev with local changes"
{
	echo "$BEGIN"
	echo
	echo "Measured with \`make bench-mesa\` on $(date -u +%Y-%m-%d): $(nproc) cores ($cpu), bin/runsim built"
	echo "from $rev with $(go env GOVERSION), Mesa 3.3.1 on Python $py; load average $load0 at the start,"
	echo "$load1 at the end (other jobs shared the machine). The command runs \`../shared/reference/mesa-sidebyside.sh bin/runsim $REPS\`: for each configuration it"
	echo "alternates one Mesa process and one \`runsim bench-model\` process $REPS times (at most 3 at 10^5 agents), on the"
	echo "same seeds, with Mesa's DataCollector off, and reports medians (n runs each). Loop: the stepping loop as each"
	echo "program times it; process: the whole process, wall clock; CPU: user + system time of the whole process."
	echo
	cat "$table"
	echo
	echo "$END"
} >"$table.doc"
awk -v begin="$BEGIN" -v end="$END" -v block="$table.doc" '
	$0 == begin { while ((getline line < block) > 0) print line; skip = 1; next }
	$0 == end { skip = 0; next }
	!skip { print }
' "$DOC" >"$DOC.new"
mv "$DOC.new" "$DOC"
echo "bench-mesa: table written into $DOC" >&2
