#!/usr/bin/env bash
# slurm-local.sh: install, configure and run a single-node Slurm cluster on this
# machine (Debian 12, root, no systemd needed as PID 1), for tests that need a
# real scheduler (job arrays, dependencies). frontiersim's copy, used by
# deploy/slurmtest (make test-slurm) and .ci/slurm.sh; see deploy/README.md.
#
# Usage: slurm-local.sh [all|install|configure|start|test|stop|status]
#   all       (default) install + configure + start + test (4-task array) + stop
#   install   apt-get install the Debian packages (skipped if already installed)
#   configure write /etc/slurm/slurm.conf and /etc/slurm/cgroup.conf
#   start     install + configure + start munged, slurmctld, slurmd; waits until
#             the node is idle and leaves the daemons running (PIDs in $STATE/pids)
#   test      submit a 4-task array (polling squeue) and check its outputs
#   stop      cancel remaining jobs, stop the daemons this script started (by PID)
#   status    show the daemons this script started and sinfo
#
# Only daemons started by this script are stopped, by the PIDs it recorded.
# Runtime state (spool, logs, pids, jobcomp.log) lives under $SLURM_LOCAL_STATE
# (default /tmp/frontiersim-slurm) and is wiped on every start, so job IDs
# restart at 1. SLURM_LOCAL_KILL_INVALID_DEPEND=0 leaves kill_invalid_depend
# out of slurm.conf, like most production clusters (see deploy/README.md).
set -euo pipefail

STATE=${SLURM_LOCAL_STATE:-/tmp/frontiersim-slurm}
PIDS=$STATE/pids
TESTDIR=${SLURM_LOCAL_TESTDIR:-/tmp/frontiersim-slurm-smoke}
KILL_INVALID_DEPEND=${SLURM_LOCAL_KILL_INVALID_DEPEND:-1}
CONF=/etc/slurm/slurm.conf
NODE=localhost
PKGS=(slurm-wlm slurmctld slurmd slurm-client munge)

log() { printf '[slurm-local %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

[ "$(id -u)" = 0 ] || die "must run as root"
case $STATE in /*/?*) ;; *) die "SLURM_LOCAL_STATE must be an absolute path at least two levels deep" ;; esac
case $TESTDIR in /*/?*) ;; *) die "SLURM_LOCAL_TESTDIR must be an absolute path at least two levels deep" ;; esac

# ---------------------------------------------------------------- install
do_install() {
  local missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "packages already installed: ${PKGS[*]}"
    return 0
  fi
  log "installing: ${missing[*]}"
  # No init system here: make sure package postinst scripts don't try to start
  # the daemons (a policy-rc.d that exits 101 is the Debian way to say so).
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local ok=0 try
  for try in 1 2 3; do
    # Other processes on the machine may hold the apt/dpkg locks: wait for them.
    if apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 update -qq \
            >"$STATE.apt.log" 2>&1 \
       && apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 install -y -qq \
            --no-install-recommends "${missing[@]}" >>"$STATE.apt.log" 2>&1; then
      ok=1; break
    fi
    log "apt-get failed (try $try), see $STATE.apt.log; retrying in 10 s"
    tail -5 "$STATE.apt.log" >&2 || true
    sleep 10
  done
  [ $own_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ $ok = 1 ] || die "could not install ${missing[*]}"
  log "installed"
}

