"""The real-kernel corpus's CPU parts (scripts/gpu-corpus.sh): reading CUDA-L1's files and sample folders, the
deterministic selection and the files it writes, KernelBench's verdicts read from its results, and the table."""
import csv
import json
import os
import subprocess
import tarfile
import sys

import pytest

import corpus_kernelbench
import corpus_select
import corpus_table
import kb_loader

HERE = os.path.dirname(os.path.abspath(__file__))
REF_A = "import torch\nclass Model(torch.nn.Module):\n    pass\nN = 16\n"
REF_B = "import torch\nclass Model(torch.nn.Module):\n    pass\nN = 32\n"
KERNEL = "import torch\nclass ModelNew(torch.nn.Module):\n    pass\n"


@pytest.fixture
def checkout(tmp_path):
    """A KernelBench-shaped checkout: L1/1 and L1/2 (L1/2's text is REF_A), L2/1 and L2/3."""
    for level, name, text in ((1, "1_Matmul.py", REF_B), (1, "2_Relu.py", REF_A), (2, "1_Conv.py", REF_A),
                              (2, "3_Gemm.py", REF_A)):
        folder = tmp_path / "kb" / "KernelBench" / f"level{level}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return str(tmp_path / "kb")


def _cuda_l1_lines(path):
    rows = [  # out of order on purpose: the selection sorts by problem id
        {"level_id": 2, "task_id": 3, "ref_code": REF_B, "custom_code": KERNEL + "# L2/3\n", "score_default": 1.5},
        {"level_id": 1, "task_id": 2, "ref_code": REF_A, "custom_code": KERNEL + "# L1/2\n", "score_default": 2.0},
        {"level_id": 1, "task_id": 1, "ref_code": REF_A, "custom_code": None, "score_default": None},
        {"level_id": 2, "task_id": 1, "ref_code": REF_B, "custom_code": KERNEL + "# L2/1\n", "score_default": 1.2},
        {"level_id": 1, "task_id": 4, "ref_code": REF_A, "custom_code": "print('no model')", "score_default": 3.0},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def _selection(work):
    return [json.loads(line) for line in open(os.path.join(work, "selection.jsonl"))]


def test_cuda_l1_lines_first_usable_kernels_by_problem_id_with_their_own_reference(tmp_path, checkout):
    source, work = _cuda_l1_lines(tmp_path / "h100.json"), str(tmp_path / "work")
    rc = corpus_select.main([source, checkout, work, "--per-level", "1"])
    assert rc == 0
    assert sorted(os.listdir(os.path.join(work, "candidates"))) == [
        "level_1_problem_2_sample_0_kernel.py", "level_2_problem_1_sample_0_kernel.py"]
    assert open(os.path.join(work, "candidates", "level_1_problem_2_sample_0_kernel.py")).read().endswith("# L1/2\n")
    # The reference is CUDA-L1's own code, under the checkout's file name (kbh eval --kernelbench WORK/problems).
    assert open(os.path.join(work, "problems", "KernelBench", "level2", "1_Conv.py")).read() == REF_B
    log = _selection(work)
    skipped = [e for e in log if not e["chosen"]]
    assert [(e["level"], e["problem"]) for e in skipped] == [(1, 1)]
    assert "no kernel" in skipped[0]["why"]
    chosen = {(e["level"], e["problem"]): e for e in log if e["chosen"]}
    assert chosen[(1, 2)]["same_as_checkout"] is True and chosen[(2, 1)]["same_as_checkout"] is False
    assert chosen[(1, 2)]["published_speedup"] == 2.0 and chosen[(1, 2)]["reference"] == "own"


def test_selection_is_deterministic_and_skips_kernels_without_model_new(tmp_path, checkout):
    source = _cuda_l1_lines(tmp_path / "h100.json")
    for work in ("w1", "w2"):
        corpus_select.main([source, checkout, str(tmp_path / work), "--per-level", "5", "--levels", "1"])
    assert _selection(str(tmp_path / "w1")) == _selection(str(tmp_path / "w2"))
    why = {e["problem"]: e.get("why") for e in _selection(str(tmp_path / "w1"))}
    assert why[4] == "the kernel defines no class ModelNew"


def test_reference_checkout_skips_kernels_whose_reference_differs(tmp_path, checkout):
    source, work = _cuda_l1_lines(tmp_path / "h100.json"), str(tmp_path / "work")
    corpus_select.main([source, checkout, work, "--reference", "checkout"])
    log = {(e["level"], e["problem"]): e for e in _selection(work)}
    assert log[(1, 2)]["chosen"]  # its reference is the checkout's text
    assert not log[(2, 1)]["chosen"] and "differs" in log[(2, 1)]["why"]
    assert open(os.path.join(work, "problems", "KernelBench", "level1", "2_Relu.py")).read() == REF_A


def test_codes_format_by_level_is_read(tmp_path, checkout):
    path = tmp_path / "codes.json"
    path.write_text(json.dumps({"1": [{"task_id": "2", "ref_code": REF_A, "custom_code": KERNEL, "score": "1.750"}],
                                "2": [{"task_id": "3", "ref_code": REF_A, "custom_code": None, "score": "0"}]}))
    rows = corpus_select.read_source(str(path))
    assert [(r["level"], r["problem"], r["published_speedup"], bool(r["code"])) for r in rows] == [
        (1, 2, 1.75, True), (2, 3, 0.0, False)]


def test_sample_folder_is_read_and_judged_against_the_checkout(tmp_path, checkout):
    folder = tmp_path / "samples"
    folder.mkdir()
    (folder / "level_1_problem_2_sample_1_kernel.py").write_text(KERNEL)
    (folder / "level_1_problem_2_sample_0_kernel.py").write_text(KERNEL)
    (folder / "notes.txt").write_text("not a sample")
    work = str(tmp_path / "work")
    assert corpus_select.main([str(folder), checkout, work, "--levels", "1"]) == 0
    assert sorted(os.listdir(os.path.join(work, "candidates"))) == [
        "level_1_problem_2_sample_0_kernel.py", "level_1_problem_2_sample_1_kernel.py"]
    assert all(e["reference"] == "checkout" for e in _selection(work))


def test_malformed_source_names_the_line(tmp_path, checkout, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"level_id": 1, "task_id": 1}) + "\n{not json\n")
    assert corpus_select.main([str(path), checkout, str(tmp_path / "w")]) == 2
    assert "bad.json:2: not a JSON line" in capsys.readouterr().err


