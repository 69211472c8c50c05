#!/usr/bin/env bash
# One simulated host of the lab (lab.sh): a dockerd in network namespace reviews-hN, with its own hostname (Swarm
# names nodes by it), cgroup mounts (`ip netns exec` remounts /sys), data root (/var/lib/reviews-lab/hN), and
# sockets and pid file under ROOT.
#   ip netns exec reviews-hN deploy/swarm/dockerd-in-ns.sh N ROOT
[[ -z "${IN_UTS:-}" ]] && IN_UTS=1 exec unshare --uts "$0" "$@"
set -eu
n=$1 root=$2
mount -t tmpfs -o mode=755 cgroup_root /sys/fs/cgroup
for c in cpu cpuacct cpuset memory devices freezer blkio pids; do
  mkdir -p /sys/fs/cgroup/$c; mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c
done
mkdir -p /sys/fs/cgroup/systemd /sys/fs/cgroup/unified
mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
mount -t cgroup2 none /sys/fs/cgroup/unified
echo '{}' > "$root/h$n.json"   # so that /etc/docker/daemon.json is not read
hostname "h$n"
exec dockerd --config-file "$root/h$n.json" --data-root "/var/lib/reviews-lab/h$n" --exec-root "$root/h$n/exec" \
  --pidfile "$root/h$n/dockerd.pid" -H "unix://$root/h$n.sock" --cgroup-parent "/reviews-h$n" --storage-driver overlay2
