"""Job dispatch: build (import the candidate, which builds its extensions), reference (measured once, reused), check."""
import hashlib
import os
import platform
import sys
import time
import traceback

import kbh_guard  # first: saves torch's functions before anything else can touch them
import torch

import kbh_candidate
import kbh_check
import kbh_gpu_turn
import kbh_init_memo
import kbh_load

_KEEP_CANDIDATES = 4


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


def _cache_entries():
    cache = sys.modules.get("kbh_build_cache")
    return cache.stats()["entries"] if cache else []


def _build_modes(entries):
    """How each extension of this build was made: loaded from the extension cache, or file by file as kbh_cc.py
    compiled it (object-cache, pch, light, plain, plain-after-light, ...)."""
    modes = []
    for e in entries:
        if e.get("hit"):
            modes.append(f"{e['name']}: library-cache")
        elif e.get("objects"):
            modes.extend(f"{e['name']}/{o['file']}: {o['mode']}" for o in e["objects"])
        else:
            modes.append(f"{e['name']}: plain")
    return modes


def _cache_record(entries, extensions):
    """What the harness keeps to skip this candidate's build next time (its build records): the cache keys its
    extensions loaded, when every extension it built came from the build cache, with what those keys were computed
    from besides the sources. Empty when the cache is off or anything was compiled here."""
    cache = sys.modules.get("kbh_build_cache")
    if cache is None or len(entries) != extensions or not all(e.get("hit") for e in entries):
        return {}
    return {"cache_keys": [e["key"] for e in entries], "build_env": cache.environment()}


