#!/usr/bin/env bash
# A one-node Slurm on 127.0.0.1 from Debian's packages (slurmctld slurmd munge slurm-client), for CI and for trying the
# job-array flow on one machine: `local-cluster.sh start` writes /etc/slurm/slurm.conf (never over a config it did not
# write), starts munged, slurmctld and slurmd, and waits until the node is idle; `local-cluster.sh stop` stops them.
# Runs as root (SlurmUser=root). State, spool and logs live under $KBH_SLURM_DIR (default /tmp/kbh-slurm).
set -euo pipefail
dir="${KBH_SLURM_DIR:-/tmp/kbh-slurm}"
conf=/etc/slurm/slurm.conf
marker="# written by kbh scripts/slurm/local-cluster.sh"
host="$(hostname -s)"

die() { echo "local-cluster: $*" >&2; exit 1; }

write_conf() {
  [[ -f "$conf" ]] && ! grep -qF "$marker" "$conf" && die "$conf exists and was not written by this script; not touching a real cluster's config"
  mkdir -p /etc/slurm "$dir/state" "$dir/spool"
  cat > "$conf" <<CONF
$marker
ClusterName=kbh-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

start_munge() {
  if pgrep -x munged >/dev/null; then return; fi
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  [[ -s /etc/munge/munge.key ]] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
  if id munge >/dev/null 2>&1; then runuser -u munge -- munged; else munged --force; fi
}

stop_pid() { [[ -f "$1" ]] && kill "$(cat "$1")" 2>/dev/null || true; }

case "${1:-}" in
  start)
    command -v slurmctld >/dev/null || die "slurmctld not installed: apt-get install -y slurmctld slurmd munge slurm-client"
    write_conf
    start_munge
    if ! scontrol ping 2>/dev/null | grep -q UP; then slurmctld -c; fi
    pgrep -x slurmd >/dev/null || slurmd
    for _ in $(seq 1 60); do
      state="$(sinfo -h -n "$host" -o %T 2>/dev/null || true)"
      [[ "$state" == idle* ]] && { echo "local-cluster: node $host idle (logs in $dir)"; exit 0; }
      # A node left down by an earlier stop comes back once asked.
      [[ "$state" == down* || "$state" == drain* ]] && scontrol update nodename="$host" state=resume 2>/dev/null || true
      sleep 1
    done
    die "node $host not idle after 60 s (state '${state:-none}'); see $dir/slurmctld.log and $dir/slurmd.log"
    ;;
  stop)
    stop_pid "$dir/slurmd.pid"
    stop_pid "$dir/slurmctld.pid"
    stop_pid /run/munge/munged.pid
    echo "local-cluster: stopped"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
