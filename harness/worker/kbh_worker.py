"""KernelBench Harness worker: judges untrusted candidates for the C# harness, one job at a time.

Protocol: one JSON object per line. Requests arrive on the original stdin; answers leave on a private duplicate of
the original stdout. File descriptors 1 and 2 are pointed at a capture file before any candidate code runs, so nothing
a candidate prints can be taken for an answer; what it printed is returned as `output_tail`. Every answer carries the
nonce the harness passed in KBH_WORKER_NONCE (removed from the environment before candidate code can read it).
"""
import json
import os
import sys
import traceback


def _private_channels(capture_path):
    proto_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    proto_out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    capture = os.open(capture_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    os.dup2(capture, 1)
    os.dup2(capture, 2)
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
    return proto_in, proto_out, capture


def _end_with_harness(harness_pid):
    """Ends this worker's whole process group once the harness that started it is gone (kill -9, a scheduler's time
    limit): a job in progress would otherwise keep the GPU busy for nobody. The functions are bound here, before any
    candidate code runs, so a candidate cannot patch them away."""
    import signal
    import threading
    import time
    getppid, killpg, getpgrp, sleep = os.getppid, os.killpg, os.getpgrp, time.sleep

    def watch():
        while getppid() == harness_pid:
            sleep(0.5)
        killpg(getpgrp(), signal.SIGKILL)

    threading.Thread(target=watch, name="kbh-harness-watch", daemon=True).start()


def _pin_cores():
    """KBH_WORKER_CPUS ("0,1"): the cores the harness gave this worker, for it and every process it starts (compilers,
    a candidate's children). Set before torch is imported, so its thread pool is sized to them. Returns the cores of
    KBH_HOST_CPUS, which the worker's own parallel draws may also use (kbh_fast_fill.use_host_cores), or None."""
    cpus = os.environ.pop("KBH_WORKER_CPUS", "")
    host = os.environ.pop("KBH_HOST_CPUS", "")
    if os.environ.get("KBH_HOST_CORES", "1") == "0":  # the draws on the worker's own cores only (a baseline)
        host = ""
    if cpus and hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {int(c) for c in cpus.split(",")})
        except (OSError, ValueError):
            return None  # a core the machine no longer offers: run unpinned rather than not at all
    try:
        return [int(c) for c in host.split(",")] if host else None
    except ValueError:
        return None


def main():
    try:
        os.setsid()  # own process group: the harness kills the whole tree, children the candidate spawned included
    except OSError:
        pass
    host_cores = _pin_cores()
    _end_with_harness(os.getppid())
    capture_path = sys.argv[sys.argv.index("--capture") + 1]
    nonce = os.environ.pop("KBH_WORKER_NONCE", "")
    proto_in, proto_out, capture = _private_channels(capture_path)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    # Transparent huge pages for torch's CPU tensors of 2 MB and more (torch 2.x reads this at its first allocation;
    # 1.13 ignores it): KernelBench's gigabyte weights, inputs and the memo's copies are first touched in 2 MB faults
    # instead of 4 KB ones. Values are unchanged; THP_MEM_ALLOC_ENABLE=0 in the harness's environment turns it off.
    os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")
    # OpenMP threads sleep when idle instead of spinning: the judge reads a candidate process's CPU time as evidence
    # of work done outside its timed calls, and spinning pools would look like such work.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import kbh_jobs  # imports torch after the redirect, so its warnings land in the capture file

    import kbh_fast_fill

    kbh_fast_fill.use_host_cores(host_cores)
    jobs = kbh_jobs.Jobs()

    def answer(message):
        message["nonce"] = nonce
        message["output_tail"] = (_take_tail(capture_path, capture) + jobs.candidate_output)[-8000:]
        jobs.candidate_output = ""
        proto_out.write(json.dumps(_clean(message), allow_nan=False) + "\n")
        proto_out.flush()

    answer({"id": None, "event": "ready", **kbh_jobs.environment()})

    def progress(request_id, event):  # not an answer: the harness keeps waiting for the job's answer after it
        proto_out.write(json.dumps({"id": request_id, "event": event, "nonce": nonce}) + "\n")
        proto_out.flush()

    for line in proto_in:
        if not line.strip():
            continue
        request = json.loads(line)
        jobs.notify = lambda event, request_id=request.get("id"): progress(request_id, event)
        if request.get("job") == "shutdown":
            jobs.wait_ended(limit_s=10.0)  # (a candidate's process still ending: its memory cgroup removed too)
            answer({"id": request.get("id"), "ok": True})
            # Straight out, without the interpreter's teardown (every module, candidates' atexit hooks, freeing
            # gigabytes of tensors one by one): the kernel frees the memory and the driver the GPU context either way,
            # and the harness waits for this exit before it ends (about 1 s per run on an H200 node).
            proto_out.flush()
            os._exit(0)
        try:
            result = jobs.run(request)
        except Exception:  # a bug of the worker itself, not of the candidate: say so, keep serving
            result = {"status": "runtime_error", "reason": "worker error: " + traceback.format_exc()[-3000:],
                      "unhealthy": True}
        result["id"] = request.get("id")
        answer(result)


def _clean(value):
    """JSON has no NaN or Infinity: send them as strings the harness reads back. Text a candidate wrote (its findings'
    messages, its errors, its printed output) may hold lone surrogates, which json.dumps writes as escapes that .NET
    cannot read as a string: each becomes "?" (a red-team review found the run ending on one, session 16)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_clean(k) if isinstance(k, str) else k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _take_tail(path, fd, limit=4000):
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - limit))
            tail = f.read().decode("utf-8", errors="replace")
        os.ftruncate(fd, 0)
        return tail
    except OSError:
        return ""


if __name__ == "__main__":
    main()
