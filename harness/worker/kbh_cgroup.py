"""A control group per candidate process: a cap on the host memory it really uses, and on its processes and threads.

Rlimits cannot cap a GPU candidate's memory: RLIMIT_AS and RLIMIT_DATA count address space, and the CUDA driver
reserves hundreds of gigabytes of it (kbh_sandbox sets RLIMIT_DATA on the CPU only). A memory cgroup counts the pages
a process holds, so it caps a GPU candidate too. The judge makes the group (cgroup v2 where this process may make
children with the memory controller, a writable v1 memory hierarchy otherwise), the candidate's process joins it
before it enters its namespaces, and the judge removes it once everything in it was killed. The sandbox's read-only
mounts keep the candidate from changing its own limits or leaving the group (tests: HostileCandidateTests).
"""
import itertools
import os
import time

_counter = itertools.count()
_PREFIX = "kbh-candidate-"


def _mounts():
    """(fstype, mount point, root in the hierarchy, super options) of every cgroup mount this process sees."""
    found = []
    try:
        with open("/proc/self/mountinfo") as f:
            for line in f:
                parts = line.split()
                sep = parts.index("-")
                fstype = parts[sep + 1]
                if fstype in ("cgroup", "cgroup2"):
                    found.append((fstype, parts[4], parts[3], set(parts[sep + 3].split(","))))
    except (OSError, ValueError, IndexError):
        pass
    return found


def _own():
    """controller name ('' for v2) -> this process's cgroup path."""
    own = {}
    try:
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                for name in controllers.split(",") if controllers else [""]:
                    own[name] = path
    except (OSError, ValueError):
        pass
    return own


def _place(mount, root, path):
    rel = os.path.relpath(path, root) if path.startswith(root) else path.lstrip("/")
    return os.path.normpath(os.path.join(mount, rel))


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


