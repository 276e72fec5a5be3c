"""The candidate process: the only place a candidate's code runs (import, construction, forward, its extensions).

Forked by kbh_forkserver for one candidate and never reused for another. It imports the candidate, constructs ModelNew
with KernelBench's seeded initialisation, runs forward on the judge's inputs and hands the outputs back as bytes
(kbh_tensors); it times its own calls with functions bound before the candidate was imported. Everything it says is
self-reported: the judge (kbh_candidate) compares the outputs with its own reference, clocks every timed call from
outside, spot-checks the output of a timed call it picks afterwards, and reads the process's CPU time from /proc.
The findings computed here (patched functions, aliasing, threads, streams) are flags for researchers, marked
self_reported: a candidate can silence them, and no verdict depends on them holding.
"""
import gc
import linecache
import os
import sys
import tempfile
import time
import traceback

import kbh_guard  # first: the timer and comparison functions, bound before any candidate code exists here
import torch

import kbh_channel
import kbh_fallback
import kbh_fast_fill
import kbh_files
import kbh_hacks
import kbh_init_memo
import kbh_kept_inputs
import kbh_kernels
import kbh_load
import kbh_pinned
import kbh_tensors
import kbh_timing

_perf = time.perf_counter


def _tail(text, limit=3000):
    return text if len(text) <= limit else "..." + text[-limit:]


