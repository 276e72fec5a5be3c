"""Forks one fresh candidate process per candidate, from a process that has already imported torch (never CUDA).

Started by the judge with a clean environment and one control socket (fd given on the command line). It is the
parent of every candidate process and a child subreaper, so whatever a candidate starts, detached or not, ends up its
child once the candidate's own process is gone: `cleanup` kills and reaps them all. When the judge dies it
is told (PR_SET_PDEATHSIG, SIGTERM) and kills them all before it ends.

Requests (kbh_channel messages): {"op": "spawn", "config": {...}} with two fds (the candidate's end of its channel,
its capture file) -> {"pid": n}; {"op": "cleanup", "pid": n, "wait_s": x} -> {"exit": {"code" | "signal"}, "killed":
k}: how that candidate process ended, after every process left behind was killed; {"op": "ping"} -> {"ok": true}.
"""
import ctypes
import os
import signal
import socket
import sys
import time

import kbh_files  # the script's folder is first on sys.path

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36


def main():
    control = socket.socket(fileno=int(sys.argv[1]))
    statuses = {}
    # A session of its own, so that killing the judge's process group (the harness does, and the judge does when the
    # harness is gone) leaves it the time to kill every candidate process and what they started: the judge's death
    # reaches it as SIGTERM.
    os.setsid()
    signal.signal(signal.SIGTERM, lambda *_: (_kill_all(statuses), os._exit(0)))
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() == 1:  # the judge died before the line above
        os._exit(0)
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import kbh_channel
    import kbh_runner  # imports torch and the candidate side's modules once, before any fork
    if "--weight-fills" in sys.argv[2:]:  # (not for the trusted build step's processes: they construct no model)
        import kbh_fast_fill
        kbh_fast_fill._load()  # the parallel weight fills' compiled loop, once, for every candidate process forked
    ready = {"ready": True, "pid": os.getpid()}
    if "--profiler" in sys.argv[2:]:
        ready["profiler"] = _import_profiler()
    ready["cuda_initialized"] = _cuda_initialized()
    kbh_channel.send(control, ready)
    while True:
        try:
            message, fds = kbh_channel.receive(control, max_bytes=kbh_channel.MAX_MESSAGE)
        except kbh_channel.ChannelError:
            _kill_all(statuses)
            os._exit(0)
        op = message.get("op")
        if op == "spawn":
            pid = os.fork()
            if pid == 0:
                try:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    control.close()
                    kbh_runner.child_main(fds[0], fds[1], message.get("config") or {})
                finally:
                    os._exit(70)
            for fd in fds:
                os.close(fd)
            kbh_channel.send(control, {"pid": pid})
        elif op == "cleanup":
            pid = message.get("pid")
            deadline = time.monotonic() + float(message.get("wait_s", 0))
            while pid not in statuses and time.monotonic() < deadline and _reap(statuses):
                time.sleep(0.005)
            killed = _kill_all(statuses)
            kbh_channel.send(control, {"exit": statuses.pop(pid, None), "killed": killed})
            statuses.clear()
        elif op == "ping":  # the judge's measure of what the machine's load adds to a round trip right now
            kbh_channel.send(control, {"ok": True})
        else:
            kbh_channel.send(control, {"error": f"unknown op {op!r}"})


def _import_profiler():
    """The profiler's modules (torch._dynamo among them), once for every candidate process forked. Returns "" when
    forking stays safe, else why not: the import started the CUDA driver (no forked child could use the GPU) or
    threads (a fork copies none of them, and any lock they held stays held); the judge then starts this server again
    without --profiler (kbh_spawn), and each candidate's process imports them itself (kbh_runner.op_prepare)."""
    import kbh_guard
    import kbh_kernels
    threads = len(os.listdir("/proc/self/task"))
    kbh_kernels.import_profiler()
    if _cuda_initialized():
        return "importing the profiler's modules initialised the CUDA driver"
    started = len(os.listdir("/proc/self/task")) - threads
    if started > 0:
        return f"importing the profiler's modules started {started} thread(s)"
    kbh_guard.retake()  # torch._dynamo's wrap of torch.manual_seed is the saved one in every child
    return ""


def _cuda_initialized():
    """Whether this process has initialised the CUDA driver (then no forked child could use CUDA): cuDeviceGetCount
    answers CUDA_ERROR_NOT_INITIALIZED (3) until cuInit ran. False where there is no driver."""
    try:
        lib = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    count = ctypes.c_int()
    return lib.cuDeviceGetCount(ctypes.byref(count)) != 3


def _reap(statuses):
    """Collects exited children without blocking; False when there is no child left."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True
        statuses[pid] = {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"code": os.WEXITSTATUS(status)}


def _kill_all(statuses, rounds=200):
    """SIGKILLs every descendant (stopping them first, so none forks while the others die) until none is left and
    all are reaped. Orphans of orphans come back here (child subreaper), so each round finds what the last one left."""
    killed = 0
    for _ in range(rounds):
        below = kbh_files.descendants(os.getpid())
        if not below and not _reap(statuses):
            return killed
        for pid in below:
            try:
                os.kill(pid, signal.SIGSTOP)
            except OSError:
                pass
        for pid in below:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except OSError:
                pass
        _reap(statuses)
        time.sleep(0.002)
    return killed


if __name__ == "__main__":
    main()