# ---------------------------------------------------------------- configure
do_configure() {
  command -v slurmd >/dev/null || die "slurmd not installed (run: $0 install)"
  mkdir -p /etc/slurm
  # Hardware line as slurmd sees it (CPUs, sockets, cores, threads, memory), with
  # the node renamed to "localhost" so the config does not depend on the hostname.
  local hw
  hw=$(slurmd -C | head -1 | sed -E 's/^NodeName=[^ ]+ //')
  [ -n "$hw" ] || die "slurmd -C printed nothing"
  local dep_params='# kill_invalid_depend left out (SLURM_LOCAL_KILL_INVALID_DEPEND=0)'
  if [ "$KILL_INVALID_DEPEND" != 0 ]; then
    # kill_invalid_depend: a job whose dependency can never be met (e.g. a merge
    # job with --dependency=afterok on an array that had a failed task) is
    # cancelled instead of pending forever. In 22.05 it must be in
    # DependencyParameters: SchedulerParameters silently ignores it.
    dep_params=$'# kill_invalid_depend: cancel jobs whose dependency can never be met.\nDependencyParameters=kill_invalid_depend'
  fi
  cat > "$CONF" <<EOF
# Single-node Slurm for local tests; written by slurm-local.sh
ClusterName=local
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$STATE/spool/ctld
SlurmdSpoolDir=$STATE/spool/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
# No cgroups needed: track processes through /proc, no task binding, no
# accounting gatherer. (proctrack/cgroup + task/cgroup also worked on this VM,
# whose cgroup v1 hierarchy root can write to, but these need nothing.)
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# Without slurmdbd there is no sacct: keep a text record of finished jobs instead.
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE/log/jobcomp.log
MailProg=/bin/true
MpiDefault=none
SchedulerType=sched/backfill
$dep_params
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$NODE NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  # Only read if a cgroup plugin is configured; harmless otherwise.
  [ -e /etc/slurm/cgroup.conf ] || echo 'ConstrainCores=no' > /etc/slurm/cgroup.conf
  log "wrote $CONF (node: $NODE $hw)"
}

# ---------------------------------------------------------------- helpers
# pid_alive PID COMM: true if PID runs (not a zombie waiting for init to reap
# it) and its command name is COMM, so a recycled PID is never signalled.
pid_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
  stat=${stat##*) }            # fields after "(comm) "; the first is the state
  [ "${stat%% *}" != Z ]
}

record() { echo "$1 $2" >> "$PIDS"; }   # name pid

wait_for() {  # seconds description command...
  local secs=$1 what=$2; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || { log "timed out after ${secs}s waiting for $what"; return 1; }
    sleep 0.2
  done
}

munge_ok() { munge -n | unmunge >/dev/null; }
ctld_up()  { scontrol ping | grep -q 'is UP'; }
node_idle() { [ "$(sinfo -h -N -n "$NODE" -o %T 2>/dev/null)" = idle ]; }

# ---------------------------------------------------------------- start
do_start() {
  # Daemons left by an earlier start of this script: stop them (by recorded PID).
  [ -s "$PIDS" ] && do_stop
  rm -rf "$STATE"
  mkdir -p "$STATE/spool/ctld" "$STATE/spool/d" "$STATE/log"
  : > "$PIDS"

  # munged: reuse one that already answers (and leave it alone), else start ours.
  if munge_ok 2>/dev/null; then
    log "munged already running; reusing it (will not stop it)"
  else
    [ -s /etc/munge/munge.key ] || { mungekey --create --keyfile=/etc/munge/munge.key;
                                     chown munge:munge /etc/munge/munge.key; chmod 600 /etc/munge/munge.key; }
    install -d -o munge -g munge -m 0755 /run/munge
    # setsid puts each daemon in its own session, so that killing the caller's
    # process group (a CI timeout, say) leaves it to "stop"; setsid and setpriv
    # exec in place, so $! is the daemon's own PID. munged -F: foreground.
    setsid setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F \
      </dev/null >>"$STATE/log/munged.stdout" 2>&1 &
    record munged $!
    wait_for 20 munged munge_ok || die "munged did not come up (see /var/log/munge/munged.log)"
    log "munged started, PID $!"
  fi

  for port in 6817 6818; do
    ss -Hltn "sport = :$port" | grep -q . && die "port $port already in use: another Slurm running?"
  done

  setsid /usr/sbin/slurmctld -D </dev/null >>"$STATE/log/slurmctld.stdout" 2>&1 &
  record slurmctld $!
  wait_for 30 slurmctld ctld_up || die "slurmctld not up; see $STATE/log/slurmctld.log"
  log "slurmctld started, PID $!"

  setsid /usr/sbin/slurmd -D -N "$NODE" </dev/null >>"$STATE/log/slurmd.stdout" 2>&1 &
  record slurmd $!
  wait_for 30 slurmd node_idle || { sinfo -N -l >&2; die "node not idle; see $STATE/log/slurmd.log"; }
  log "slurmd started, PID $!; node $NODE idle"
  sinfo >&2
}

