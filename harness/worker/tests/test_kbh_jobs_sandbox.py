"""The sandbox a process gets when it is started before its candidate is known (kbh_spare) or for the trusted build
step: the same folders masked as for a candidate's own process, only the candidate's file and extensions folder not
bound back. (Found by a red-team review: the folder holding every candidate's file was readable from a spare.)"""
import os

import kbh_jobs


def _req(tmp_path):
    candidates, problems = tmp_path / "run" / "candidates", tmp_path / "kb" / "level1"
    candidates.mkdir(parents=True)
    problems.mkdir(parents=True)
    (candidates / "a.py").write_text("")
    (problems / "1_x.py").write_text("")
    return {"candidate_path": str(candidates / "a.py"), "extensions_dir": str(tmp_path / "run" / "ext" / "a"),
            "problem_path": str(problems / "1_x.py"), "device": "cpu"}


def test_started_ahead_masks_the_candidates_folders_but_binds_no_candidate(tmp_path):
    req = _req(tmp_path)
    own = kbh_jobs._sandbox_config(req, build=False)
    ahead = kbh_jobs._sandbox_config(req, build=False, bind_candidate=False)
    assert ahead["mask"] == own["mask"]
    assert str(tmp_path / "run") in ahead["mask"]  # the grandparent of candidates/a.py and of ext/a
    assert req["candidate_path"] in own["read_only"] and req["candidate_path"] not in ahead["read_only"]
    assert req["extensions_dir"] in own["writable"] and req["extensions_dir"] not in ahead["writable"]


def test_trusted_build_step_masks_them_too(tmp_path):
    req = _req(tmp_path)
    build = kbh_jobs._sandbox_config(req, build=True, bind_candidate=False)
    assert str(tmp_path / "run") in build["mask"]
    assert all(not p.startswith(os.path.dirname(req["candidate_path"])) for p in build["read_only"] + build["writable"])


def test_KBH_SPARES_0_starts_no_process_ahead_as_with_the_sandbox_off(tmp_path, monkeypatch):
    import torch
    req = _req(tmp_path)
    monkeypatch.setenv("KBH_BUILD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KBH_SANDBOX", raising=False)
    monkeypatch.delenv("KBH_SPARES", raising=False)
    config, key = kbh_jobs.Jobs._spare_config(req, torch.device("cpu"))
    assert config is not None and key is not None  # the sandbox on: a spare is started ahead
    monkeypatch.setenv("KBH_SPARES", "0")
    assert kbh_jobs.Jobs._spare_config(req, torch.device("cpu")) == (None, None)
    monkeypatch.delenv("KBH_SPARES")
    assert kbh_jobs.Jobs._spare_config({**req, "sandbox": "off"}, torch.device("cpu")) == (None, None)


def test_a_python_path_entry_that_is_a_masked_folder_or_above_one_is_not_bound_back(tmp_path, monkeypatch):
    # Under pytest sys.path holds the judge's working folder: bound back read-only it undid that mask, and the binds
    # after it failed, so the trusted build step's writable cache was never bound (its builds kept nothing).
    import sys
    req = _req(tmp_path)
    inside = tmp_path / "run" / "venv" / "site-packages"
    inside.mkdir(parents=True)
    (tmp_path / "alias").symlink_to(tmp_path / "run")  # a symlink to a masked folder undoes it as well
    monkeypatch.setattr(sys, "path", sys.path + [str(tmp_path / "run"), str(tmp_path), str(inside / ".." / "x" / ".."),
                                                 str(tmp_path / "alias")])
    config = kbh_jobs._sandbox_config(req, build=True, bind_candidate=False)
    assert str(tmp_path / "run") in config["mask"]
    assert str(tmp_path / "run") not in config["read_only"] and str(tmp_path) not in config["read_only"]
    assert str(tmp_path / "alias") not in config["read_only"]
    assert str(tmp_path / "run" / "venv") in config["read_only"]  # a package folder inside a mask: bound, normalised
    assert not any(".." in p for p in config["read_only"])
