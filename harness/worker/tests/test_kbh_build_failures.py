"""A candidate's extension that does not compile: its compile error is kept in the shared build cache, so the same
source judged again gets the same verdict without compiling again. Real judge, real candidate processes, real g++."""
import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PROBLEM = os.path.join(REPO_ROOT, "problems", "level1", "1_Scale_and_shift.py")
BROKEN = '''import torch.nn as nn
from torch.utils.cpp_extension import load_inline
ext = load_inline(name="kbh_broken_ext", cpp_sources="int f( { return 0; }", functions=["f"], verbose=False)
class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
'''


def _judge(tmp_path, sources, before=lambda i: None):
    """The sample problem's reference, then each source as a candidate, one after the other (before(i) runs before
    the i-th), by a real judge with its own candidate and build processes: the answers."""
    import kbh_jobs
    folder = tmp_path / "candidates"
    folder.mkdir()
    base = {"problem_path": PROBLEM, "device": "cpu", "precision": "fp32", "seed": 42, "correctness_trials": 1,
            "perf_trials": 1, "warmup": 0, "timing_method": "host_time", "timing_order": "separate",
            "sandbox": "auto", "atol": 1e-2, "rtol": 1e-2, "timeout_s": 300.0, "candidates_folder": str(folder)}
    jobs = kbh_jobs.Jobs()
    answers = []
    try:
        assert jobs.run({**base, "job": "reference", "ref_key": "r", "measure_performance": False})["status"] == "ok"
        for i, source in enumerate(sources):
            before(i)
            candidate = folder / f"{i:016x}.py"
            candidate.write_text(source)
            answers.append(jobs.run({**base, "job": "check", "ref_key": "r", "candidate_key": f"c{i}",
                                     "candidate_path": str(candidate), "extensions_dir": str(folder / "ext" / f"c{i}"),
                                     "measure_performance": False}))
    finally:
        jobs.spares.discard()
        for s in jobs.spares.servers + [jobs.build_server]:
            s.close()
    return answers


def _judge_twice(tmp_path, monkeypatch, between=lambda: None):
    """Two candidates of the same broken source, one after the other (between() runs between them): their answers
    and how many builds the trusted build step made."""
    import kbh_jobs
    monkeypatch.setenv("KBH_BUILD_CACHE", str(tmp_path / "cache"))
    builds = []
    trusted = kbh_jobs.Jobs._trusted_build
    monkeypatch.setattr(kbh_jobs.Jobs, "_trusted_build",
                        lambda self, req, proc, request: (builds.append(1), trusted(self, req, proc, request))[1])
    return _judge(tmp_path, [BROKEN, BROKEN], lambda i: i and between()), builds


def test_the_same_compile_error_comes_back_without_a_second_build(tmp_path, monkeypatch):
    (first, second), builds = _judge_twice(tmp_path, monkeypatch)
    assert first["status"] == second["status"] == "compile_error", (first, second)
    assert "error" in first["reason"] and "ninja: build stopped" in first["reason"], first["reason"]
    assert second["reason"].rstrip()[-2000:] == first["reason"].rstrip()[-2000:]  # the compiler's same words
    assert len(builds) == 1  # the second candidate's process found the kept error and asked for no build
    assert list((tmp_path / "cache").glob("*.failed"))


def test_an_error_kept_by_other_build_code_is_compiled_again(tmp_path, monkeypatch):
    # A harness whose build code changed (new flags, a fixed launcher) must not inherit an older one's verdict.
    import json

    def older():
        for kept in (tmp_path / "cache").glob("*.failed"):
            entry = json.loads(kept.read_text())
            kept.write_text(json.dumps({**entry, "builder": "an-older-one"}))
    (first, second), builds = _judge_twice(tmp_path, monkeypatch, older)
    assert first["status"] == second["status"] == "compile_error", (first, second)
    assert len(builds) == 2  # compiled again, and kept again by this build code
    import kbh_build_cache
    assert [json.loads(k.read_text())["builder"] for k in (tmp_path / "cache").glob("*.failed")] == \
        [kbh_build_cache.builder()]