# ---------------------------------------------------------------- test
do_test() {
  ctld_up || die "slurmctld not running (run: $0 start)"
  rm -rf "$TESTDIR"; mkdir -p "$TESTDIR"
  local t0 jobid i
  t0=$(now)
  jobid=$(sbatch --parsable --array=0-3 --chdir="$TESTDIR" \
            -o "$TESTDIR/slurm-%A_%a.out" \
            --wrap "echo \$SLURM_ARRAY_TASK_ID > $TESTDIR/out.\$SLURM_ARRAY_TASK_ID") || die "sbatch failed"
  jobid=${jobid%%;*}
  # Poll squeue every 0.2 s: sbatch --wait sleeps 2 s, then 8 s, between checks.
  # shellcheck disable=SC2016  # expanded by the inner sh
  wait_for 120 "array job $jobid" sh -c '[ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]' _ "$jobid" \
    || die "array job $jobid still queued"
  log "array job $jobid finished in $(since "$t0") s"
  # One record per task while the controller remembers the job (MinJobAge, 300 s).
  local bad
  bad=$(scontrol -o show job "$jobid" | grep -v 'JobState=COMPLETED .*ExitCode=0:0' || true)
  [ -z "$bad" ] || { echo "$bad" >&2; die "array job $jobid: a task failed"; }
  for i in 0 1 2 3; do
    [ "$(cat "$TESTDIR/out.$i" 2>/dev/null)" = "$i" ] || die "out.$i missing or wrong"
  done
  log "all 4 outputs correct: $(cd "$TESTDIR" && echo out.*)"
}

# ---------------------------------------------------------------- stop
do_stop() {
  if [ ! -s "$PIDS" ]; then log "nothing recorded in $PIDS; nothing to stop"; return 0; fi
  if ctld_up 2>/dev/null; then
    local jobs
    jobs=$(squeue -h -o %A 2>/dev/null | tr '\n' ' ')
    if [ -n "${jobs// }" ]; then
      log "cancelling jobs: $jobs"
      # shellcheck disable=SC2086
      scancel $jobs || true
      # shellcheck disable=SC2016  # expanded by the inner sh
      wait_for 30 jobs-gone sh -c '[ -z "$(squeue -h -o %A)" ]' || log "jobs still listed"
    fi
  fi
  # Stop in reverse start order, each by its recorded PID.
  local name pid i
  tac "$PIDS" | while read -r name pid; do
    if pid_alive "$pid" "$name"; then
      kill -TERM "$pid"
      for i in $(seq 100); do pid_alive "$pid" "$name" || break; sleep 0.1; done
      if pid_alive "$pid" "$name"; then kill -KILL "$pid"; log "$name PID $pid killed (SIGKILL)";
      else log "$name PID $pid stopped"; fi
    else
      log "$name PID $pid not running"
    fi
  done
  : > "$PIDS"
}

do_status() {
  [ -s "$PIDS" ] && while read -r name pid; do
    if pid_alive "$pid" "$name"; then echo "$name $pid running"; else echo "$name $pid gone"; fi
  done < "$PIDS"
  sinfo 2>&1 || true
}

# ---------------------------------------------------------------- main
mkdir -p "$(dirname "$STATE")"
cmd=${1:-all}
T0=$(now)
case $cmd in
  install)   do_install ;;
  configure) do_configure ;;
  start)     do_install; do_configure; do_start ;;
  test)      do_test ;;
  stop)      do_stop ;;
  status)    do_status ;;
  all)
    do_install;   T_INST=$(since "$T0")
    do_configure
    trap 'rc=$?; do_stop || true; exit $rc' EXIT
    do_start;     T_START=$(since "$T0")
    do_test;      T_TEST=$(since "$T0")
    trap - EXIT
    do_stop;      T_STOP=$(since "$T0")
    log "timings (s since start): installed $T_INST, cluster ready $T_START, array done $T_TEST, stopped $T_STOP"
    ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
