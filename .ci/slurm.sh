#!/usr/bin/env bash
# CI: install Debian's Slurm and munge packages (slurm-wlm, slurmctld, slurmd,
# slurm-client, munge) if missing, so that "make test-slurm" finds them. It
# only installs: the test (deploy/slurmtest) starts and stops the one-node
# cluster itself with deploy/slurm/slurm-local.sh start/stop, which would
# also install the packages; running this first just makes the install show
# up (and fail) as its own CI step. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash deploy/slurm/slurm-local.sh install
