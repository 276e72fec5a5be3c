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


def test_the_same_compile_error_comes_back_without_a_second_build(tmp_path, monkeypatch):
    import kbh_jobs
    monkeypatch.setenv("KBH_BUILD_CACHE", str(tmp_path / "cache"))
    builds = []
    trusted = kbh_jobs.Jobs._trusted_build
    monkeypatch.setattr(kbh_jobs.Jobs, "_trusted_build",
                        lambda self, req, proc, request: (builds.append(1), trusted(self, req, proc, request))[1])
    folder = tmp_path / "candidates"
    folder.mkdir()
    base = {"problem_path": PROBLEM, "device": "cpu", "precision": "fp32", "seed": 42, "correctness_trials": 1,
            "perf_trials": 1, "warmup": 0, "timing_method": "host_time", "timing_order": "separate",
            "sandbox": "auto", "atol": 1e-2, "rtol": 1e-2, "timeout_s": 300.0, "candidates_folder": str(folder)}
    jobs = kbh_jobs.Jobs()
    answers = []
    try:
        assert jobs.run({**base, "job": "reference", "ref_key": "r", "measure_performance": False})["status"] == "ok"
        for i in range(2):  # two candidates, the same source
            candidate = folder / f"{i:016x}.py"
            candidate.write_text(BROKEN)
            answers.append(jobs.run({**base, "job": "check", "ref_key": "r", "candidate_key": f"c{i}",
                                     "candidate_path": str(candidate), "extensions_dir": str(folder / "ext" / f"c{i}"),
                                     "measure_performance": False}))
    finally:
        jobs.spares.discard()
        for s in jobs.spares.servers + [jobs.build_server]:
            s.close()
    first, second = answers
    assert first["status"] == second["status"] == "compile_error", answers
    assert "error" in first["reason"] and "ninja: build stopped" in first["reason"], first["reason"]
    assert second["reason"].rstrip()[-2000:] == first["reason"].rstrip()[-2000:]  # the compiler's same words
    assert len(builds) == 1  # the second candidate's process found the kept error and asked for no build
    assert list((tmp_path / "cache").glob("*.failed"))
