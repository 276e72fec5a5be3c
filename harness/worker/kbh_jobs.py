"""Job dispatch: build (import the candidate, which builds its extensions), reference (measured once, reused), check."""
import atexit
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback

import torch

import kbh_candidate
import kbh_cgroup
import kbh_check
import kbh_evidence
import kbh_files
import kbh_gpu_turn
import kbh_init_memo
import kbh_load
import kbh_spare
import kbh_spawn
import kbh_timing


def environment():
    env = {"torch_version": torch.__version__, "python_version": platform.python_version(),
           "cuda_version": torch.version.cuda or "", "cuda_device_count": 0, "gpus": []}
    env["driver"] = _driver_version()
    if torch.cuda.is_available():
        env["cuda_device_count"] = torch.cuda.device_count()
        for i in range(env["cuda_device_count"]):
            props = torch.cuda.get_device_properties(i)
            env["gpus"].append({"name": props.name, "uuid": str(getattr(props, "uuid", "")),
                                "memory_bytes": props.total_memory, "sm_count": props.multi_processor_count})
    cache = sys.modules.get("kbh_build_cache")
    if cache is not None:  # what this worker's cache keys are computed from: the harness's build records compare it
        env["build_env"] = cache.environment()
    return env


def _driver_version():
    """The NVIDIA kernel driver's version, from /proc (no nvidia-smi needed); empty without one."""
    try:
        with open("/proc/driver/nvidia/version") as f:
            words = f.readline().split()
        return next((w for w in words if w[:1].isdigit() and "." in w), "")
    except OSError:
        return ""


def _tail(text, limit=3000):
    return text if len(text) <= limit else "..." + text[-limit:]


def _build_modes(entries):
    """How each extension of this build was made: loaded from the extension cache, or file by file as kbh_cc.py
    compiled it (object-cache, pch, light, plain, plain-after-light, ...)."""
    modes = []
    for e in entries:
        if not isinstance(e, dict):
            continue
        if e.get("hit"):
            modes.append(f"{e.get('name')}: library-cache")
        elif e.get("objects"):
            modes.extend(f"{e.get('name')}/{o.get('file')}: {o.get('mode')}" for o in e["objects"] if isinstance(o, dict))
        else:
            modes.append(f"{e.get('name')}: plain")
    return modes


def _cache_record(entries, extensions):
    """What the harness keeps to skip this candidate's build next time (its build records): the cache keys its
    extensions loaded, when every extension it built came from the build cache, with what those keys were computed
    from besides the sources (the judge's own view of the build environment). Empty when the cache is off or anything
    was compiled."""
    cache = sys.modules.get("kbh_build_cache")
    if cache is None or len(entries) != extensions or not all(isinstance(e, dict) and e.get("hit") for e in entries):
        return {}
    return {"cache_keys": [str(e.get("key")) for e in entries], "build_env": cache.environment()}


