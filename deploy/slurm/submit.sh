#!/usr/bin/env bash
# submit.sh: queue a sharded frontiersim run on Slurm: a job array of SHARDS
# shard tasks (runsim-array.sbatch) and a merge job (merge.sbatch) that starts
# only when every task has succeeded.
#
# Usage: deploy/slurm/submit.sh EXPERIMENT.toml OUTDIR [sbatch options...]
#
#   The sbatch options (e.g. -p PARTITION -A ACCOUNT --time=...) are given to
#   both jobs. OUTDIR must be on a file system every node sees.
#   Environment:
#     SHARDS  number of array tasks (default 10)
#     CPUS    cpus (= runsim workers) per task (default 4)
#     RUNSIM  the runsim binary (default: runsim on PATH, else bin/runsim of
#             this checkout); it must be reachable from every node.
#
# Prints "array_job=ID" and "merge_job=ID" on stdout; results end up in
# OUTDIR/merged, logs in OUTDIR/logs.
set -euo pipefail

die() { echo "submit.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] || { sed -n '2,17p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
exp=$1 out=$2
shift 2

SHARDS=${SHARDS:-10}
CPUS=${CPUS:-4}
case $SHARDS in ''|*[!0-9]*|0) die "SHARDS=$SHARDS: want a whole number >= 1" ;; esac
case $CPUS in ''|*[!0-9]*|0) die "CPUS=$CPUS: want a whole number >= 1" ;; esac
if [ -z "${RUNSIM:-}" ]; then
  RUNSIM=$(command -v runsim || true)
  [ -n "$RUNSIM" ] || RUNSIM=$here/../../bin/runsim
fi
[ -x "$RUNSIM" ] || RUNSIM=$(command -v "$RUNSIM" || true)
[ -n "$RUNSIM" ] && [ -x "$RUNSIM" ] || die "runsim not found: set RUNSIM or run make build"
[ -f "$exp" ] || die "no experiment file $exp"

# The jobs see these through sbatch's default --export=ALL. Absolute paths,
# since the jobs need not start in this directory.
RUNSIM=$(realpath "$RUNSIM")
EXPERIMENT=$(realpath "$exp")
OUT=$(realpath -m "$out")
export RUNSIM EXPERIMENT OUT SHARDS

# A broken experiment fails here, not in every task.
"$RUNSIM" validate "$EXPERIMENT" >&2 || die "$EXPERIMENT is not a valid experiment"
mkdir -p "$OUT/logs"    # Slurm does not create the directories of --output

array=$(sbatch --parsable --array="1-$SHARDS" --cpus-per-task="$CPUS" \
          --output="$OUT/logs/shard-%a.out" "$@" "$here/runsim-array.sbatch") \
  || die "sbatch of the shard array failed"
array=${array%%;*}      # --parsable prints ID or ID;CLUSTER

# afterok: start only if every array task exits 0. --kill-on-invalid-dep=yes:
# if a task fails, cancel the merge job instead of leaving it pending forever
# (Reason=DependencyNeverSatisfied), which is what Slurm does unless the
# cluster sets DependencyParameters=kill_invalid_depend.
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
          --output="$OUT/logs/merge.out" "$@" "$here/merge.sbatch") \
  || { scancel "$array" || true; die "sbatch of the merge job failed; cancelled array job $array"; }
merge=${merge%%;*}

echo "array_job=$array"
echo "merge_job=$merge"
cat >&2 <<MSG
submit.sh: queued $SHARDS shard task(s) as array job $array and the merge as job $merge.
  watch:   squeue -j $array,$merge
  logs:    $OUT/logs/
  results: $OUT/merged (once job $merge has completed: check its state, e.g.
           scontrol show job $merge or sacct -j $merge, not only the files)
MSG
