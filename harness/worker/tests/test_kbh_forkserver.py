"""The fork server started as the judge starts it on a GPU node (--profiler: the profiler's modules imported once,
before any fork), with real processes: it comes up, and the candidate process it forks answers."""
import contextlib
import os

import kbh_spawn

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PROBLEM = os.path.join(REPO_ROOT, "problems", "level1", "1_Scale_and_shift.py")
HONEST = "import torch.nn as nn\n\nclass ModelNew(nn.Module):\n    def forward(self, x):\n        return x * 2.0 + 1.0\n"


@contextlib.contextmanager
def _jobs():
    """A judge's jobs; its spare and its fork servers ended afterwards."""
    import kbh_jobs
    jobs = kbh_jobs.Jobs()
    try:
        yield jobs
    finally:
        jobs.spares.discard()
        for s in jobs.spares.servers + [jobs.build_server]:
            s.close()


def test_a_fork_server_that_imports_the_profiler_first_still_forks_working_candidate_processes():
    server = kbh_spawn.ForkServer(profiler=True)
    try:
        assert server.ping() >= 0.0
        proc = kbh_spawn.CandidateProcess(server, {"sandbox": {}}, timeout_s=60)
        try:
            answer, _ = proc.call("ping")
            assert answer["ok"] is True and answer["pid"] > 0
        finally:
            proc.close(wait_s=1.0)
    finally:
        server.close()


import pytest  # noqa: E402


@pytest.mark.parametrize("timed", [False, True])  # (timed: the servers start after it, not during its timing)
def test_a_reference_job_starts_the_candidate_fork_servers_without_waiting_for_them(timed):
    import os
    import kbh_jobs
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    jobs = kbh_jobs.Jobs()
    try:
        assert all(s._proc is None for s in jobs.spares.servers)  # nothing started before a job asks
        answer = jobs.run({"job": "reference", "problem_path": os.path.join(repo_root, "problems", "level1",
                                                                           "1_Scale_and_shift.py"),
                           "ref_key": "r", "device": "cpu", "precision": "fp32", "seed": 42, "correctness_trials": 1,
                           "perf_trials": 1, "warmup": 0, "timing_method": "host_time", "timing_order": "separate" if timed else "interleaved",
                           "measure_performance": timed})
        assert answer["status"] == "ok", answer
        # Their imports ran beside the reference; the first candidate's process is forked from a server already up.
        assert all(s._proc is not None and s._proc.poll() is None for s in jobs.spares.servers)
        assert jobs.spares.servers[0].ping() >= 0.0
    finally:
        for s in jobs.spares.servers + [jobs.build_server]:
            s.close()