class Jobs:
    def __init__(self):
        # Every candidate's own process comes from it; its environment is taken now, before the build cache below
        # points CXX at the compiler launcher (a candidate process installs the cache itself).
        # On a GPU the fork servers import what the profiler's first start imports (kbh_kernels.import_profiler, about
        # 3 s), once, instead of every candidate's process before its candidate: a spare was ready 3.8 s after it
        # started, later than the check it was started beside (session 15, H100).
        profiler = torch.cuda.is_available()
        self.server = kbh_spawn.ForkServer(profiler=profiler)
        # The next candidate's process, started while this one is judged, on a second fork server (kbh_spare).
        self.spares = kbh_spare.Spares([self.server, kbh_spawn.ForkServer(profiler=profiler)])
        # The trusted build step's processes come from a fork server of their own: ending one (which kills all that
        # server's children) must not end the candidate's process that waits for it.
        self.build_server = kbh_spawn.ForkServer(weight_fills=False)
        if os.environ.get("KBH_BUILD_CACHE"):
            # The judge builds nothing; it reports the cache's build environment (the harness's build records).
            import kbh_build_cache
            kbh_build_cache.install(os.environ["KBH_BUILD_CACHE"])
        self.problems = {}  # path+sha -> module
        self.references = {}  # ref_key -> kbh_check.Reference
        # The current reference's large weight fills, in sealed memfds: each candidate's process replays those its
        # construction draws from the same generator state (KernelBench seeds both alike) instead of drawing them again.
        self.init_memo = kbh_init_memo.InitMemo(shared=True)
        kbh_cgroup.remove_stale()  # the memory cgroups of judges killed before they could remove theirs
        self._own_quiet = None  # the quiet lock's folder when the harness gave no lock folder (_quiet_dir)
        self._started = set()  # the devices this judge has its CUDA context on
        self.notify = lambda event: None  # progress events of the current job ("gpu_wait", "gpu_acquired")
        self.candidate_output = ""  # what the last candidate process printed

    def run(self, req):
        job = req.get("job")
        if job == "ping":
            return {"ok": True}
        if job == "build":
            return self.build(req)
        if job == "sandbox":  # kbh doctor: what a candidate's process gets on this machine
            proc = self._spawn(req)
            proc.finish()
            sandbox = dict(proc.sandbox)
            if self.server.profiler_refused:  # (the profiler's modules are then imported in every candidate's process)
                sandbox["fork_server"] = self.server.profiler_refused
            return {"status": "ok", "sandbox": sandbox}
        device = torch.device(req.get("device", "cpu"))
        if device.type == "cuda":
            if not torch.cuda.is_available() or (device.index or 0) >= torch.cuda.device_count():
                return {"status": "bad_input", "reason": f"device {device} is not available to this Python "
                                                         f"(torch {torch.__version__}, "
                                                         f"{torch.cuda.device_count()} CUDA device(s))"}
            if device.index is None:  # "cuda" means the current device; set_device wants an index
                device = torch.device("cuda", torch.cuda.current_device())
            # The judge's own CUDA context, once, as any process's start: never beside timed calls (kbh_gpu_turn).
            with kbh_gpu_turn.starting(None if device in self._started else self._quiet_dir(req, device), device):
                torch.cuda.set_device(device)
                torch.empty(1, device=device)
            self._started.add(device)
        dtype = None if req.get("precision", "fp32") == "fp32" else kbh_load.PRECISIONS[req["precision"]]
        if job == "reference":
            # Only check workers measure references: their candidate fork servers start importing beside this
            # reference, not when the first candidate's process is wanted (8.8-9.9 s on the check's path, H100); after
            # it where it is timed (separate timing order): their imports take cores its timing should have alone.
            timed = req.get("measure_performance", True)
            if not timed:
                self._launch_servers()
                self._spare_ahead(req, device)
            answer = self.reference(req, device, dtype)
            if answer.get("status") != "ok":
                self.spares.discard()  # (no check follows a failed reference)
            elif timed:
                self._launch_servers()
                self._spare_ahead(req, device)
            return answer
        if job == "check":
            return self.check(req, device, dtype)
        return {"status": "bad_input", "reason": f"unknown job {job!r}"}

    def _problem(self, path):
        with open(path, "rb") as f:
            data = f.read()
        key = path + ":" + hashlib.sha256(data).hexdigest()
        if key not in self.problems:
            module = kbh_load.exec_module("kbh_problem_" + hashlib.sha256(key.encode()).hexdigest()[:12],
                                          data.decode("utf-8"), path)
            module.kbh_sha256 = hashlib.sha256(data).hexdigest()  # of the very bytes run: the verdict records it
            module.kbh_source = data.decode("utf-8")  # the text a candidate's module runs first (KernelBench's namespace)
            self.problems[key] = module
        return self.problems[key]

    def _spawn(self, req, spare=None):
        """The candidate's process: the spare when spare (its key) matches the one started ahead, else a new one. Any
        candidate process still ending has ended first, told to the harness before this one's time limit starts."""
        self.wait_ended()
        proc = self.spares.take(spare, _timeout(req)) if spare else None
        if proc is None:
            proc = kbh_spawn.CandidateProcess(self.spares.free_server(), {"sandbox": _sandbox_config(req, build=False)},
                                              _timeout(req))
        missing = proc.sandbox.get("missing") or {}
        if req.get("sandbox") == "require" and missing:
            proc.finish()
            raise SandboxRequired("the sandbox is required (--require-sandbox) but this machine cannot give a candidate "
                                  + "; ".join(f"{part} ({why})" for part, why in sorted(missing.items())))
        return proc

    def _load(self, proc, req, reference_source=None):
        """Imports the candidate in its process (building or loading its extensions): the build answer.
        reference_source: the problem's text, run first in the candidate's module (KernelBench's namespace)."""
        cache = os.environ.get("KBH_BUILD_CACHE")
        fds = []
        if getattr(proc, "spare_ready_s", None) is not None:  # started before its candidate was known: no file bound
            with open(req["candidate_path"], "rb") as f:
                fds.append(kbh_files.sealed_bytes(f.read(), "kbh-candidate"))
        proc.on_request = lambda request: self._trusted_build(req, proc, request)  # at import and in any later call
        try:
            answer, _ = proc.call("load", fds=fds, candidate_path=req["candidate_path"],
                                  reference_source=reference_source,
                                  reference_path=os.path.basename(req.get("problem_path") or "") or None,
                                  module_name="kbh_candidate_" + req["candidate_key"],
                                  extensions_dir=None if fds else req.get("extensions_dir"), build_cache=cache,
                                  remote_builds=bool(cache))
        finally:
            kbh_files.close_all(fds)
        entries = answer.get("entries") if isinstance(answer.get("entries"), list) else []
        count = int(answer.get("extensions_built") or 0)
        info = {"build_seconds": float(answer.get("build_seconds") or 0.0),
                "extension_seconds": float(answer.get("extension_seconds") or 0.0), "extensions_built": count,
                "kinds": [k for k in answer.get("kinds") or [] if k in ("cpp", "cuda")],
                "build_modes": _build_modes(entries), **_cache_record(entries, count)}
        if answer.get("status") != "built":
            return {"status": "compile_error", "reason": _tail(str(answer.get("reason", ""))), **info}
        return {"status": "built", **info}

    def _trusted_build(self, req, proc, request):
        """A miss of the candidate's build, built into the shared cache by a fresh process that runs none of its code
        (kbh_trusted_build): the reply to the candidate process's request."""
        cache = os.environ.get("KBH_BUILD_CACHE")
        if request.get("op") != "build" or not isinstance(request.get("call"), dict) or not cache:
            return {"ok": False, "reason": "not a build request the judge takes"}
        config = {"sandbox": _sandbox_config(req, build=True, bind_candidate=False)}
        try:
            builder = kbh_spawn.CandidateProcess(self.build_server, config, max(1.0, proc.remaining()))
        except kbh_spawn.CandidateFailed as e:
            return {"ok": False, "reason": "starting the trusted build step: " + str(e)}
        try:
            # A compile error is kept only from a build step whose sandbox was whole (nothing it needs hidden from it).
            answer, _ = builder.call("trusted_build", build_cache=cache, fn=str(request.get("fn")), call=request["call"],
                                     keep_failures=not builder.sandbox.get("missing"))
            if answer.get("ok"):
                return {"ok": True}
            return {"ok": False, "reason": _tail(f"{answer.get('reason', '')}\n{builder.output_tail()}".strip())}
        except kbh_spawn.CandidateFailed as e:
            return {"ok": False, "reason": _tail(f"the trusted build step: {e}\n{builder.output_tail()}".strip())}
        finally:
            builder.finish()

    def build(self, req):
        try:
            proc = self._spawn(req)
        except SandboxRequired as e:
            return {"status": "bad_input", "reason": str(e)}
        except kbh_spawn.CandidateFailed as e:
            return {"status": "compile_error", "reason": "starting the candidate's process: " + str(e)}
        try:
            return self._load(proc, req, _reference_text(req))
        except kbh_spawn.CandidateFailed as e:
            failed = kbh_candidate.failure_result(e)
            return {**failed, "status": "timeout" if failed["status"] == "timeout" else "compile_error",
                    "reason": "building the candidate: " + failed["reason"]}
        finally:
            self.candidate_output = proc.output_tail()
            proc.finish()

    def _launch_servers(self):
        for server in self.spares.servers:
            try:
                server.launch()  # no waiting: the first spawn waits for it to be ready
            except RuntimeError:  # not from the main thread: it starts when it is first needed
                pass

    def _spare_ahead(self, req, device):
        """The process for the first check after this reference, started now (beside an untimed reference, after a
        timed one): the first check of each lane waited 2.9-5.5 s for its own (H100, session 16). candidates_folder
        (where the harness writes candidate files) gives the sandbox the check's own process would get, so that the
        check takes it; no candidate is being judged, so none can reach it."""
        folder = req.get("candidates_folder")
        if not folder or self.spares.pending():
            return
        os.makedirs(folder, exist_ok=True)  # (a folder that does not exist yet is left out of the sandbox's mask)
        # (The harness sends the folder only when its checks are timed: a reference job is often untimed itself.)
        like = {**req, "candidate_path": os.path.join(folder, "next.py"),
                "extensions_dir": os.path.join(folder, "ext", "next"), "measure_performance": True}
        config, key = self._spare_config(like, device)
        if key:
            try:
                self.spares.start(key, config, _timeout(req), str(device), busy_server=None,
                                  starting=kbh_gpu_turn.starting(self._quiet_dir(req, device), device))
            except RuntimeError:  # (not from the main thread: the check starts its own)
                pass

    def reference(self, req, device, dtype):
        self.references.clear()  # one problem's reference (and inputs, and weight fills) at a time
        kbh_check.forget_inputs()
        self.init_memo.clear()
        try:
            problem = self._problem(req["problem_path"])
            ref = kbh_check.run_reference(problem, req, device, dtype, self._turn(req, device), self.init_memo)
            ref.problem = problem
        except kbh_load.Unsupported as e:
            return {"status": "bad_input", "reason": str(e)}
        except Exception:
            return {"status": "reference_error", "reason": "the reference failed: " + _tail(traceback.format_exc()),
                    "unhealthy": device.type == "cuda"}
        self.references[req["ref_key"]] = ref  # the only one: Level 1 outputs take gigabytes
        return {"status": "ok", "times_ms": ref.times_ms, "phase_seconds": ref.phase_seconds,
                "problem_sha256": problem.kbh_sha256}

    def _turn(self, req, device):
        """The GPU's lock shared with the other workers on it (gpu_lock_dir: where the harness keeps such locks)."""
        return kbh_gpu_turn.GpuTurn(req.get("gpu_lock_dir"), device, self.notify,
                                    on_release=lambda: kbh_check.release_device_memory(device),
                                    quiet_dir=self._quiet_dir(req, device), settle=self._settle_servers,
                                    ended=self.wait_ended)

    def wait_ended(self, limit_s=None):
        """Before a GPU turn and before a check's first step: the candidate processes still ending have ended
        (kbh_spawn.ForkServer.end_later), so that nothing of an earlier candidate runs beside the next one's code,
        calibration or timed calls. Returns the seconds waited."""
        ending = [server for server in self.spares.servers if server.ending]
        if not ending:
            return 0.0
        # The harness does not count this wait against the job's time limit, as a wait for the GPU: an earlier
        # candidate that makes its end slow (thousands of processes to kill) must not cost the next its verdict.
        self.notify("gpu_wait")
        try:
            return sum(server.wait_ended(limit_s) for server in ending)
        finally:
            self.notify("gpu_acquired")

    def _settle_servers(self, limit_s):
        """Before timed calls: this judge's fork servers still importing torch finish first (kbh_spawn.settle)."""
        deadline = time.monotonic() + limit_s
        for server in self.spares.servers + [self.build_server]:
            server.settle(deadline - time.monotonic())

    def _quiet_dir(self, req, device):
        """Where the GPU's quiet lock lives (kbh_gpu_turn): beside the workers' turn locks, or, for a worker run
        without them, a folder of this worker's own (its spares and its timed calls still keep apart). None on a CPU:
        a start there is no work on the device."""
        if device.type != "cuda":
            return None
        if req.get("gpu_lock_dir"):
            return req["gpu_lock_dir"]
        if self._own_quiet is None:
            self._own_quiet = tempfile.mkdtemp(prefix="kbh-quiet-")
            _JUDGE_LOCKS.add(self._own_quiet)  # (masked in every candidate's sandbox, as the harness's lock folder)
            atexit.register(shutil.rmtree, self._own_quiet, True)
        return self._own_quiet

    def check(self, req, device, dtype):
        ref = self.references.get(req["ref_key"])
        ref_times = None
        if ref is None:
            answer = self.reference(req, device, dtype)
            if answer["status"] != "ok":
                return answer
            ref, ref_times = self.references[req["ref_key"]], answer["times_ms"]
        # The last candidate's process, ending in the background, is gone before this one's code, calibration or
        # timed calls run (its CPU, memory and GPU work never beside them), and before its process is forked.
        previous_end = self.wait_ended()
        start = time.perf_counter()
        spare_config, spare_key = self._spare_config(req, device)
        try:
            proc = self._spawn(req, spare_key)
        except SandboxRequired as e:
            return {"status": "bad_input", "reason": str(e)}
        except kbh_spawn.CandidateFailed as e:
            return {"status": "runtime_error", "reason": "starting the candidate's process: " + str(e)}
        spawned = time.perf_counter() - start
        spare_ready = getattr(proc, "spare_ready_s", None)
        info, calibrated, loaded = {}, None, None
        try:
            calibrating = time.perf_counter()
            timed = req.get("measure_performance", True)
            # A process of its own makes its CUDA context here, timed or not, and keeps away from timed calls on the
            # GPU as a spare's start does; the wait is the judge's, not the candidate's time. (In a spare the context
            # exists already: this only tells it how to time.)
            with kbh_gpu_turn.starting(self._quiet_dir(req, device) if spare_ready is None else None, device) as start:
                proc.extend(start.waited_s)
                proc.call("prepare", device=str(device), **({"timing_method": req["timing_method"]} if timed else {}))
            if timed:
                if spare_ready is None:  # a spare measured this while the last candidate was judged
                    proc.idle_cpu_rate = kbh_evidence.idle_cpu_rate(proc)
                # Before the next spare starts: its CUDA context is GPU work of another process (see below).
                proc.calibration = kbh_evidence.calibrate(proc, req["timing_method"], device, _beside(ref, req, device),
                                                          kbh_timing.calibration_batch(req["timing_method"],
                                                                                       req["perf_trials"]))
            calibrated = time.perf_counter() - calibrating
            # The next candidate's process gets ready while this one is judged, only where no candidate can reach
            # another candidate's process: the whole sandbox (its own PID namespace, no ptrace) is in force. Its CUDA
            # start never runs beside timed calls on this GPU, this candidate's or another worker's (kbh_gpu_turn).
            if not _SPARE_AFTER_CHECK:
                self._next_spare(req, device, spare_key, spare_config, proc)
            info = self._load(proc, req, ref.problem.kbh_source)
            loaded = time.perf_counter() - calibrating - calibrated
            if info["status"] != "built":
                return info
            # The problem as the reference ran it, not the file read again: one version for both.
            result = kbh_candidate.check(proc, ref.problem, ref, req, device, dtype, self._turn(req, device),
                                         self.init_memo)
        except kbh_spawn.CandidateFailed as e:
            result = kbh_candidate.failure_result(e)
        except torch.cuda.OutOfMemoryError as e:
            # The judge's own copies of the outputs found no GPU memory: the candidate's process held it (the judge
            # keeps only the reference's outputs between candidates). Its verdict, not the judge's failure; the memory
            # comes back when its process ends, below.
            result = {"status": "runtime_error", "findings": [], "phase_seconds": {},
                      "reason": "the judge found no GPU memory left to check this candidate's outputs while the "
                                "candidate's process held GPU memory: " + _tail(str(e), 500)}
        finally:
            self.candidate_output = proc.output_tail()
            ending = time.perf_counter()
            if _END_WAITS:  # (its end, CUDA context included, on this lane's path: measured, as a phase, below)
                proc.finish()
            else:  # (the next GPU turn and the next spawn on its server wait for it)
                proc.server.end_later(proc)
            if device.type == "cuda":
                torch.cuda.empty_cache()
            ended = time.perf_counter() - ending
            if _SPARE_AFTER_CHECK:  # (once this candidate's process, and all it started, has ended)
                proc.server.wait_ended()
                self._next_spare(req, device, spare_key, spare_config, proc)
        if ref.timed_after and result.get("times_ms"):  # (timed_after: its model was kept, kbh_check.run_reference)
            try:
                result["paired_ref_times_ms"], seconds = kbh_check.time_reference_after(ref, req, device, dtype,
                                                                                        self._turn(req, device))
                result.setdefault("phase_seconds", {})["reference_after"] = round(seconds, 4)
            except Exception as e:  # (the judge's own failure, not the candidate's: the problem's first timing counts)
                result.setdefault("timing_check", {})["reference_after_failed"] = _tail(f"{type(e).__name__}: {e}", 300)
        result.update({k: v for k, v in info.items() if k not in ("status", "reason")})
        if req.get("measure_performance", True) and result.get("times_ms"):
            result.setdefault("timing_check", {})["timing"] = kbh_timing.describe(
                req["timing_method"], req.get("timing_order"), device)
        # (What entering it took is a phase, below, not part of what the sandbox was.)
        result["sandbox"] = {k: v for k, v in proc.sandbox.items() if k not in ("limit_names", "seconds")}
        result["problem_sha256"] = ref.problem.kbh_sha256
        result.setdefault("phase_seconds", {})["candidate_process.start"] = round(spawned, 4)
        if previous_end:  # (before the start above: the last candidate's process ending, not this one's doing)
            result["phase_seconds"]["previous_candidate_process.end"] = round(previous_end, 4)
        for name, seconds in (("calibrate", calibrated), ("load", loaded), ("candidate_process.end", ended)):
            if seconds is not None:
                result["phase_seconds"][name] = round(seconds, 4)
        if isinstance(proc.sandbox.get("seconds"), (int, float)):  # entering it, part of the start (or of a spare's)
            result["phase_seconds"]["sandbox.enter"] = proc.sandbox["seconds"]
        if spare_ready is not None:  # its start, CUDA context included, overlapped the previous candidate's check
            result["phase_seconds"]["ahead.candidate_process"] = round(spare_ready, 4)
        if ref_times is not None:
            result["ref_times_ms"] = ref_times
            if ref.start_beside:  # (the reference's timed calls did not get the quiet lock: a start may have run beside)
                result.setdefault("timing_check", {})["reference_start_beside"] = True
            result["phase_seconds"] = {**{"reference." + k: v for k, v in ref.phase_seconds.items()},
                                       **result.get("phase_seconds", {})}
        return result


    def _next_spare(self, req, device, key, config, proc):
        """The next candidate's process, started on the fork server proc's is not; only where a spare is used (key)
        and proc ran inside the whole sandbox (kbh_spare.sealed_off)."""
        if not key or not kbh_spare.sealed_off(proc):
            return
        try:
            self.spares.start(key, config, _timeout(req), str(device), busy_server=proc.server,
                              starting=kbh_gpu_turn.starting(self._quiet_dir(req, device), device))
        except (RuntimeError, OSError):  # (a fork server that cannot start: the next check starts its own process;
            pass  # after a check, inside its `finally`, nothing may replace the check's own answer)

    @staticmethod
    def _spare_config(req, device):
        """The sandbox a process started before its candidate is known gets (no candidate file, no extensions folder
        of its own), and the key a later check must match to be handed it; (None, None) where no spare is used: the
        candidate's builds need a folder of their own when there is no shared build cache, and the sandbox must be on."""
        # KBH_SPARES=0: none, as with the sandbox off, so that the two differ in the sandbox alone (docs/settings.md).
        if not os.environ.get("KBH_BUILD_CACHE") or not req.get("measure_performance", True) \
                or os.environ.get("KBH_SPARES") == "0":
            return None, None
        config = {"sandbox": _sandbox_config(req, build=False, bind_candidate=False)}
        if not config["sandbox"].get("enabled"):
            return None, None
        return config, json.dumps([config, str(device), req.get("sandbox")], sort_keys=True)