class Runner:
    def __init__(self, sock, config):
        self.sock = sock
        self.config = config
        self.module = None
        self.model = None
        self.device = torch.device("cpu")
        self.dtype = None
        self.inputs = kbh_kept_inputs.KeptInputs()  # the judge's inputs, per seed
        self.exporter = None  # on a GPU: outputs handed over in GPU memory (kbh_cudashare)
        self.timing_inputs = None
        self.fresh = []  # the inputs of the timed calls to come, when each gets its own copy (op_warmup)
        self.timing_method = None
        self.last = None
        self.threads_before = kbh_guard.active_threads()
        self.tracker = None
        self.large = False  # the last output took more than _LARGE_BYTES
        self.memo = None  # the reference's weight fills the judge handed over (kbh_init_memo), replayed in construct
        self.watch = None  # exceptions caught in the candidate's code during forward (kbh_fallback)
        self.kernels = set()  # the kernels the candidate defines (kbh_kernels)
        self.evidence = {}  # how each kind of runtime evidence was gathered here, or why it was not
        self.staged = None  # the model's weights page-locked for op_to_device (kbh_pinned)
        self.seconds = {}  # this process's own seconds per operation (and per part of a trial), for op_seconds

    def serve(self):
        while True:
            try:
                message, fds = kbh_channel.receive(self.sock)
            except kbh_channel.ChannelError:
                os._exit(0)  # the judge is gone or done
            op = message.get("op")
            if op == "exit":
                os._exit(0)
            start = _perf()
            try:
                answer, out_fds = getattr(self, "op_" + op)(message, fds)
            except Exception as e:
                answer, out_fds = {"error": f"{type(e).__name__}: {e}", "trace": _tail(traceback.format_exc())}, ()
            self._spent(str(op), start)
            try:
                kbh_channel.send(self.sock, answer, out_fds)
            finally:
                for fd in out_fds:
                    os.close(fd)

    # -- the candidate's code ------------------------------------------------------------------------------------------
    def op_load(self, msg, fds):
        if fds and not msg.get("extensions_dir"):  # a spare process: its own extensions and JIT caches in its /tmp
            msg = {**msg, "extensions_dir": tempfile.mkdtemp(prefix="kbh-extensions-")}
        if msg.get("extensions_dir"):  # Triton's JIT cache is this candidate's own, not the shared build cache
            os.environ["TRITON_CACHE_DIR"] = os.path.join(msg["extensions_dir"], ".triton")
        if msg.get("build_cache"):
            import kbh_build_cache
            # The shared cache is read-only here: a miss is built by the judge's trusted build step.
            kbh_build_cache.install(msg["build_cache"], remote=self._remote_build if msg.get("remote_builds") else None)
        self.tracker = kbh_load.ExtensionTracker()
        if msg.get("extensions_dir"):
            os.environ["TORCH_EXTENSIONS_DIR"] = msg["extensions_dir"]
        if fds:  # a process started before its candidate was known (kbh_spare): the source came over the channel
            try:
                source = kbh_files.read_sealed(fds[0], _MAX_SOURCE).decode("utf-8")
            finally:
                kbh_files.close_all(fds)
            # inspect.getsource (TorchScript, for one) reads the file through linecache, and the file is not here.
            linecache.cache[msg["candidate_path"]] = (len(source), None, source.splitlines(True), msg["candidate_path"])
        else:
            with open(msg["candidate_path"], "rb") as f:
                source = f.read().decode("utf-8")
        cache = sys.modules.get("kbh_build_cache")
        before = len(cache.stats()["entries"]) if cache else 0
        start = _perf()
        status, reason = "built", ""
        try:
            # KernelBench's namespace: the reference's source runs first in the module the candidate's runs in, so the
            # candidate may use the problem file's helpers and constants. Only its text: nothing of the judge.
            prelude = (msg["reference_source"], msg.get("reference_path") or "reference.py") \
                if isinstance(msg.get("reference_source"), str) else None
            self.module = kbh_load.exec_module(msg.get("module_name", "kbh_candidate"), source, msg["candidate_path"],
                                               prelude)
        except kbh_load.BuildFailed as e:
            status, reason = "compile_error", _tail(str(e))
        except SyntaxError as e:
            status, reason = "compile_error", f"SyntaxError: {e.msg} (line {e.lineno})"
        except BaseException:
            status, reason = "compile_error", "importing the candidate failed: " + _tail(traceback.format_exc())
        entries = cache.stats()["entries"][before:] if cache else []
        info = {"build_seconds": _perf() - start if self.tracker.count else 0.0,
                "extension_seconds": self.tracker.seconds, "extensions_built": self.tracker.count,
                "kinds": sorted(self.tracker.kinds), "entries": entries,
                "build_env": cache.environment() if cache else None}
        if status == "built" and not isinstance(getattr(self.module, "ModelNew", None), type):
            status, reason = "compile_error", "the candidate defines no class ModelNew"
        self.watch = kbh_fallback.FallbackWatch(msg["candidate_path"])
        self.kernels = kbh_kernels.defined_kernels([source] + self.tracker.sources)
        return {"status": status, "reason": reason, **info}, ()

    def _remote_build(self, fn_name, call):
        """Asks the judge, in the middle of the load it asked for, to build this call (kbh_trusted_build)."""
        kbh_channel.send(self.sock, {"request": {"op": "build", "fn": fn_name, "call": call}})
        answer, fds = kbh_channel.receive(self.sock)
        for fd in fds:
            os.close(fd)
        if not answer.get("ok"):
            raise kbh_load.BuildFailed(str(answer.get("reason", "the trusted build step failed")))

    def op_trusted_build(self, msg, fds):
        """This process runs no candidate code: it builds one call into the shared cache (kbh_trusted_build)."""
        import kbh_trusted_build
        try:
            kbh_trusted_build.build(msg["build_cache"], msg["fn"], msg["call"], "/tmp/kbh-trusted-build",
                                    keep_failures=bool(msg.get("keep_failures")))
        except ValueError as e:
            return {"ok": False, "reason": str(e)}, ()
        except Exception as e:
            return {"ok": False, "reason": _tail(f"{type(e).__name__}: {e}")}, ()
        return {"ok": True}, ()

    def op_prepare(self, msg, fds):
        """The device, and on a GPU this process's CUDA context, before the candidate is imported (and outside the
        judge's GPU turn)."""
        dev = torch.device(msg.get("device", "cpu"))
        if "timing_method" in msg:  # the check's timing method (construct calls this again without it)
            self.timing_method = msg["timing_method"]
        # Its GPU work once, in the start the judge keeps away from timed calls (kbh_gpu_turn.starting): a spare's
        # prepare and construct ask again, outside every turn.
        if dev.type == "cuda" and self.device != dev:
            torch.cuda.set_device(dev)
            torch.empty(1, device=dev)
            kbh_timing.event_once(lambda: None, dev)  # the flush buffer and events exist before the first timing
        if dev.type == "cuda" and self.exporter is None:
            import kbh_cudashare
            self.exporter = kbh_cudashare.Exporter(dev)
            if self.module is None:  # before any candidate code, in a spare while the last candidate is judged
                kbh_kernels.import_profiler()
                kbh_guard.retake()  # torch._dynamo's wrap of torch.manual_seed is now the saved one
                _warm_libraries(dev)
        self.device = dev
        return {"ok": True}, ()

    def op_construct(self, msg, fds):
        init = kbh_tensors.unpack(msg["init"], fds)
        self.op_prepare(msg, ())
        self.dtype = kbh_load.PRECISIONS.get(msg.get("precision", "fp32"))
        if self.dtype == torch.float32:
            self.dtype = None
        start = _perf()
        # Fills the reference drew from the same generator state are copied in; any other large fill is drawn on
        # several cores (kbh_fast_fill): the same values torch would draw, on the judge's host cores as the judge's own
        # would be (this process is pinned to the lane's two; session 16, H100: a 4.3 GB layer's replay took 0.97 s
        # here against 0.19 s in the judge). Widening its own affinity is nothing a candidate could not do itself.
        kbh_fast_fill.use_host_cores([c for c in msg.get("host_cpus") or () if type(c) is int][:1024])
        memo = self.memo or kbh_init_memo.InitMemo(limit_bytes=0)
        self.model = kbh_load.construct_model(self.module.ModelNew, init, msg["seed"], memo.replaying())
        found = kbh_hacks.patched_functions("while constructing ModelNew")
        # Its large CPU weights page-locked in place, outside the GPU turn, so that moving them over inside it runs at
        # the bus's speed (kbh_pinned; 4.3 GB: 0.57 s pageable against 0.08 s, session 16); let go after op_to_device.
        try:
            self.staged = kbh_pinned.register_module(self.model, self.device)
        except Exception:  # (a module of the candidate's that cannot be walked: its copy stays pageable)
            self.staged = None
        return {"seconds": _perf() - start, "findings": found}, ()

    def op_memo(self, msg, fds):
        if self.memo is None:
            self.memo = kbh_init_memo.InitMemo()
        self.memo.adopt(msg["entries"], fds)
        return {"ok": True}, ()

    def op_inputs(self, msg, fds):
        """The judge's inputs of one seed (kbh_kept_inputs); each call copies them afresh."""
        self.inputs.receive(msg, fds, self.device)
        return {"ok": True}, ()

    def op_to_device(self, msg, fds):
        self.model = kbh_load.place_model(self.model, self.device, self.dtype)
        self._sync()
        if self.staged is not None:
            self.staged.release()
            self.staged = None
        return {"ok": True}, ()

    def _sync(self):
        if self.device.type == "cuda":
            kbh_guard.synchronize(self.device)

    def op_trial(self, msg, fds):
        """One correctness call; the outputs go back as bytes, with this process's own findings about them."""
        lap = _perf()
        if self.exporter is not None and self.large:
            self.exporter.release()  # the last trial's hand-over, before this call needs the room
        inputs = self.inputs.copies(msg["seed"], self.device)
        master = self.inputs.master(msg["seed"])
        # The values before the call, to see whether forward() writes into its inputs: the judge's copy when it is
        # on this device (GPU memory it handed over), else a snapshot.
        snapshots = master if _on(master, self.device) else \
            [kbh_guard.clone(t) if isinstance(t, torch.Tensor) else t for t in inputs]
        trial = msg.get("trial")
        lap = self._spent("trial.inputs", lap)
        self.watch.start(f"correctness trial {trial}")
        try:
            with torch.no_grad():
                out = self._forward_checked(inputs, trial == 0 and msg.get("expects_kernel"))
            self._sync()
        finally:
            self.watch.stop()
        lap = self._spent("trial.forward", lap)
        findings = kbh_hacks.patched_functions(f"during forward() (trial {trial})")
        findings += self.watch.new() + self._kernel_findings
        findings += kbh_hacks.non_plain_outputs(out)
        findings += kbh_hacks.aliasing(out, inputs, msg.get("reference_aliases", False))
        findings += kbh_hacks.mutated_inputs(inputs, snapshots)
        if self.last is not None:
            findings += kbh_hacks.memoised(out, [self.last])
        findings += kbh_hacks.stream_left_switched(self.device)
        lap = self._spent("trial.findings", lap)
        specs, out_fds = kbh_tensors.pack(kbh_hacks.flatten(out), "kbh-out", seal=True, exporter=self.exporter)
        lap = self._spent("trial.outputs", lap)
        # Kept for the next trial's memoisation flag unless it takes gigabytes the judge's comparison needs.
        self.large = _nbytes(out) > _LARGE_BYTES
        self.last = None if self.large else out
        del inputs, snapshots, master, out
        self._release_device_inputs(msg["seed"])
        self._spent("trial.release", lap)
        return {"outputs": specs, "findings": findings, "evidence": self._evidence()}, out_fds

    def _forward_checked(self, inputs, profile, when="correctness trial 0"):
        """forward(); on a GPU when the problem asks for a kernel, under the profiler (kbh_kernels)."""
        self._kernel_findings = []
        if not profile:
            return self.model(*inputs)
        if self.device.type != "cuda":
            self.evidence["no_custom_kernel"] = "not measured: no kernel records on a CPU"
            return self.model(*inputs)
        out, launched, why_not = kbh_kernels.profile_kernels(lambda: self.model(*inputs), self.device)
        if launched is None:
            self.evidence["no_custom_kernel"] = "not measured: " + why_not
        elif kbh_kernels.own_launches(launched, self.kernels):
            self.evidence["no_custom_kernel"] = f"measured (torch.profiler, {when}): the candidate's kernels launched"
        else:
            self.evidence["no_custom_kernel"] = f"measured (torch.profiler, {when}): none launched"
            self._kernel_findings = [kbh_kernels.finding(launched, self.kernels)]
        return out

    def op_kernels(self, msg, fds):
        """One more call, on the timing inputs, under the profiler: did a kernel the candidate wrote launch? Asked
        after the timing, never before it (CUPTI, once started, slows every later launch in this process)."""
        if self.device.type != "cuda":
            self.evidence["no_custom_kernel"] = "not measured: no kernel records on a CPU (asked after the timing)"
            return {"findings": [], "evidence": self._evidence()}, ()
        with torch.no_grad():  # (the warm-up, which every timing starts with, made the timing inputs)
            self._forward_checked(self.timing_inputs, True, "one call after the timing")
            self._sync()
        found = self._kernel_findings
        self._kernel_findings = []
        return {"findings": found, "evidence": self._evidence()}, ()

    _kernel_findings = []

    def _evidence(self):
        return {**self.evidence, "fallback_taken": "watched by " + (self.watch.method() if self.watch else "nothing")}

    def _release_device_inputs(self, seed):
        """GPU memory the judge handed over is let go once copied, and what this process freed goes back to the
        driver: the judge compares next, on the same GPU."""
        self.inputs.release_mapped(seed)
        if self.device.type == "cuda" and self.large:  # (for small ones, the next call's allocations stay cheap)
            torch.cuda.empty_cache()

    def op_warmup(self, msg, fds):
        self.timing_inputs = self.inputs.copies(msg["seed"], self.device)
        # A candidate that writes into its inputs gets a fresh copy of them for each timed call, all made here before
        # any timed call: every timed call sees the reference's inputs, so its output can be checked, and nothing is
        # done for it between timed calls (op_time only takes the next copy).
        copies = int(msg.get("fresh_copies") or 0)
        self.fresh = []  # (copies left from an earlier warm-up: gone before new ones are made)
        size = sum(t.numel() * t.element_size() for t in self.timing_inputs if isinstance(t, torch.Tensor))
        if size * copies > _FRESH_COPIES_BYTES:  # too large: its timed output is then compared with changed inputs
            copies = 0
        fresh = [[kbh_guard.clone(t) if isinstance(t, torch.Tensor) else t for t in self.timing_inputs]
                 for _ in range(copies)]
        self._release_device_inputs(msg["seed"])
        self.watch.start("warm-up")
        try:
            if (msg.get("method") or self.timing_method) == kbh_timing.KERNELBENCH:
                # KernelBench's warm-up, then its first trial, which it discards: the judge asks for the kept ones only.
                kbh_timing.kernelbench_warmup(self._timed_call, self.device, msg["n"])
                kbh_timing.kernelbench_once(self._timed_call, self.device)
            else:
                with torch.no_grad():
                    for _ in range(msg["n"]):
                        self.model(*self.timing_inputs)
                self._sync()
        finally:
            self.watch.stop()
        if self.watch.watches_timed_calls:  # costs nothing until an exception is caught: on until op_findings
            self.watch.start("timed calls")
        self.fresh = fresh
        return {"ok": True, "fresh_copies": len(fresh)}, ()

    def op_time(self, msg, fds):
        """One timed call: cuda_event (L2 flushed, events around the call, the whole device synchronised before the
        end event), kernelbench (KernelBench's own trial, kbh_timing.kernelbench_once) or the host clock."""
        if not msg.get("noop"):
            self._next_fresh_inputs()
        fn = (lambda: None) if msg.get("noop") else self._timed_call
        if msg["method"] == kbh_timing.KERNELBENCH:
            return {"ms": kbh_timing.kernelbench_once(fn, self.device)}, ()
        once = kbh_timing.once_for(msg["method"], self.device)
        with torch.no_grad():
            ms = once(fn, self.device)
        return {"ms": ms}, ()

    def op_time_batch(self, msg, fds):
        """A loop of timed calls in one request: KernelBench's trials back to back, the first `discard` untimed
        (kbh_judge_timing asks for its trials so), or do_bench's own loop (Triton's warm-up and repetitions)."""
        if msg["method"] == kbh_timing.KERNELBENCH:
            noop = bool(msg.get("noop"))
            times = kbh_timing.kernelbench_loop((lambda: None) if noop else self._timed_call, self.device,
                                                int(msg["n"]), int(msg.get("discard", 0)),
                                                None if noop else self._next_fresh_inputs)
        else:
            times = kbh_timing.time_calls(self._timed_call, self.device, msg["method"], 0, msg["n"])
        return {"times_ms": [float(t) for t in times]}, ()

    def _next_fresh_inputs(self):
        if self.fresh:  # a candidate that writes into its inputs: each timed call on its own copy (op_warmup)
            self.timing_inputs = self.fresh.pop(0)

    def _timed_call(self):
        self.last = self.model(*self.timing_inputs)

    def op_output(self, msg, fds):
        """The output of the last call, for the judge's spot check of a timed call."""
        specs, out_fds = kbh_tensors.pack(kbh_hacks.flatten(self.last), "kbh-out", seal=True, exporter=self.exporter)
        return {"outputs": specs}, out_fds

    def op_findings(self, msg, fds):
        """What this process saw after the timing: threads left, patches, work escaping the default stream."""
        self.watch.stop()
        found = kbh_hacks.patched_functions("while timing") + self.watch.new()
        found += kbh_hacks.extra_threads(self.threads_before)
        if self.device.type == "cuda" and self.timing_inputs is not None:
            candidate_ms = msg.get("candidate_ms", 0.0)
            escape = kbh_timing.stream_escape_ms(self._timed_call, self.device,
                                                 kbh_hacks.stream_escape_threshold_ms(candidate_ms))
            found += kbh_hacks.stream_escape(escape, candidate_ms)
        return {"findings": found, "evidence": self._evidence()}, ()

    def op_seconds(self, msg, fds):
        """Where this process's time went (self-reported: for the verdict's phase_seconds, never for a verdict)."""
        return {"seconds": {k: round(v, 4) for k, v in self.seconds.items()}}, ()

    def _spent(self, name, since):
        now = _perf()
        if len(self.seconds) < _MAX_SECONDS_NAMES or name in self.seconds:
            self.seconds[name] = self.seconds.get(name, 0.0) + now - since
        return now

    def op_ping(self, msg, fds):
        return {"ok": True, "pid": os.getpid()}, ()


