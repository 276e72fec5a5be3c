"""The OS sandbox of a candidate process, made by the kernel's own interfaces (no setuid helper, nothing to install):
the fork server's child enters it before any candidate code exists in it.

  - namespaces: a user namespace (unprivileged where the kernel allows it; as root, without one if it does not), and
    new mount, PID, network, IPC and UTS namespaces. The candidate is PID 1 of its PID namespace: when it ends, the
    kernel kills everything it started, and it sees no other process of the machine (its /proc is its own).
  - network: a network namespace of its own, with nothing in it (not even loopback up).
  - filesystem: every mount read-only; the paths the judge names masked by empty, size-capped tmpfs (the harness's
    cache and run folders, the home folders, the problem files); /tmp, /dev/shm and /var/tmp private tmpfs; /etc/shadow
    and friends hidden; then the paths the candidate needs (its own source, the worker's scripts, its build folder,
    the build cache) bound back read-only or writable as the judge says.
  - seccomp: ptrace, process_vm_readv/writev, mount and namespace calls, kernel keyrings, BPF, perf events, module and
    reboot calls fail with EPERM. Every capability is dropped and no_new_privs set, so nothing it executes gains any.
  - limits: rlimits on processes, open files, file size and core dumps (and host memory on the CPU).

enter() returns which parts are in force ({"namespaces", "network", "filesystem", "seccomp", "limits"} -> bool, plus
"missing": the reason for each part that is not); the judge records it in every verdict.
"""
import ctypes
import errno
import os
import resource
import signal
import struct
import time

import kbh_cgroup

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME, MS_RELATIME, MS_STRICTATIME = 1024, 2048, 1 << 21, 1 << 24
_FLAG_WORDS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
               "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME}
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_SET_SECCOMP = 1, 38, 24, 22
SECCOMP_MODE_FILTER = 2
_HIDDEN_FILES = ("/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-", "/etc/sudoers", "/etc/munge/munge.key")
_PRIVATE_TMP = ("/tmp", "/dev/shm", "/var/tmp", "/run")
# x86-64 system calls a candidate never needs and an attacker wants: other processes' memory, mounts and namespaces
# (to undo the masks), kernel keyrings, BPF, perf events, modules, reboot, clocks, handles that escape a mount.
_DENIED = (101, 310, 311, 312, 298, 321, 323, 248, 249, 250, 165, 166, 155, 161, 272, 308, 175, 176, 313, 246, 320,
           169, 167, 168, 304, 303, 163, 164, 227, 172, 173, 428, 429, 430, 431, 432, 433, 442, 438)
_AUDIT_ARCH_X86_64 = 0xC000003E

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]


class SandboxError(Exception):
    pass


def _check(result, what):
    if result != 0:
        e = ctypes.get_errno()
        raise SandboxError(f"{what}: {os.strerror(e)}")


