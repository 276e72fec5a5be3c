"""The inputs a check hands a candidate process: on a GPU the first seed's go in an exported allocation the process keeps
mapped, and every later seed's values are copied into it (kbh_handover). The GPU side needs a GPU (scripts/gpu-trust.sh);
here, the message both sides agree on and the candidate process's reading of it."""
import pytest
import torch

import kbh_handover
import kbh_runner


def _runner_with_kept(*views):
    runner = kbh_runner.Runner(sock=None, config={})
    runner.inputs.shared = (list(views), [])
    return runner


def test_a_later_seed_in_the_kept_memory_reads_the_same_views_and_its_own_values():
    view = torch.arange(6, dtype=torch.float32).view(2, 3)
    values = [view.clone(), 5, (1, 2)]
    runner = _runner_with_kept(view)
    runner.op_inputs({"seed": 7, "specs": kbh_handover._specs(values), "same_memory": True}, [])
    kept, holders = runner.inputs.by_seed[7]
    assert kept[0] is view and kept[1] == 5 and kept[2] == (1, 2) and holders == []
    # The seed before is let go (nothing of the kept memory is released with it), the new one takes its place.
    runner.op_inputs({"seed": 8, "specs": kbh_handover._specs(values), "same_memory": True}, [])
    assert list(runner.inputs.by_seed) == [8] and runner.inputs.shared[0] == [view]


def test_a_seed_whose_tensors_do_not_fit_the_kept_memory_is_refused():
    runner = _runner_with_kept(torch.zeros(2, 3))
    with pytest.raises(RuntimeError, match="do not fit"):
        runner.op_inputs({"seed": 1, "specs": kbh_handover._specs([torch.zeros(3, 2)]), "same_memory": True}, [])
    with pytest.raises(RuntimeError, match="do not fit"):
        runner.op_inputs({"seed": 1, "specs": kbh_handover._specs([torch.zeros(2, 3, dtype=torch.float16)]),
                          "same_memory": True}, [])


def test_the_layout_that_decides_reuse_tells_shapes_and_dtypes_apart():
    a = kbh_handover._layout([torch.zeros(2, 3), 4])
    assert a == kbh_handover._layout([torch.ones(2, 3), 9])  # other values, same memory
    assert a != kbh_handover._layout([torch.zeros(3, 2), 4])
    assert a != kbh_handover._layout([torch.zeros(2, 3, dtype=torch.float64), 4])
    assert a != kbh_handover._layout([torch.zeros(2, 3)])


class _RecordingProcess:
    """Stands in for the candidate's process (kbh_spawn.CandidateProcess.call): the messages the judge sends it."""

    def __init__(self):
        self.sent = []

    def call(self, op, fds=(), **fields):
        self.sent.append((op, fields.get("seed"), len(fds), bool(fields.get("same_memory"))))
        return {"ok": True}, []


class _RefusingExporter:
    """Stands in for a driver that will not share GPU memory (kbh_cudashare raises ShareFailed), as one may in the
    middle of a check (cuMemCreate out of memory); the real one needs a GPU (scripts/gpu-trust.sh)."""

    def export(self, slot, tensor):
        raise kbh_handover.kbh_cudashare.ShareFailed("allocating: CUDA error 2 (out of memory)")

    def fill(self, slot, tensor):
        raise kbh_handover.kbh_cudashare.ShareFailed("no allocation")

    def release(self, slots=None):
        pass


def test_after_gpu_memory_fails_every_later_seed_still_reaches_the_candidate_in_memfds():
    from test_kbh_check import _sample_problem
    import kbh_check
    proc = _RecordingProcess()
    inputs = kbh_handover.Inputs(proc, _sample_problem("kbh_test_handover_fallback"), torch.device("cuda"), None, False)
    inputs.exporter = _RefusingExporter()
    try:
        for seed in (1, 2, 3):
            inputs.before(seed)
        assert [(op, seed, fds > 0) for op, seed, fds, _ in proc.sent] == \
               [("inputs", 1, True), ("inputs", 2, True), ("inputs", 3, True)]
        assert inputs.record()["inputs_handed_over_in"] == "host_memfd" and "out of memory" in inputs.record()["handover_note"]
    finally:
        kbh_check.forget_inputs()