_MAX_SECONDS_NAMES = 40
_FRESH_COPIES_BYTES = 4 << 30  # at most, for the timed calls' own copies of the inputs (op_warmup)
_MAX_SOURCE = 64 << 20  # a candidate's source, as the judge hands it to a spare process
_LARGE_BYTES = 1 << 30  # outputs this large: what this process holds between calls is given back for the judge


def _warm_libraries(device):
    """cuBLAS's and cuDNN's handles made before any candidate code, in a spare while the last candidate is judged: a
    fresh process otherwise makes them in its first matmul or convolution, inside the check's first trial (0.15-0.3 s of
    the correctness trials of L2/12 and L3/19 on an H100, session 16, against 0.02 s in a warm process)."""
    try:
        a = torch.ones(16, 16, device=device)
        torch.mm(a, a)
        torch.nn.functional.conv2d(torch.ones(1, 1, 8, 8, device=device), torch.ones(1, 1, 3, 3, device=device))
        torch.cuda.synchronize(device)
    except Exception:  # (a build without cuDNN: the candidate's first convolution pays, as before)
        pass


def _nbytes(out):
    return sum(t.numel() * t.element_size() for t in kbh_hacks.flatten(out) if isinstance(t, torch.Tensor))


def _on(values, device):
    return all(not isinstance(t, torch.Tensor) or t.device == device for t in values)


def child_main(sock_fd, capture_fd, config):
    """Runs in the forked child: the sandbox (kbh_sandbox: from here on this is the candidate's own process, PID 1 of
    its namespace), its own session, its output into the capture file, then the request loop."""
    import signal
    import kbh_sandbox
    _die_with_parent(signal.SIGKILL)
    sandbox = kbh_sandbox.enter(config.get("sandbox") or {})
    os.setsid()
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(capture_fd, 1)
    os.dup2(capture_fd, 2)
    os.close(null)
    os.close(capture_fd)
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
    import socket
    sock = socket.socket(fileno=sock_fd)
    gc.collect()
    kbh_channel.send(sock, {"hello": True, "pid": os.getpid(), "sandbox": sandbox})
    Runner(sock, config).serve()


def _die_with_parent(sig):
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, int(sig), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