class Group:
    """One candidate's group (its folders in one or two hierarchies). procs: the cgroup.procs files its process
    writes its pid into."""

    def __init__(self, memory_bytes, max_pids):
        self.dirs, self.procs, self.kind, self.why_not = [], [], None, ""
        name = f"{_PREFIX}{os.getpid()}-{next(_counter)}"
        own, mounts = _own(), _mounts()
        errors = []
        for fstype, mount, root, opts in mounts:  # cgroup v2 first: one folder, both limits
            if fstype == "cgroup2" and "" in own:
                try:
                    self._v2(_place(mount, root, own[""]), name, memory_bytes, max_pids)
                    return
                except OSError as e:
                    errors.append(f"cgroup v2: {e.strerror or e}")
                    self._remove_dirs()
        for fstype, mount, root, opts in mounts:
            if fstype == "cgroup" and "memory" in opts and "memory" in own:
                try:
                    self._v1(_place(mount, root, own["memory"]), name, "memory.limit_in_bytes", memory_bytes)
                    self.kind = "cgroup v1"
                    break
                except OSError as e:
                    errors.append(f"cgroup v1 memory: {e.strerror or e}")
                    self._remove_dirs()
        if self.kind:
            for fstype, mount, root, opts in mounts:
                if fstype == "cgroup" and "pids" in opts and "pids" in own:
                    try:
                        self._v1(_place(mount, root, own["pids"]), name, "pids.max", max_pids)
                    except OSError:
                        pass  # the memory cap is what rlimits cannot give; RLIMIT_NPROC still caps processes
                    break
            return
        self.why_not = "; ".join(errors) or "no cgroup hierarchy this process may write"

    def _v2(self, parent, name, memory_bytes, max_pids):
        with open(os.path.join(parent, "cgroup.controllers")) as f:
            available = set(f.read().split())
        if "memory" not in available:
            raise OSError(0, "the memory controller is not delegated here")
        with open(os.path.join(parent, "cgroup.subtree_control")) as f:
            enabled = set(f.read().split())
        wanted = {"memory", "pids"} & available
        if not wanted <= enabled:  # refused (EBUSY) where the parent holds processes itself: then no v2 group
            _write(os.path.join(parent, "cgroup.subtree_control"), " ".join("+" + c for c in sorted(wanted - enabled)))
        path = os.path.join(parent, name)
        os.mkdir(path)
        self.dirs.append(path)
        _write(os.path.join(path, "memory.max"), str(memory_bytes))
        if os.path.exists(os.path.join(path, "memory.swap.max")):  # no swapping past the cap either
            _write(os.path.join(path, "memory.swap.max"), "0")
        if "pids" in wanted:
            _write(os.path.join(path, "pids.max"), str(max_pids))
        self.procs.append(os.path.join(path, "cgroup.procs"))
        self.kind = "cgroup v2"

    def _v1(self, parent, name, limit_file, value):
        path = os.path.join(parent, name)
        os.mkdir(path)
        self.dirs.append(path)
        _write(os.path.join(path, limit_file), str(value))
        self.procs.append(os.path.join(path, "cgroup.procs"))

    def peak_bytes(self):
        """The most memory the group held (None where the hierarchy does not say)."""
        for path in self.dirs:
            for name in ("memory.peak", "memory.max_usage_in_bytes"):
                try:
                    with open(os.path.join(path, name)) as f:
                        return int(f.read().split()[0])
                except (OSError, ValueError, IndexError):
                    continue
        return None

    def oom_killed(self):
        """Whether the kernel killed a process of this group for its own memory cap: the group's own oom_kill count
        (memory.events.local in v2, which the host's OOM killer acting elsewhere does not raise; memory.oom_control in
        v1), never memory.failcnt (reaching the cap and reclaiming is not a kill)."""
        for path in self.dirs:
            for name in ("memory.events.local", "memory.events", "memory.oom_control"):
                try:
                    with open(os.path.join(path, name)) as f:
                        counts = dict(line.split() for line in f if len(line.split()) == 2)
                except (OSError, ValueError):
                    continue
                if "oom_kill" in counts:
                    return int(counts["oom_kill"]) > 0
        return False

    def remove(self):
        """Removes the folders once their processes are gone (the caller killed them); a few tries while the kernel
        finishes reaping."""
        for _ in range(50):
            if self._remove_dirs():
                return True
            time.sleep(0.01)
        return False

    def _remove_dirs(self):
        left = []
        for path in reversed(self.dirs):
            try:
                os.rmdir(path)
            except FileNotFoundError:
                pass
            except OSError:
                left.append(path)
        self.dirs = list(reversed(left))
        return not left


def join(procs):
    """In the candidate's process, before it enters its namespaces: into its group. Returns the error, or ''."""
    for path in procs:
        try:
            _write(path, str(os.getpid()))
        except OSError as e:
            return f"joining {os.path.basename(os.path.dirname(path))}: {e.strerror or e}"
    return ""


def leavable(procs):
    """In the candidate's process, once sandboxed: the first group whose hierarchy is still writable to it (a
    read-only remount that failed, or the sandbox off), or ''. There it could move itself to another group or raise
    its own limit (the limit files belong to the harness's user, which is its user too): a cap it can lift is not a cap."""
    for path in procs:
        group = os.path.dirname(path)
        try:
            if not os.statvfs(group).f_flag & os.ST_RDONLY:
                return os.path.basename(group)
        except OSError:
            continue  # not visible at all: nothing to write to
    return ""


def remove_stale():
    """Groups left by judges that were killed before they could remove them (the judge's pid is in the name)."""
    own, removed = _own(), 0
    for fstype, mount, root, opts in _mounts():
        key = "" if fstype == "cgroup2" else ("memory" if "memory" in opts else "pids" if "pids" in opts else None)
        if key is None or key not in own:
            continue
        parent = _place(mount, root, own[key])
        try:
            names = [n for n in os.listdir(parent) if n.startswith(_PREFIX)]
        except OSError:
            continue
        for name in names:
            try:
                pid = int(name[len(_PREFIX):].split("-")[0])
                if pid != os.getpid() and not os.path.exists(f"/proc/{pid}"):
                    os.rmdir(os.path.join(parent, name))
                    removed += 1
            except (ValueError, OSError):
                pass
    return removed
