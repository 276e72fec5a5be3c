"""The judge's side of candidate processes: the fork server it starts, and one CandidateProcess per candidate.

Every call to a candidate process has a deadline; a process that dies, hangs, floods its channel or answers garbage
raises CandidateFailed with what happened, and the judge turns that into this candidate's verdict alone: the process
and everything it started are killed, and the next candidate gets a fresh one.
"""
import os
import select
import subprocess
import sys
import tempfile
import threading
import time

import kbh_cgroup
import kbh_channel
import kbh_files

_SIGNALS = {4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM"}


class CandidateFailed(Exception):
    """The candidate process did not answer as the protocol says. kind: timeout, died, flood, garbage, error."""

    def __init__(self, kind, message, trace=""):
        super().__init__(message)
        self.kind = kind
        self.trace = trace


class ForkServer:
    """kbh_forkserver.py, started lazily and again after it died (a candidate may have killed it)."""

    def __init__(self, weight_fills=True, profiler=False):
        self._weight_fills = weight_fills  # candidates construct models: load the parallel fill loop before forking
        self._profiler = profiler  # import the profiler's modules before forking (kbh_forkserver --profiler)
        self.profiler_refused = ""  # why the server found that unsafe (it then runs without): kbh doctor says it
        self._proc = None
        self._sock = None
        self._ready = False
        self.started = 0
        self._env = _clean_env()
        # One reader of the control socket at a time: a spare's thread may spawn on it while the main thread settles.
        self._io = threading.RLock()
        self._ending = None  # the thread ending this server's last candidate process (end_later)

    def _ensure_locked(self):
        self.launch()
        if self._ready:
            return
        ready, _ = kbh_channel.receive(self._sock, time.monotonic() + 300)  # torch imported
        self._ready = True
        self.started += 1
        if self._profiler and ready.get("profiler"):  # importing it first was not safe to fork from: without it
            self.close()
            self._profiler, self.profiler_refused = False, ready["profiler"]
            return self._ensure_locked()
        if ready.get("cuda_initialized"):
            self.close()
            raise RuntimeError("the fork server initialised the CUDA driver before forking, so no candidate process "
                               "could use the GPU; set PYTORCH_NVML_BASED_CUDA_CHECK=1 or find the import that does it")

    def launch(self):
        """Starts the process (again, when it died) without waiting for it to be ready. Only from the judge's main
        thread: the fork server ends when the thread that started it ends (PR_SET_PDEATHSIG is per thread)."""
        if self._proc is not None and self._proc.poll() is None:
            return
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("a fork server is started only from the judge's main thread")
        self.close()
        judge_end, server_end = kbh_channel.pair()
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kbh_forkserver.py")
        self._proc = subprocess.Popen([sys.executable, "-u", "-B", script, str(server_end.fileno())]
                                      + (["--weight-fills"] if self._weight_fills else [])
                                      + (["--profiler"] if self._profiler else []),
                                      pass_fds=[server_end.fileno()], stdin=subprocess.DEVNULL, env=self._env)
        server_end.close()
        self._sock = judge_end
        self._ready = False

    def settle(self, limit_s):
        """Waits at most limit_s for a server launched and still importing torch (several seconds of two cores: a
        launch-bound candidate timed beside it was slowed, and its time judged implausible, session 21). Never starts
        one; a server that is not ready in time is left to the first spawn."""
        deadline = time.monotonic() + max(0.0, limit_s)
        if self._ready or self._proc is None or not self._io.acquire(timeout=max(0.0, limit_s)):
            return  # (held: a spare's thread is waiting for it already, beyond the limit)
        try:
            if self._ready or self._proc is None or self._proc.poll() is not None:
                return
            readable, _, _ = select.select([self._sock], [], [], max(0.0, deadline - time.monotonic()))
            if readable and self._proc.poll() is None:  # (one that died meanwhile is not started again here)
                self._ensure_locked()
        except (kbh_channel.ChannelError, OSError, RuntimeError):
            self.close()  # (a server that died while importing: launched again when next needed)
        finally:
            self._io.release()

    def end_later(self, proc):
        """proc.finish() in a thread of its own, so that its end (asked to exit, waited for, killed with all it
        started; on a GPU its CUDA context's teardown, 0.20 s a candidate on an H100, session 25) is off the lane's
        path. Ending kills everything this server started, so no spawn on it begins before that end is over
        (wait_ended); the judge also waits for it before its next GPU turn (kbh_jobs)."""
        self.wait_ended()
        thread = threading.Thread(target=_end, args=(proc,), name="kbh-end", daemon=True)
        try:
            thread.start()
        except RuntimeError:  # (no thread to be had: it ends here, on the lane's path, rather than never)
            _end(proc)
            return
        self._ending = thread

    @property
    def ending(self):
        """Whether an end that end_later started is still to be waited for."""
        return self._ending is not None

    def wait_ended(self, limit_s=None):
        """Waits (at most limit_s, if given) for the end end_later started, if one is under way; returns the seconds
        waited."""
        thread = self._ending
        if thread is None:
            return 0.0
        start = time.perf_counter()
        thread.join(limit_s)
        if self._ending is thread and not thread.is_alive():
            self._ending = None
        return time.perf_counter() - start

    def spawn(self, config, capture_fd):
        self.wait_ended()  # (a cleanup after this spawn would kill the new process)
        with self._io:
            self._ensure_locked()
            judge_end, candidate_end = kbh_channel.pair()
            try:
                kbh_channel.send(self._sock, {"op": "spawn", "config": config}, [candidate_end.fileno(), capture_fd])
                answer, _ = kbh_channel.receive(self._sock, time.monotonic() + 30)
            finally:
                candidate_end.close()
        return answer["pid"], judge_end

    def ping(self):
        """Milliseconds of one round trip to this process, which runs no candidate code: what the host's load adds
        to a round trip now, beside a candidate's timed calls (kbh_evidence)."""
        with self._io:
            self._ensure_locked()
            start = time.perf_counter()
            kbh_channel.send(self._sock, {"op": "ping"})
            kbh_channel.receive(self._sock, time.monotonic() + 30)
            return (time.perf_counter() - start) * 1000.0

    def cleanup(self, pid, wait_s):
        """How pid ended ({"signal": n} or {"code": n}, None if unknown) once every process it left is killed."""
        if self._proc is None or self._proc.poll() is not None:
            return None, 0
        try:
            with self._io:
                kbh_channel.send(self._sock, {"op": "cleanup", "pid": pid, "wait_s": wait_s})
                answer, _ = kbh_channel.receive(self._sock, time.monotonic() + 30 + wait_s)
            return answer.get("exit"), answer.get("killed", 0)
        except (kbh_channel.ChannelError, OSError):
            self.close()  # it will be started again
            return None, 0

    def close(self):
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._proc is not None:
            try:
                self._proc.kill()
                self._proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self._proc = None


def _end(proc):
    """A candidate process's end in end_later's thread: whatever fails there, its output file is closed."""
    try:
        proc.finish()
    except Exception:
        proc.capture.close()


def _memory_cap(group, join_error, cap):
    """What capped the host memory of the candidate's process, in words, for its verdict's sandbox record."""
    if group.kind and not join_error:
        return f"{group.kind}, {int(cap['memory_bytes']) / 2**30:.1f} GiB"
    return "none: " + (join_error or group.why_not)


def _clean_env():
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("KBH_WORKER_") or name == "KBH_HOST_CPUS":
            del env[name]
    # torch.cuda.is_available() and device_count() initialise the CUDA driver unless told to ask NVML instead, and a
    # process forked after that cannot use CUDA ("Cannot re-initialize CUDA in forked subprocess"): anything the fork
    # server imports may call them.
    env["PYTORCH_NVML_BASED_CUDA_CHECK"] = "1"
    return env


_MAX_REQUESTS = 64  # a candidate's own requests (builds) answered within one call


def _refuse(request):
    return {"ok": False, "error": "not during this call"}


class CandidateProcess:
    """One candidate's process: calls with deadlines, its printed output, its CPU time, and its end."""

    def __init__(self, server, config, timeout_s, margin_s=0.5):
        self.server = server
        self.timeout_s = timeout_s  # as the harness stated it; the deadline leaves margin_s to answer in
        self._margin_s = margin_s
        self._deadline = time.monotonic() + max(0.5, timeout_s - margin_s)
        self.capture = tempfile.TemporaryFile()
        self.group = None
        cap = (config.get("sandbox") or {}).get("cgroup")
        if cap:  # its memory cgroup, made here by the judge; the process joins it before entering its namespaces
            self.group = kbh_cgroup.Group(int(cap["memory_bytes"]), int(cap.get("max_pids", 4096)))
            config = {**config, "sandbox": {**config["sandbox"], "cgroup_procs": self.group.procs}}
        try:
            self.pid, self.sock = server.spawn(config, self.capture.fileno())
        except BaseException:
            if self.group is not None:
                self.group.remove()
            raise
        self.exit = None
        self.oom_killed = False
        self.closed = False
        self.sandbox = {}
        try:
            hello, _ = kbh_channel.receive(self.sock, time.monotonic() + 60)
            self.sandbox = hello.get("sandbox") or {}
            if cap:
                self.sandbox["memory_cap"] = _memory_cap(self.group, self.sandbox.pop("memory_cap_error", ""), cap)
        except kbh_channel.ChannelError as e:
            self.close(wait_s=1.0)
            raise self._failure("start", e) from None

    on_request = None  # the judge's answer to the process's own requests (kbh_jobs: the trusted build step)

    def restart_clock(self, timeout_s):
        """A spare process (kbh_spare) handed to its candidate: the candidate's time limit starts now."""
        self.timeout_s = timeout_s
        self._deadline = time.monotonic() + max(0.5, timeout_s - self._margin_s)

    def extend(self, seconds):
        """Time the judge spent on its own (waiting for the GPU, timing the reference) does not count against it."""
        self._deadline += seconds

    def remaining(self):
        return self._deadline - time.monotonic()

    def call(self, op, fds=(), keep_fds=False, on_request=None, within_s=None, **fields):
        """The answer to one request, and the descriptors that came with it when keep_fds (the caller closes them);
        otherwise any that came are closed here (a candidate process may send them to exhaust the judge's).
        on_request(request) -> reply: what the judge answers the candidate process's own requests before its answer
        (a build for the trusted build step); by default self.on_request, kept for every call, because a candidate
        may build its extension in forward() as well as at import."""
        on_request = on_request or self.on_request
        # within_s: a shorter deadline for this call alone (a question the judge can do without); the process's own
        # requests (a build, which takes its own minutes) are refused then.
        deadline = self._deadline if within_s is None else min(self._deadline, time.monotonic() + within_s)
        if within_s is not None and on_request is not None:
            on_request = _refuse
        if self.closed:
            raise CandidateFailed("died", "the candidate process has already ended")
        try:
            kbh_channel.send(self.sock, {"op": op, **fields}, fds)
            answer, got = kbh_channel.receive(self.sock, deadline)
            requests = 0
            while on_request is not None and isinstance(answer.get("request"), dict):
                for fd in got:
                    os.close(fd)
                requests += 1
                if requests > _MAX_REQUESTS:  # unread replies would fill the socket and block the judge's send
                    raise kbh_channel.ChannelError("flood", f"more than {_MAX_REQUESTS} requests in one call ({op})")
                kbh_channel.send(self.sock, on_request(answer["request"]))
                answer, got = kbh_channel.receive(self.sock, deadline)
        except kbh_channel.ChannelError as e:
            self.close(wait_s=1.0 if e.kind == "closed" else 0.0)  # a process that is dying: learn how it ended
            raise self._failure(op, e) from None
        except OSError as e:  # the socket broke while sending: the process is gone
            self.close()
            raise self._failure(op, kbh_channel.ChannelError("closed", str(e))) from None
        if "error" in answer or not keep_fds:
            for fd in got:
                os.close(fd)
            got = []
        if "error" in answer:
            raise CandidateFailed("error", str(answer["error"])[:3000], str(answer.get("trace", ""))[-3000:])
        return answer, got

    def _failure(self, op, error):
        if error.kind == "deadline":
            return CandidateFailed("timeout", f"the candidate did not finish within {self.timeout_s:g} s (at {op})")
        if error.kind == "closed":
            exit_info = self.exit or {}
            how = _SIGNALS.get(exit_info.get("signal"), f"signal {exit_info.get('signal')}") \
                if "signal" in exit_info else f"exit code {exit_info.get('code', 'unknown')}"
            if self.oom_killed:
                return CandidateFailed("died", f"the candidate process died during {op} ({how}): it went over its cap "
                                               f"on host memory ({self.sandbox.get('memory_cap', '')})")
            return CandidateFailed("died", f"the candidate process died during {op} ({how})")
        if error.kind == "flood":
            return CandidateFailed("flood", f"the candidate process flooded its channel during {op}: {error}")
        return CandidateFailed("garbage", f"the candidate process broke the protocol during {op}: {error}")

    def cpu_seconds(self):
        """User and system CPU time of the process (all its threads, ended ones too) and its live descendants."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for pid in [self.pid] + kbh_files.descendants(self.pid):
            try:
                with open(f"/proc/{pid}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, ValueError, IndexError):
                pass
        return total

    def cores(self):
        try:
            return max(1, len(os.sched_getaffinity(self.pid)))
        except OSError:
            return os.cpu_count() or 1

    def output_tail(self, limit=4000):
        try:
            size = os.fstat(self.capture.fileno()).st_size
            self.capture.seek(max(0, size - limit))
            return self.capture.read(limit).decode("utf-8", errors="replace")
        except OSError:
            return ""

    def close(self, wait_s=0.0):
        """Ends the process and everything it started (the fork server kills and reaps them all)."""
        if self.closed:
            return
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass
        if wait_s == 0:
            try:
                os.kill(self.pid, 9)  # still the fork server's unreaped child: the pid cannot have been reused
            except OSError:
                pass
        self.exit, self.killed = self.server.cleanup(self.pid, wait_s)
        if self.group is not None:
            self.oom_killed = self.group.oom_killed()
            self.group.remove()

    def finish(self):
        """A polite end: asks the process to exit, then kills whatever is left."""
        if not self.closed:
            try:
                kbh_channel.send(self.sock, {"op": "exit"})
            except OSError:
                pass
            self.close(wait_s=0.5)
        self.capture.close()