def _mount(source, target, fstype, flags, data=None):
    _check(_libc.mount(source.encode() if source else None, target.encode(), fstype.encode() if fstype else None,
                       flags, data.encode() if data else None), f"mount {target}")


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def enter(config):
    """Called in the fork server's child. Enters the namespaces, forks the candidate's own process (PID 1 of the new
    PID namespace) and returns in it, sandboxed, with the report. The child that forked it only waits and passes its
    end on (the same exit code or signal), so the fork server and the judge see the candidate's own end."""
    started = time.perf_counter()  # what entering it costs (report["seconds"]): the sandbox's own share of a start
    report = {"namespaces": False, "network": False, "filesystem": False, "seccomp": False, "limits": False,
              "missing": {}}
    # Into the memory cgroup the judge made for this process first, while the hierarchy is still writable here.
    joined = kbh_cgroup.join(config.get("cgroup_procs") or [])
    if joined:
        report["memory_cap_error"] = joined
    if not config.get("enabled", True):
        report["missing"] = {part: "the sandbox is off (KBH_SANDBOX=0)" for part in
                             ("namespaces", "network", "filesystem", "seccomp", "limits")}
        _limits(config, report)
        _check_cap_holds(config, report)
        report["seconds"] = round(time.perf_counter() - started, 4)
        return report
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    entered = False
    for extra in (CLONE_NEWUSER, 0):  # without a user namespace only where the process may make the others (root)
        if _libc.unshare(flags | extra) == 0:
            entered = True
            if extra:
                _write("/proc/self/setgroups", "deny")
                _write("/proc/self/uid_map", f"{uid} {uid} 1")
                _write("/proc/self/gid_map", f"{gid} {gid} 1")
            break
        report["missing"]["namespaces"] = f"unshare: {os.strerror(ctypes.get_errno())}"
    if entered:
        report["missing"].pop("namespaces", None)
        report["namespaces"] = report["network"] = True
        _become_pid_one()
        try:
            _filesystem(config)
            report["filesystem"] = True
        except (SandboxError, OSError) as e:
            report["missing"]["filesystem"] = str(e)
    else:
        report["missing"]["network"] = "no network namespace (see namespaces)"
        report["missing"]["filesystem"] = "no mount namespace (see namespaces)"
    _limits(config, report)
    _check_cap_holds(config, report)
    try:
        _drop_capabilities()
        _seccomp()
        report["seccomp"] = True
    except (SandboxError, OSError) as e:
        report["missing"]["seccomp"] = str(e)
    report["seconds"] = round(time.perf_counter() - started, 4)  # (a monotonic clock: the same across the fork above)
    return report


def _check_cap_holds(config, report):
    """The memory cap counts only if this process can neither leave its group nor raise its limit: where the cgroup
    hierarchy is still writable here (its read-only remount failed, or the sandbox is off), the verdict says there is
    no cap."""
    procs = config.get("cgroup_procs") or []
    group = kbh_cgroup.leavable(procs) if procs and not report.get("memory_cap_error") else ""
    if group:
        report["memory_cap_error"] = (f"its group {group} could be left or its limit raised: the cgroup hierarchy is "
                                      "writable inside the candidate's process")


def _become_pid_one():
    """Forks the process that runs the candidate, as PID 1 of the new PID namespace; this one waits for it and ends
    the same way (the fork server reports how the candidate ended)."""
    pid = os.fork()
    if pid == 0:
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # the waiter killed (time-out): so is the candidate
        return
    for fd in range(3, _max_fd()):
        try:
            os.close(fd)
        except OSError:
            pass
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(70)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 70)


def _max_fd():
    try:
        return min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 65536)
    except (OSError, ValueError):
        return 4096


def _mounts():
    """(mount point, flags) of every mount, parents first, from /proc/self/mountinfo."""
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            point = fields[4].encode().decode("unicode_escape")
            flags = 0
            for word in fields[5].split(","):
                flags |= _FLAG_WORDS.get(word, 0)
            found.append((point, flags))
    return found