class SandboxRequired(Exception):
    """The request asked for the whole sandbox and this machine cannot give every part of it."""


_JUDGE_CWD = os.getcwd()
# KBH_SPARES=after: the next candidate's process starts when this check is over and its candidate's process has
# ended, not while this candidate loads, so its CUDA start never holds up this check's own timed calls inside the GPU
# turn (docs/settings.md).
_SPARE_AFTER_CHECK = os.environ.get("KBH_SPARES") == "after"
# KBH_END=wait: a candidate's process ends on the lane's path, before the check answers, as before session 25
# (docs/settings.md).
_END_WAITS = os.environ.get("KBH_END") == "wait"
# Folders of the judge's own locks. Whoever holds the GPU's turn or quiet lock holds up every worker on that GPU, so no
# candidate may open them: they are masked like the judge's other places (a lock folder need not be under /tmp).
_JUDGE_LOCKS = set()


def _uncovers(path, masked):
    """Whether binding path back would show a masked folder again: by real path, it is one or lies above one."""
    real = os.path.realpath(path)
    return any(m == real or m.startswith(real.rstrip("/") + "/") for m in masked)


def _sandbox_config(req, build, bind_candidate=True):
    """What a candidate's process may see: the judge's own places masked, the few it needs bound back. build: the
    trusted build step's process (no candidate code), the only one that may write the shared build cache.
    bind_candidate False: a process started before its candidate is known (or the trusted build step) gets neither
    the candidate's file nor its extensions folder, but the folders holding all candidates' are masked all the same."""
    if req.get("sandbox") == "off" or os.environ.get("KBH_SANDBOX") == "0":
        return {"enabled": False}
    worker_dir = os.path.dirname(os.path.abspath(__file__))
    cache = os.environ.get("KBH_BUILD_CACHE")
    candidate, extensions, problem = req.get("candidate_path"), req.get("extensions_dir"), req.get("problem_path")
    mask = {os.path.expanduser("~"), "/root", "/home", _JUDGE_CWD, os.path.dirname(os.path.dirname(worker_dir))}
    for path in (cache, candidate, extensions, problem):
        if path:
            mask.add(os.path.dirname(os.path.dirname(os.path.abspath(path))))
    if problem:  # the other problems of the level, the KernelBench checkout
        mask.add(os.path.dirname(os.path.dirname(os.path.abspath(problem))))
    if req.get("gpu_lock_dir"):  # (made now: one made after the sandbox would appear in its view of the host)
        os.makedirs(req["gpu_lock_dir"], exist_ok=True)
        mask.add(os.path.abspath(req["gpu_lock_dir"]))
    mask |= _JUDGE_LOCKS
    # Python, torch and whatever else the fork server imports from may live under a masked folder (a virtual
    # environment in the home folder): bound back read-only.
    if not bind_candidate:
        candidate = extensions = None
    # Never a masked folder itself or one above it (a sys.path entry of the judge's working folder, as under pytest,
    # would undo that mask, and bound read-only over it, stopped the binds after it: session 20's trusted builds then
    # wrote into the sandbox's own tmpfs and kept nothing).
    # (Compared by real path: a symlink to a masked folder would undo it as well, a red-team review.)
    masked = {os.path.realpath(m) for m in mask if m}
    python = {os.path.normpath(p) for p in
              [sys.prefix, sys.exec_prefix, os.path.dirname(os.path.dirname(torch.__file__))] + sys.path if p}
    read_only = [worker_dir] + ([candidate] if candidate else []) + sorted(
        p for p in python if os.path.isdir(p) and p != "/" and not _uncovers(p, masked))
    writable = []
    if extensions:
        os.makedirs(extensions, exist_ok=True)
        writable.append(extensions)
    if cache:
        (writable if build else read_only).append(cache)
    mask = {m for m in mask if m and m != "/" and os.path.isdir(m)}
    cap = _host_memory_cap()
    return {"enabled": True, "mask": sorted(mask), "read_only": read_only, "writable": writable,
            # RLIMIT_DATA counts address space, which the CUDA driver reserves by the hundred gigabytes: on a GPU only
            # the memory cgroup caps what the process really holds.
            "max_memory_bytes": None if req.get("device", "cpu").startswith("cuda") else cap,
            "cgroup": {"memory_bytes": cap, "max_pids": 4096} if cap else None}


def _reference_text(req):
    """The problem's source for a build job (no reference is held for it); None without one."""
    path = req.get("problem_path")
    if not path:
        return None
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def _host_memory_cap():
    """What one candidate's process may hold of the host's memory: KBH_CANDIDATE_MEMORY_BYTES (a machine fact), else
    three quarters of it."""
    if os.environ.get("KBH_CANDIDATE_MEMORY_BYTES", "").isdigit():
        return int(os.environ["KBH_CANDIDATE_MEMORY_BYTES"])
    total = kbh_files.meminfo_bytes("MemTotal")
    return int(total * 0.75) if total else None


def _beside(ref, req, device):
    """What the judge runs between the candidate's timed calls when it times the reference beside them (kbh_candidate
    does when the reference kept its model: a timed call of nothing in the judge's process, as it times the
    reference), for the calibration to see the same switches between the two processes; None when the timed calls
    run back to back."""
    if not ref.timed_beside:
        return None
    once = kbh_timing.once_for(req["timing_method"], device)
    return lambda: once(lambda: None, device)


def _timeout(req):
    """The candidate's own time limit: the harness's limit for this job."""
    return float(req.get("timeout_s") or 300.0)