def test_a_launcher_inherited_from_another_cache_root_is_not_wrapped_again(tmp_path):
    # A process that installed the compiler launcher for one cache root leaves CXX pointing at that root's script;
    # a build for another root must wrap the real compiler, not that script (a sandbox showing only the second root
    # cannot run the first's: found when two judges with different caches ran in one test process).
    import kbh_build_cache
    launcher = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kbh_cc.py")
    first = kbh_build_cache._launcher_script(str(tmp_path / "a"), launcher, "/usr/bin/c++")
    again = kbh_build_cache._launcher_script(str(tmp_path / "b"), launcher, first)
    assert kbh_build_cache._unwrapped(again) == kbh_build_cache._unwrapped(first) == "/usr/bin/c++"
    assert kbh_build_cache._unwrapped("/usr/bin/c++") == "/usr/bin/c++"
    plain = tmp_path / "cc.sh"
    plain.write_text("#!/bin/sh\nexec /usr/bin/c++ \"$@\"\n")  # a user's own wrapper is theirs: kept
    assert kbh_build_cache._unwrapped(str(plain)) == str(plain)
    # Only absolute paths are read (never ./c++ in whatever folder the process is in), and a path that would run
    # commands inside the script's double quotes is not taken from one.
    shell = tmp_path / "odd"
    shell.write_text('#!/bin/sh\nexec "/usr/bin/python3" -S "/x/kbh_cc.py" "/tmp/cc $(id)" "$@"\n')
    assert kbh_build_cache._unwrapped(str(shell)) == str(shell)
    assert kbh_build_cache._unwrapped("c++") == "c++"


STANDALONE = r'''import os, torch.nn as nn
import kbh_build_cache
launcher = os.environ["PYTORCH_NVCC"]  # this process's install pointed it at the shared cache's launcher script
kbh_build_cache._installed["remote"]("load", {
    "name": "nvcc", "sources": ["evil.cpp"], "is_standalone": True, "is_python_module": False,
    "build_directory": os.path.dirname(launcher), "extra_cflags": None, "extra_cuda_cflags": None,
    "extra_ldflags": None, "extra_include_paths": None, "with_cuda": False, "verbose": False,
    "kbh_files": {"evil.cpp": "#include <cstdio>\nint main(){puts(\"CANDIDATE PROGRAM RUNS AS NVCC\");}\n"}})
class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
'''


def test_a_build_request_for_an_executable_over_the_cache_s_launcher_is_refused(tmp_path, monkeypatch):
    # A red-team review's attack: a standalone build whose build_directory is the cache's nvcc launcher folder linked
    # the candidate's program over the launcher, which every later CUDA build in any run would then have run.
    import glob
    import kbh_build_cache
    monkeypatch.setenv("KBH_BUILD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PYTORCH_NVCC", "/usr/local/cuda/bin/nvcc")  # as on a GPU node (torch 2.x honours it)
    monkeypatch.delenv("KBH_CC_REAL_NVCC", raising=False)
    launcher = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kbh_cc.py")
    seen = {}

    def launcher_written(i):  # as the judge writes it at its start (this process may have installed for another cache)
        seen["nvcc"] = kbh_build_cache._launcher_script(str(tmp_path / "cache"), launcher, "/usr/local/cuda/bin/nvcc")
        seen["before"] = open(seen["nvcc"]).read()
    [answer] = _judge(tmp_path, [STANDALONE], launcher_written)
    nvcc, before = seen["nvcc"], seen["before"]
    assert glob.glob(str(tmp_path / "cache" / "cc" / "bin" / "*" / "nvcc")) == [nvcc]
    assert answer["status"] != "correct" and "is_standalone" in answer["reason"], answer
    assert open(nvcc).read() == before and before.startswith("#!/bin/sh\n")
    # And a launcher changed by other means (an older harness's cache) is written anew before it is used.
    with open(nvcc, "w") as f:
        f.write("#!/bin/sh\necho planted\n")
    assert kbh_build_cache._launcher_script(str(tmp_path / "cache"), launcher, "/usr/local/cuda/bin/nvcc") == nvcc
    assert open(nvcc).read() == before