def _filesystem(config):
    exposed = [(p, False) for p in config.get("read_only", [])] + [(p, True) for p in config.get("writable", [])]
    outside = {}
    for path, _ in exposed:  # held open before the private /tmp and the masks hide them, bound back from these after
        if os.path.exists(path) and path not in outside:
            outside[path] = os.open(path, os.O_PATH | os.O_CLOEXEC)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    proc_ok = True
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)  # this PID namespace's processes only
    except SandboxError:
        proc_ok = False
    size = f"size={int(config.get('tmp_bytes', 1 << 30))}"
    for point, flags in _mounts():
        if point.startswith("/proc"):
            continue
        try:
            _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)
        except SandboxError:
            pass  # a mount it may not change (locked, or gone): it stays as the user already had it
    for path in _PRIVATE_TMP:
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=1777")
    for path in _HIDDEN_FILES:
        if os.path.exists(path):
            _mount("/dev/null", path, None, MS_BIND)
    masks = []
    for path in sorted({os.path.normpath(p) for p in config.get("mask", []) if os.path.isdir(p)}, key=len):
        if not any(path.startswith(m.rstrip("/") + "/") for m in masks):  # inside a mask already: hidden
            _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=755")
            masks.append(path)
    failed = []
    # The last word on each path: writable wins. Outer folders first, so that a bind inside one lands on top of it;
    # each bind on its own, so that one that fails does not leave the others (a writable build cache) unbound.
    for path, writable in sorted(dict(exposed).items(), key=lambda item: item[0].count("/")):
        if path in outside:
            try:
                _bind_back(path, writable, outside[path])
            except (SandboxError, OSError) as e:
                failed.append(f"{path}: {e}")
    for fd in outside.values():
        os.close(fd)
    if not proc_ok:
        raise SandboxError("mount /proc: this PID namespace's own /proc could not be mounted")
    if failed:
        raise SandboxError("binding back " + "; ".join(failed))


def _bind_back(path, writable, outside):
    """Makes path (hidden under a mask) visible again, bound from `outside`: an O_PATH descriptor opened before the
    masks were mounted."""
    source = f"/proc/self/fd/{outside}"
    if os.path.isdir(source):
        os.makedirs(path, exist_ok=True)
    elif not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "a").close()
    _mount(source, path, None, MS_BIND | MS_REC)
    # A bind takes the read-only flag of the mount it came from (everything was made read-only): set it either way.
    _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (0 if writable else MS_RDONLY))


def _limits(config, report):
    applied = []
    for name, value in (("RLIMIT_CORE", 0), ("RLIMIT_NOFILE", config.get("max_files", 4096)),
                        ("RLIMIT_NPROC", config.get("max_processes", 1024)),
                        ("RLIMIT_FSIZE", config.get("max_file_bytes", 16 << 30)),
                        ("RLIMIT_DATA", config.get("max_memory_bytes"))):
        if value is None:
            continue
        try:
            limit = getattr(resource, name)
            hard = resource.getrlimit(limit)[1]
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (value, value))
            applied.append(name)
        except (ValueError, OSError, AttributeError):
            pass
    report["limits"] = len(applied) >= 4
    if not report["limits"]:
        report["missing"]["limits"] = "only " + ", ".join(applied) + " could be set"
    report["limit_names"] = applied


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_capabilities():
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() not in (errno.EINVAL, errno.EPERM):
            break
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(_libc.syscall(126, ctypes.byref(header), data), "capset")  # 126: capset on x86-64
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _seccomp():
    ld_arch = struct.pack("HBBI", 0x20, 0, 0, 4)  # BPF_LD | BPF_W | BPF_ABS, seccomp_data.arch
    ld_nr = struct.pack("HBBI", 0x20, 0, 0, 0)  # seccomp_data.nr
    allow = struct.pack("HBBI", 0x06, 0, 0, 0x7FFF0000)  # SECCOMP_RET_ALLOW
    deny = struct.pack("HBBI", 0x06, 0, 0, 0x00050000 | errno.EPERM)  # SECCOMP_RET_ERRNO | EPERM
    n = len(_DENIED)
    program = [ld_arch,
               struct.pack("HBBI", 0x15, 1, 0, _AUDIT_ARCH_X86_64),  # JEQ arch: skip the deny below
               deny,
               ld_nr,
               struct.pack("HBBI", 0x35, n + 1, 0, 0x40000000)]  # JGE x32 system calls: to deny
    for i, nr in enumerate(_DENIED):
        program.append(struct.pack("HBBI", 0x15, n - i, 0, nr))  # JEQ nr: to deny
    program += [allow, deny]
    code = b"".join(program)
    buffer = ctypes.create_string_buffer(code, len(code))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(program), ctypes.cast(buffer, ctypes.c_void_p))
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0), "seccomp")