def test_an_import_that_starts_a_thread_is_refused_before_any_fork_with_the_reason():
    # In a fresh Python: the profiler's import replaced by one that starts a thread, as some torch version's might.
    import subprocess
    import sys
    import os
    worker = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = ("import sys, threading, time; sys.path.insert(0, sys.argv[1]); import kbh_forkserver, kbh_kernels\n"
            "print(repr(kbh_forkserver._import_profiler()))\n"
            "kbh_kernels.import_profiler = lambda: threading.Thread(target=time.sleep, args=(2,), daemon=True).start()\n"
            "print(repr(kbh_forkserver._import_profiler()))")
    run = subprocess.run([sys.executable, "-c", code, worker], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    first, second = run.stdout.strip().splitlines()[-2:]
    assert first == "''"  # this torch's own import: nothing started, safe to fork from
    assert second == "\"importing the profiler's modules started 1 thread(s)\""


def test_the_first_check_takes_the_process_its_reference_job_started_for_it(tmp_path, monkeypatch):
    # A real reference job and the real key a check of a candidate written to candidates_folder would ask for; with a
    # shared build cache and the sandbox on, as kbh eval runs (spares need both). Not with the sandbox off.
    import contextlib
    import os
    import torch
    import kbh_gpu_turn
    import kbh_jobs
    import kbh_spare
    import kbh_spawn
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    monkeypatch.setenv("KBH_BUILD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KBH_SANDBOX", raising=False)
    monkeypatch.delenv("KBH_SPARES", raising=False)
    # The sandbox binds back every sys.path folder; pytest's own (the repository, /tmp, scripts/bench when its tests run
    # in the same session) are not the judge's and made the filesystem part fail here.
    import sys
    scripts = os.path.join(repo_root, "scripts")
    monkeypatch.setattr(sys, "path", [p for p in sys.path if os.path.normpath(p) not in ("/tmp", repo_root)
                                      and not os.path.normpath(p).startswith(scripts)])
    folder = str(tmp_path / "run" / "candidates")
    base = {"problem_path": os.path.join(repo_root, "problems", "level1", "1_Scale_and_shift.py"), "device": "cpu",
            "precision": "fp32", "seed": 42, "correctness_trials": 1, "perf_trials": 1, "warmup": 0,
            "timing_method": "host_time", "timing_order": "interleaved", "sandbox": "auto"}
    jobs = kbh_jobs.Jobs()
    starts = []  # its start runs in the context that keeps it from any timed calls on the device (kbh_gpu_turn)

    @contextlib.contextmanager
    def starting():
        starts.append("enter")
        yield
        starts.append("exit")
    monkeypatch.setattr(kbh_gpu_turn, "starting", lambda quiet_dir, device: starting())
    call = kbh_spawn.CandidateProcess.call
    monkeypatch.setattr(kbh_spawn.CandidateProcess, "call",
                        lambda self, op, *a, **k: (starts.append(op), call(self, op, *a, **k))[1])
    try:
        answer = jobs.run({**base, "job": "reference", "ref_key": "r", "measure_performance": False,
                           "candidates_folder": folder})
        assert answer["status"] == "ok", answer
        check = {**base, "job": "check", "candidate_path": os.path.join(folder, "0123456789abcdef.py"),
                 "extensions_dir": os.path.join(folder, "ext", "0123456789abcdef"), "measure_performance": True}
        _, key = jobs._spare_config(check, torch.device("cpu"))
        assert key is not None and jobs.spares.pending()
        jobs.spares._spare.thread.join(60)  # (its start done: what it is can be looked at)
        assert jobs.spares._spare.error is None
        assert "prepare" in starts and starts[starts.index("prepare") - 1:starts.index("prepare") + 2] == [
            "enter", "prepare", "exit"]  # its prepare (the CUDA context, on a GPU) inside it
        if not kbh_spare.sealed_off(jobs.spares._spare.proc):
            pytest.skip("no process waits ahead without the whole sandbox (namespaces, seccomp) on this machine: "
                        + repr(jobs.spares._spare.proc.sandbox))
        proc = jobs.spares.take(key, 60)
        assert proc is not None, "the process started beside the reference is the one the first check asks for"
        proc.finish()
        jobs.run({**base, "job": "reference", "ref_key": "r2", "measure_performance": False,
                  "candidates_folder": folder, "sandbox": "off"})
        assert not jobs.spares.pending()  # the sandbox off: nothing is started ahead
    finally:
        jobs.spares.discard()
        for s in jobs.spares.servers + [jobs.build_server]:
            s.close()


@pytest.mark.parametrize("after", [False, True])
def test_with_KBH_SPARES_after_the_next_process_starts_once_the_check_and_its_process_are_over(tmp_path, monkeypatch,
                                                                                               after):
    # A real reference job, then a real check of a candidate in candidates_folder, the sandbox on, a shared build
    # cache (spares need both). By default the next candidate's process starts while this one loads, before its timed
    # calls; with KBH_SPARES=after, once the check is over and its candidate's process has ended.
    import sys
    import threading
    import kbh_jobs
    import kbh_spare
    monkeypatch.setenv("KBH_BUILD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KBH_SANDBOX", raising=False)
    monkeypatch.delenv("KBH_SPARES", raising=False)
    monkeypatch.setattr(kbh_jobs, "_SPARE_AFTER_CHECK", after)
    scripts = os.path.join(REPO_ROOT, "scripts")
    monkeypatch.setattr(sys, "path", [p for p in sys.path if os.path.normpath(p) not in ("/tmp", REPO_ROOT)
                                      and not os.path.normpath(p).startswith(scripts)])
    folder = tmp_path / "run" / "candidates"
    folder.mkdir(parents=True)
    candidate = folder / "0123456789abcdef.py"
    candidate.write_text(HONEST)
    base = {"problem_path": PROBLEM, "device": "cpu", "precision": "fp32", "seed": 42, "correctness_trials": 1,
            "perf_trials": 3, "warmup": 1, "timing_method": "host_time", "timing_order": "interleaved",
            "sandbox": "auto", "atol": 1e-2, "rtol": 1e-2, "timeout_s": 60.0, "candidates_folder": str(folder)}
    ops = []  # (which thread, what), in order
    call, finish = kbh_spawn.CandidateProcess.call, kbh_spawn.CandidateProcess.finish
    monkeypatch.setattr(kbh_spawn.CandidateProcess, "call", lambda self, op, *a, **k: (
        ops.append((threading.current_thread().name, op)), call(self, op, *a, **k))[1])
    monkeypatch.setattr(kbh_spawn.CandidateProcess, "finish", lambda self, *a, **k: (
        ops.append(("judge", "end a process")), finish(self, *a, **k))[1])
    spare_start = kbh_spare.Spares.start
    monkeypatch.setattr(kbh_spare.Spares, "start", lambda self, *a, **k: (
        ops.append(("judge", "start a spare")), spare_start(self, *a, **k))[1])
    with _jobs() as jobs:
        assert jobs.run({**base, "job": "reference", "ref_key": "r", "measure_performance": False})["status"] == "ok"
        jobs.spares._spare.thread.join(60)
        if not kbh_spare.sealed_off(jobs.spares._spare.proc):
            pytest.skip("no process waits ahead without the whole sandbox (namespaces, seccomp) on this machine")
        check = {**base, "job": "check", "ref_key": "r", "candidate_key": "c", "candidate_path": str(candidate),
                 "extensions_dir": str(folder / "ext" / "c"), "measure_performance": True}
        ops.clear()
        answer = jobs.run(check)
        assert answer["status"] == "correct", answer.get("reason")
        assert jobs.spares.pending()  # the next check's process, either way
        jobs.spares._spare.thread.join(60)
        started = ops.index(("judge", "start a spare"))
        last_timed = max(i for i, (thread, op) in enumerate(ops) if thread == "MainThread" and op == "time")
        assert (started > last_timed) == after, ops
        assert (started > ops.index(("judge", "end a process"))) == after, ops  # the candidate's process ended first
        assert ops.index(("kbh-spare", "prepare")) > started
        # A next process that cannot start (its fork server fails to launch) costs this check nothing.
        monkeypatch.setattr(kbh_spare.Spares, "start", lambda self, *a, **k: (_ for _ in ()).throw(OSError("no fork")))
        assert jobs.run({**check, "candidate_key": "c2"})["status"] == "correct"


@pytest.mark.parametrize("spares", ["", "after"])
def test_a_build_job_builds_in_its_own_process_whatever_KBH_SPARES_says(tmp_path, monkeypatch, spares):
    # The build job shares the check's ending (the candidate's output, its process finished) but never starts a spare:
    # a spare's start pasted into it once made every build on a GPU fail with a NameError.
    import kbh_jobs
    monkeypatch.setattr(kbh_jobs, "_SPARE_AFTER_CHECK", spares == "after")
    candidate = tmp_path / "c.py"
    candidate.write_text(HONEST)
    with _jobs() as jobs:
        answer = jobs.run({"job": "build", "candidate_key": "c", "candidate_path": str(candidate),
                           "extensions_dir": str(tmp_path / "ext"), "sandbox": "off", "device": "cpu",
                           "problem_path": PROBLEM, "precision": "fp32", "timeout_s": 60.0})
        assert answer["status"] == "built", answer
        assert not jobs.spares.pending()


def test_timed_calls_wait_for_the_judges_fork_servers_still_importing_torch():
    # Session 21: a launch-bound candidate timed while the judge's second fork server imported torch on the same cores
    # was slowed and its time judged implausible. Timed calls (GpuTurn.timed) now wait for such imports first, on the
    # judge's clock; a limit of zero waits for nothing, and a server left unready still forks when asked.
    import torch
    with _jobs() as jobs:
        jobs._launch_servers()
        servers = jobs.spares.servers
        assert not any(s._ready for s in servers)  # (launched just now: torch takes seconds to import)
        turn = jobs._turn({}, torch.device("cpu"))
        with turn.timed(limit_s=0.0) as quiet:
            assert quiet.waited_s < 0.5
        assert not all(s._ready for s in servers)
        with turn.timed() as quiet:
            assert all(s._ready for s in servers)  # both imported before the first timed call
        assert quiet.waited_s > 0.0
        assert servers[0].ping() >= 0.0 and servers[1].ping() >= 0.0


def test_settling_a_fork_server_while_a_spare_s_thread_spawns_on_it_reads_each_answer_once():
    # The spare's thread reads the server's socket (its ready message, then the spawn's answer) while the main thread
    # settles before timed calls: one reader at a time, or a message is split between them.
    import threading
    server = kbh_spawn.ForkServer()
    procs, errors = [], []

    def spawn():
        try:
            procs.append(kbh_spawn.CandidateProcess(server, {"sandbox": {}}, timeout_s=60))
        except Exception as e:  # (reported below)
            errors.append(e)
    try:
        server.launch()
        thread = threading.Thread(target=spawn)
        thread.start()
        server.settle(60.0)
        thread.join(120)
        assert not errors and len(procs) == 1, errors
        answer, _ = procs[0].call("ping")
        assert answer["ok"] is True
        assert server.ping() >= 0.0
    finally:
        for p in procs:
            p.close(wait_s=1.0)
        server.close()