def _kb_line(name, compiled=True, correctness=True, runtime=2.0, ref_runtime=3.0, metadata=None):
    return {"name": name, "result": {"compiled": compiled, "correctness": correctness, "runtime": runtime,
                                     "ref_runtime": ref_runtime, "metadata": metadata or {}}}


def test_kernelbench_results_become_verdicts():
    assert corpus_kernelbench.verdict(_kb_line("a")) == ("correct", 1.5, "")
    status, speedup, error = corpus_kernelbench.verdict(_kb_line("b", correctness=False, metadata={
        "correctness_issue": "Output mismatch", "max_difference": ["0.5"]}))
    assert (status, speedup) == ("incorrect", None) and "Output mismatch" in error
    assert corpus_kernelbench.verdict(_kb_line("c", compiled=False, metadata={
        "compilation_error": "nvcc failed"}))[0] == "compile_error"
    assert corpus_kernelbench.verdict(_kb_line("d", correctness=False, metadata={
        "runtime_error": "illegal memory access"}))[0] == "runtime_error"
    assert corpus_kernelbench.verdict({"name": "e", "error": "timed out", "timeout": True})[0] == "timeout"
    assert corpus_kernelbench.verdict({"name": "f", "result": None})[0] == "retry"


def test_judged_holds_the_kernels_kernelbench_judged_and_is_made_anew(tmp_path, checkout):
    work = tmp_path / "work"
    corpus_select.main([_cuda_l1_lines(tmp_path / "h100.json"), checkout, str(work), "--per-level", "2"])
    names = sorted(os.listdir(work / "candidates"))
    assert len(names) >= 2
    kb = work / "kb.jsonl"
    kb.write_text(json.dumps(_kb_line(names[0])) + "\n")
    assert corpus_kernelbench.main(["judged", str(work)]) == 0
    assert os.listdir(work / "judged") == [names[0]]
    assert (work / "judged" / names[0]).read_text() == (work / "candidates" / names[0]).read_text()
    with open(kb, "a") as f:  # a later call's KernelBench part judged one more
        f.write(json.dumps(_kb_line(names[1])) + "\n")
    assert corpus_kernelbench.main(["judged", str(work)]) == 0
    assert sorted(os.listdir(work / "judged")) == names[:2]
    # A kbh run that already judged the first (an earlier call) gets only the new one, and a file it never wrote
    # leaves out nothing.
    done = work / "kbh" / "kernelbench__kernelbench.jsonl"
    done.parent.mkdir(exist_ok=True)
    done.write_text(json.dumps({"candidate": str(work / "judged" / names[0]), "status": "correct"}) + "\nnot json\n")
    assert corpus_kernelbench.main(["judged", str(work), "--without", str(done)]) == 0
    assert os.listdir(work / "judged") == [names[1]]
    assert corpus_kernelbench.main(["judged", str(work), "--without", str(work / "kbh" / "none.jsonl")]) == 0
    assert sorted(os.listdir(work / "judged")) == names[:2]