class Jobs:
    def __init__(self):
        if os.environ.get("KBH_BUILD_CACHE"):
            # Before the tracker wraps load_inline/load, so it counts calls that go through the cache.
            import kbh_build_cache
            kbh_build_cache.install(os.environ["KBH_BUILD_CACHE"])
        self.tracker = kbh_load.ExtensionTracker()
        self._entries_before = []  # the build cache's entries when the current build started
        self.candidates = {}  # key -> (module, build info)
        self.problems = {}  # path+sha -> module
        self.references = {}  # ref_key -> kbh_check.Reference
        self.init_memo = kbh_init_memo.InitMemo()  # the current reference's large weight fills
        self.notify = lambda event: None  # progress events of the current job ("gpu_wait", "gpu_acquired")

    def run(self, req):
        job = req.get("job")
        if job == "ping":
            return {"ok": True}
        if job == "build":
            return self.build(req)
        device = torch.device(req.get("device", "cpu"))
        if device.type == "cuda":
            if not torch.cuda.is_available() or (device.index or 0) >= torch.cuda.device_count():
                return {"status": "bad_input", "reason": f"device {device} is not available to this Python "
                                                         f"(torch {torch.__version__}, "
                                                         f"{torch.cuda.device_count()} CUDA device(s))"}
            if device.index is None:  # "cuda" means the current device; set_device wants an index
                device = torch.device("cuda", torch.cuda.current_device())
            torch.cuda.set_device(device)
        dtype = None if req.get("precision", "fp32") == "fp32" else kbh_load.PRECISIONS[req["precision"]]
        if job == "reference":
            return self.reference(req, device, dtype)
        if job == "check":
            return self.check(req, device, dtype)
        return {"status": "bad_input", "reason": f"unknown job {job!r}"}

    def _problem(self, path):
        with open(path, "rb") as f:
            data = f.read()
        key = path + ":" + hashlib.sha256(data).hexdigest()
        if key not in self.problems:
            self.problems[key] = kbh_load.exec_module("kbh_problem_" + hashlib.sha256(key.encode()).hexdigest()[:12],
                                                      data.decode("utf-8"), path)
        return self.problems[key]

    def build(self, req):
        kbh_guard.restore()
        self.tracker.reset()
        if req.get("extensions_dir"):
            os.environ["TORCH_EXTENSIONS_DIR"] = req["extensions_dir"]
        with open(req["candidate_path"], "rb") as f:
            source = f.read().decode("utf-8")
        threads_before = kbh_guard.active_threads()
        self._entries_before = _cache_entries()
        start = time.perf_counter()
        info = {"build_seconds": 0.0, "extensions_built": 0, "kinds": []}
        try:
            module = kbh_load.exec_module("kbh_candidate_" + req["candidate_key"], source, req["candidate_path"])
        except kbh_load.BuildFailed as e:
            return {"status": "compile_error", "reason": _tail(str(e)), **self._build_info(start)}
        except SyntaxError as e:
            return {"status": "compile_error", "reason": f"SyntaxError: {e.msg} (line {e.lineno})",
                    **self._build_info(start)}
        except BaseException as e:  # anything raised while importing: the candidate does not load
            if isinstance(e, KeyboardInterrupt):
                raise
            return {"status": "compile_error", "reason": "importing the candidate failed: " +
                                                         _tail(traceback.format_exc()), **self._build_info(start)}
        info = self._build_info(start)
        if not isinstance(getattr(module, "ModelNew", None), type):
            return {"status": "compile_error", "reason": "the candidate defines no class ModelNew", **info}
        while len(self.candidates) >= _KEEP_CANDIDATES:
            old = next(iter(self.candidates))
            sys.modules.pop("kbh_candidate_" + old, None)
            del self.candidates[old]
        self.candidates[req["candidate_key"]] = (module, info, threads_before)
        return {"status": "built", **info}

    def _build_info(self, start):
        entries = _cache_entries()[len(self._entries_before):]
        return {"build_seconds": time.perf_counter() - start if self.tracker.count else 0.0,
                "extension_seconds": self.tracker.seconds,
                "extensions_built": self.tracker.count, "kinds": sorted(self.tracker.kinds),
                "build_modes": _build_modes(entries), **_cache_record(entries, self.tracker.count)}

    def reference(self, req, device, dtype):
        self.references.clear()  # one problem's reference (and inputs, and weight fills) at a time
        kbh_check.forget_inputs()
        self.init_memo.clear()
        try:
            ref = kbh_check.run_reference(self._problem(req["problem_path"]), req, device, dtype, self._turn(req, device),
                                          self.init_memo)
        except kbh_load.Unsupported as e:
            return {"status": "bad_input", "reason": str(e)}
        except Exception:
            return {"status": "reference_error", "reason": "the reference failed: " + _tail(traceback.format_exc()),
                    "unhealthy": device.type == "cuda"}
        self.references[req["ref_key"]] = ref  # the only one: Level 1 outputs take gigabytes
        return {"status": "ok", "times_ms": ref.times_ms, "phase_seconds": ref.phase_seconds}

    def _turn(self, req, device):
        """The GPU's lock shared with the other workers on it (gpu_lock_dir: where the harness keeps such locks)."""
        return kbh_gpu_turn.GpuTurn(req.get("gpu_lock_dir"), device, self.notify,
                                    on_release=lambda: kbh_check.release_device_memory(device))

    def check(self, req, device, dtype):
        if req["candidate_key"] not in self.candidates:
            built = self.build(req)
            if built["status"] != "built":
                return built
        module, info, threads_before = self.candidates[req["candidate_key"]]
        ref = self.references.get(req["ref_key"])
        ref_times = None
        if ref is None:
            answer = self.reference(req, device, dtype)
            if answer["status"] != "ok":
                return answer
            ref, ref_times = self.references[req["ref_key"]], answer["times_ms"]
        try:
            result = kbh_candidate.check(module, self._problem(req["problem_path"]), ref,
                                         {**req, "threads_before": threads_before}, device, dtype,
                                         self._turn(req, device), self.init_memo)
        except Exception as e:
            text = traceback.format_exc()
            unhealthy = device.type == "cuda" and ("CUDA" in text or "cuda" in str(e).lower())
            result = {"status": "runtime_error", "reason": _tail(f"{type(e).__name__}: {e}\n{text}"),
                      "unhealthy": unhealthy}
        finally:
            kbh_guard.restore()
        result.update(info)
        if ref_times is not None:
            result["ref_times_ms"] = ref_times
            result["phase_seconds"] = {**{"reference." + k: v for k, v in ref.phase_seconds.items()},
                                       **result.get("phase_seconds", {})}
        return result