def test_eval_without_kernelbench_s_source_says_so(tmp_path, checkout):
    work = tmp_path / "work"
    corpus_select.main([_cuda_l1_lines(tmp_path / "h100.json"), checkout, str(work), "--per-level", "1"])
    with pytest.raises(SystemExit):
        corpus_kernelbench.main(["eval", str(work)])


def _table_work(tmp_path, checkout):
    work = tmp_path / "work"
    corpus_select.main([_cuda_l1_lines(tmp_path / "h100.json"), checkout, str(work), "--per-level", "2"])
    a, b, c = ("level_1_problem_2_sample_0_kernel.py", "level_2_problem_1_sample_0_kernel.py",
               "level_2_problem_3_sample_0_kernel.py")
    kb = [_kb_line(a, runtime=1.0, ref_runtime=2.0), _kb_line(b, runtime=1.0, ref_runtime=3.0),
          _kb_line(c, correctness=False, metadata={"correctness_issue": "Output mismatch"})]
    with open(work / "kb.jsonl", "w") as f:
        for line in kb:
            line["status"], line["speedup"], line["error_text"] = corpus_kernelbench.verdict(line)
            f.write(json.dumps(line) + "\n")
    (work / "kbh").mkdir()
    runs = {
        "evidence__cuda_event": [
            {"candidate": f"/x/{a}", "status": "correct", "speedup": 1.5, "reason": "", "flags": ["try_except"]},
            {"candidate": f"/x/{b}", "status": "rejected", "speedup": None,
             "reason": "fallback_taken: trial 3 raised RuntimeError", "flags": []},
            {"candidate": f"/x/{c}", "status": "incorrect", "reason": "trial 0: mismatch", "flags": []}],
        "kernelbench__kernelbench": [
            "[some log line that is not JSON]",
            {"candidate": a, "status": "runtime_error", "speedup": None, "reason": "first try", "flags": []},
            {"candidate": a, "status": "correct", "speedup": 2.04, "reason": "", "flags": []},  # the last line counts
            {"candidate": b, "status": "correct", "speedup": 2.5, "reason": "", "flags": []}],
    }
    for name, lines in runs.items():
        (work / "kbh" / f"{name}.jsonl").write_text(
            "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return str(work)


def test_table_agreement_parity_and_every_disagreement_with_its_reason(tmp_path, checkout):
    work, out = _table_work(tmp_path, checkout), str(tmp_path / "out")
    assert corpus_table.main([work, out]) == 0
    md = open(os.path.join(out, "corpus.md")).read()
    assert "KernelBench's evaluator: 3 of 3 kernels judged, 2 correct." in md
    assert "kbh policy evidence, timing cuda_event: agrees on 2 of 3 judged by both (1 of the 2 KernelBench judged correct)" in md
    # Parity: 2.04/2.0 is within 5%, 2.5/3.0 is not; L2/3 was never run under this timing.
    assert ("kbh policy kernelbench, timing kernelbench: agrees on 2 of 2 judged by both (2 of the 2 KernelBench "
            "judged correct); speedup / KernelBench's within ±5%: 1 of 2") in md
    assert "## Disagreements (1)" in md
    assert "L2/1 (evidence/cuda_event): KernelBench correct; kbh rejected: fallback_taken: trial 3 raised RuntimeError" in md
    with open(os.path.join(out, "corpus.csv"), newline="") as f:
        rows = {r["kernel"]: r for r in csv.DictReader(f)}
    assert rows["L1/2"]["kbh_kernelbench_kernelbench_ratio_to_kb"].startswith("1.02")
    assert rows["L1/2"]["kbh_evidence_cuda_event_flags"] == "try_except"
    assert rows["L2/3"]["kbh_kernelbench_kernelbench_status"] == "not run"
    assert rows["L2/3"]["kbh_kernelbench_kernelbench_agree"] == ""


def test_table_sets_each_evaluator_s_second_measurement_beside_its_first(tmp_path, checkout):
    work, out = _table_work(tmp_path, checkout), str(tmp_path / "out")
    a, b = "level_1_problem_2_sample_0_kernel.py", "level_2_problem_1_sample_0_kernel.py"
    md = lambda: (corpus_table.main([work, out]), open(os.path.join(out, "corpus.md")).read())[1]  # noqa: E731
    assert "Run to run" not in md()  # no repeat part: no section
    (tmp_path / "work" / "repeat" / "kbh").mkdir(parents=True)
    kb2 = [_kb_line(a, runtime=1.0, ref_runtime=2.2), _kb_line(b, runtime=1.0, ref_runtime=2.0)]
    with open(tmp_path / "work" / "repeat" / "kb.jsonl", "w") as f:
        for line in kb2:
            line["status"], line["speedup"], line["error_text"] = corpus_kernelbench.verdict(line)
            f.write(json.dumps(line) + "\n")
    # kbh's second: a within 5% of its first (2.04 -> 2.1), b's second run incorrect (left out of the section).
    (tmp_path / "work" / "repeat" / "kbh" / "kernelbench__kernelbench.jsonl").write_text(
        json.dumps({"candidate": a, "status": "correct", "speedup": 2.1}) + "\n"
        + json.dumps({"candidate": b, "status": "incorrect", "speedup": None}) + "\n")
    text = md()
    # a: KernelBench 2.0 then 2.2 (1.10, outside), kbh 2.04 then 2.1 (1.03, within), kbh/KB means 2.07/2.1 = 0.99.
    assert ("Of 1 kernels both evaluators judged correct twice under parity timing, speedup within ±5% of the same "
            "evaluator's first: KernelBench 0, kbh 1; kbh's mean of two within ±5% of KernelBench's: 1.") in text
    assert "| L1/2 | 2.00 | 2.20 | 2.04 | 2.10 | 1.10 | 1.03 | 0.99 |" in text
    assert "| L2/1 |" not in text.split("## Run to run")[1]


def test_table_script_runs_as_the_shell_script_runs_it(tmp_path, checkout):
    work, out = _table_work(tmp_path, checkout), str(tmp_path / "out")
    run = subprocess.run([sys.executable, os.path.join(os.path.dirname(HERE), "corpus_table.py"), work, out],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("# Real-kernel corpus")


def test_kb_loader_refuses_a_folder_that_is_not_kernelbench_naming_the_missing_file(tmp_path):
    with pytest.raises(kb_loader.KernelBenchSourceError, match=r"src/kernelbench/__init__.py is missing"):
        kb_loader.load(str(tmp_path))


def _kb_source():
    """KernelBench's source tree: KBH_KERNELBENCH_SRC, else .kbh/kernelbench-src in the repository."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
    path = os.environ.get("KBH_KERNELBENCH_SRC") or os.path.join(root, ".kbh", "kernelbench-src")
    return path if os.path.isfile(os.path.join(path, "src", "kernelbench", "eval.py")) else None


@pytest.mark.skipif(_kb_source() is None, reason="no KernelBench source tree: set KBH_KERNELBENCH_SRC or make "
                                                 ".kbh/kernelbench-src (a work tree of KernelBench at 423217d)")
def test_kb_loader_imports_kernelbench_s_own_evaluator_in_a_fresh_python():
    # A fresh process: the loader changes sys.modules (stand-ins for missing packages) and sys.path.
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); import kb_loader\n"
            "e, t, stubbed = kb_loader.load(sys.argv[2])\n"
            "r = e.KernelExecResult(compiled=True)\n"
            "print(json.dumps({'eval': e.eval_kernel_against_ref.__module__, 'timing': t.get_timing_stats([1.0, 3.0]),"
            " 'fields': sorted(r.model_dump() if hasattr(r, 'model_dump') else vars(r)), 'stubbed': stubbed}))")
    run = subprocess.run([sys.executable, "-c", code, os.path.dirname(HERE), _kb_source()], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["eval"] == "kernelbench.eval"
    assert got["timing"]["mean"] == 2.0 and got["timing"]["std"] == 1.0 and got["timing"]["num_trials"] == 2
    assert {"compiled", "correctness", "runtime", "ref_runtime", "metadata"} <= set(got["fields"])
    assert set(got["stubbed"]) <= set(kb_loader.THIRD_PARTY)


def test_kernelbench_eval_order_puts_the_named_levels_first_and_keeps_the_selection_order_within_them():
    import corpus_kernelbench
    todo = [{"level": lv, "name": f"{lv}_{i}"} for i, lv in enumerate([1, 1, 2, 3, 2, 3])]
    got = [k["name"] for k in corpus_kernelbench.levels_first(todo, "3,2")]
    assert got == ["3_3", "3_5", "2_2", "2_4", "1_0", "1_1"]
    assert [k["name"] for k in corpus_kernelbench.levels_first(todo, "")] == [k["name"] for k in todo]


def test_only_keeps_the_named_problems_of_the_same_selection_and_refuses_a_malformed_entry(tmp_path, checkout, capsys):
    source = _cuda_l1_lines(tmp_path / "h100.json")
    full, part = str(tmp_path / "full"), str(tmp_path / "part")
    assert corpus_select.main([source, checkout, full, "--per-level", "1"]) == 0
    assert corpus_select.main([source, checkout, part, "--per-level", "1", "--only", "2/*"]) == 0
    assert os.listdir(os.path.join(part, "candidates")) == ["level_2_problem_1_sample_0_kernel.py"]
    chosen = lambda w: {(e["level"], e["problem"], e["sample"]) for e in _selection(w) if e["chosen"]}  # noqa: E731
    assert chosen(part) == {k for k in chosen(full) if k[0] == 2}
    assert any(e.get("why") == "not named by --only" for e in _selection(part))
    assert corpus_select.main([source, checkout, str(tmp_path / "bad"), "--only", "2-1"]) == 2
    assert "'2-1' is not L/P or L/*" in capsys.readouterr().err


def test_the_script_builds_kbh_s_kernels_beside_kernelbench_s_builds_and_evaluates_after_both(tmp_path, checkout):
    # The whole shell script on the CPU, kbh real (scripts/kbh), KernelBench's source a stand-in its steps refuse
    # at once: what is checked is the order of the parts and the prebuild's own verdict lines.
    root = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
    kb_src = tmp_path / "kb-src" / "src" / "kernelbench"
    kb_src.mkdir(parents=True)
    (kb_src / "eval.py").write_text("")
    work, out = tmp_path / "work", tmp_path / "out"
    ref = ("import torch\nclass Model(torch.nn.Module):\n    def forward(self, x):\n        return torch.relu(x)\n"
           "def get_inputs():\n    return [torch.randn(64, 64)]\ndef get_init_inputs():\n    return []\n")
    kernel = "import torch\nclass ModelNew(torch.nn.Module):\n    def forward(self, x):\n        return x.clamp(min=0)\n"
    corpus = tmp_path / "h100.json"
    corpus.write_text("".join(json.dumps({"level_id": lv, "task_id": p, "ref_code": ref, "custom_code": kernel,
                                          "score_default": 1.0}) + "\n" for lv, p in ((1, 2), (2, 1), (2, 3))))
    env = {**os.environ, "DEVICE": "cpu", "KBH": os.path.join(root, "scripts", "kbh"), "KBH_PYTHON": sys.executable,
           "CORPUS": str(corpus), "KBH_KERNELBENCH": checkout,
           "KB_SRC": str(tmp_path / "kb-src"), "WORK": str(work), "OUT": str(out), "JUDGED": "all",
           "RUNS": "kernelbench:kernelbench", "DEADLINE_S": "300", "REPEAT": "1"}
    work.mkdir()
    (work / "kb.jsonl").write_text("")  # (the stand-in evaluator judges nothing: the repeat part's kbh half still runs)
    run = subprocess.run(["bash", os.path.join(root, "scripts", "gpu-corpus.sh")], env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    log = (out / "log.txt").read_text()
    steps = [line for line in log.splitlines() if line.startswith("=== ")]
    at = {name: next(i for i, s in enumerate(steps) if s.startswith("=== " + name)) for name in
          ("kb-build (", "kbh prebuild: kbh eval", "kbh prebuild: exit", "kb-eval", "kbh kernelbench__kernelbench:")}
    assert at["kb-build ("] < at["kbh prebuild: exit"] < at["kb-eval"] < at["kbh kernelbench__kernelbench:"], steps
    assert "kbh prebuild: exit 0, 3 kernel(s) built and judged once (correctness only)" in log, steps
    prebuilt = [json.loads(line) for line in (work / "kbh" / "prebuild.jsonl").read_text().splitlines()
                if line.startswith("{")]
    assert sorted(os.path.basename(v["candidate"]) for v in prebuilt) == sorted(os.listdir(work / "candidates"))
    assert [v["status"] for v in prebuilt] == ["correct"] * 3, prebuilt
    assert all(v["runtime_ms"] is None for v in prebuilt)  # --no-perf: nothing timed beside KernelBench's builds
    judged = [json.loads(line) for line in (work / "kbh" / "kernelbench__kernelbench.jsonl").read_text().splitlines()
              if line.startswith("{")]
    assert [v["status"] for v in judged] == ["correct"] * 3 and all(v["runtime_ms"] > 0 for v in judged), judged
    # REPEAT=1: kbh's parity run once more, after the first, into its own file.
    again = [json.loads(line) for line in
             (work / "repeat" / "kbh" / "kernelbench__kernelbench.jsonl").read_text().splitlines() if line.startswith("{")]
    assert [v["status"] for v in again] == ["correct"] * 3 and all(v["runtime_ms"] > 0 for v in again), again
    assert at["kbh kernelbench__kernelbench:"] < next(i for i, s in enumerate(steps) if s.startswith("=== repeat:"))
    # What ran on the host before each timed part, brought back in the tarball.
    with tarfile.open(out / "corpus-work.tgz") as tar:
        host = tar.extractfile("host.txt").read().decode()
    marks = [line.split(" (")[0] for line in host.splitlines() if line.startswith("--- ")]
    assert marks == ["--- before kb-eval", "--- before kbh", "--- at the end"], host
    assert "processes by name: " in host and " PID " in host, host


@pytest.mark.skipif(_kb_source() is None, reason="no KernelBench source tree: set KBH_KERNELBENCH_SRC or make "
                                                 ".kbh/kernelbench-src (a work tree of KernelBench at 423217d)")
def test_build_with_warm_device_constructs_and_calls_each_kernel_in_its_own_build_folder(tmp_path, checkout):
    # KernelBench's own build_compile_cache and loader on the CPU. The kernels' constructor and forward leave a mark
    # in TORCH_EXTENSIONS_DIR, where a load_inline in them would build: the warm step must reach both, in the build
    # folder KernelBench's evaluation later loads from; a constructor that raises is recorded, not a failed build.
    ref = ("import torch\nclass Model(torch.nn.Module):\n    def __init__(self, k):\n        super().__init__()\n"
           "        self.k = k\n    def forward(self, x):\n        return x * self.k\n"
           "def get_inputs():\n    return [torch.randn(4, 4)]\ndef get_init_inputs():\n    return [3]\n")
    mark = ("import os, torch\ndef _mark(name):\n    open(os.path.join(os.environ['TORCH_EXTENSIONS_DIR'], name), 'w')"
            ".close()\n")
    good = mark + ("class ModelNew(torch.nn.Module):\n    def __init__(self, k):\n        super().__init__()\n"
                   "        self.k = k\n        _mark('constructed')\n"
                   "    def forward(self, x):\n        _mark('called')\n        return x * self.k\n")
    bad = mark + ("class ModelNew(torch.nn.Module):\n    def __init__(self, k):\n        super().__init__()\n"
                  "        raise RuntimeError('no extension today')\n")
    corpus = tmp_path / "h100.json"
    corpus.write_text("".join(json.dumps({"level_id": 1, "task_id": p, "ref_code": ref, "custom_code": code,
                                          "score_default": 1.0}) + "\n" for p, code in ((2, good), (3, bad))))
    for warm, work in ((True, tmp_path / "warm"), (False, tmp_path / "cold")):
        assert corpus_select.main([str(corpus), checkout, str(work), "--per-level", "2"]) == 0
        args = ["build", str(work), _kb_source(), "--jobs", "2"] + (["--warm-device", "cpu"] if warm else [])
        run = subprocess.run([sys.executable, os.path.join(os.path.dirname(HERE), "corpus_kernelbench.py")] + args,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        lines = {json.loads(x)["name"]: json.loads(x) for x in (work / "kb-build.jsonl").read_text().splitlines()}
        kernels = {k["problem"]: k for k in corpus_kernelbench.kernels(str(work))}
        folder = lambda p: corpus_kernelbench.build_dir(str(work), kernels[p])  # noqa: E731
        assert all(line["ok"] for line in lines.values()), lines
        if warm:
            assert sorted(os.listdir(folder(2))) == ["called", "constructed"]
            assert lines[kernels[2]["name"]]["warm_error"] is None
            assert lines[kernels[3]["name"]]["warm_error"] == "RuntimeError: no extension today"
        else:
            assert os.listdir(folder(2)) == [] and "warm_seconds" not in lines[kernels[2]["name"]]


@pytest.mark.skipif(_kb_source() is None, reason="no KernelBench source tree: set KBH_KERNELBENCH_SRC or make "
                                                 ".kbh/kernelbench-src (a work tree of KernelBench at 423217d)")
def test_eval_again_measures_only_what_the_first_measurement_judged(tmp_path, checkout):
    # KernelBench's own evaluator in its spawned processes; on this CPU it fails each kernel (it needs CUDA) and says
    # so in the kernel's line: what is checked is which kernels the second measurement takes, and where it writes.
    work = tmp_path / "work"
    corpus_select.main([_cuda_l1_lines(tmp_path / "h100.json"), checkout, str(work), "--per-level", "2"])
    names = [k["name"] for k in corpus_kernelbench.kernels(str(work))]
    assert len(names) == 3
    (work / "kb.jsonl").write_text(json.dumps({"name": names[1], "status": "correct"}) + "\n")
    run = subprocess.run([sys.executable, os.path.join(os.path.dirname(HERE), "corpus_kernelbench.py"), "eval",
                          str(work), _kb_source(), "--again", "--out", "repeat/kb.jsonl", "--timeout", "120"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [json.loads(x) for x in (work / "repeat" / "kb.jsonl").read_text().splitlines()]
    assert [x["name"] for x in lines] == [names[1]] and lines[0]["status"] != "correct", lines
    assert [json.loads(x)["name"] for x in (work / "kb.jsonl").read_text().splitlines()] == [names[1]]
