"""kbh_check.compare: KernelBench's correctness check, torch.allclose semantics with NaN equal to NaN."""
import math

import pytest
import torch

import kbh_check

NAN, INF = float("nan"), float("inf")


def compare(ref, out, atol=1e-2, rtol=1e-2):
    """compare() for a model with one output, the reference given as a (nested) list of floats."""
    return kbh_check.compare([torch.tensor(ref)], out, atol, rtol)


def test_equal_outputs_match_with_zero_difference():
    t = torch.randn(4, 5)
    assert kbh_check.compare([t], t.clone(), 1e-2, 1e-2) == (None, 0.0, 0.0)


def test_tuple_outputs_are_flattened_in_order():
    a, b = torch.randn(3), torch.randn(2, 2)
    assert kbh_check.compare([a, b], (a.clone(), [b.clone()]), 1e-2, 1e-2)[0] is None
    reason, _, _ = kbh_check.compare([a, b], (b.clone(), a.clone()), 1e-2, 1e-2)
    assert reason == "output 0: shape mismatch: expected (3,), got (2, 2)"


@pytest.mark.parametrize("ref, out, atol, rtol", [
    ([1.0, 100.0], [1.0 + 0.0099, 100.0], 1e-2, 0.0),  # within atol
    ([100.0], [100.99], 0.0, 1e-2),  # within rtol * |out|
    ([0.0], [1e-3], 1e-3, 0.0),  # exactly on the bound
    ([1.0, -2.0], [1.0, -2.0], 0.0, 0.0),  # exact with zero tolerance
])
def test_within_tolerance_matches_as_torch_allclose_does(ref, out, atol, rtol):
    ref, out = torch.tensor(ref, dtype=torch.float64), torch.tensor(out, dtype=torch.float64)
    assert torch.allclose(ref, out, atol=atol, rtol=rtol)
    assert kbh_check.compare([ref], out, atol, rtol)[0] is None


@pytest.mark.parametrize("ref, out, atol, rtol", [
    ([1.0], [1.011], 1e-2, 0.0),
    ([100.0], [101.5], 0.0, 1e-2),
    ([0.0], [1e-3 * 1.001], 1e-3, 0.0),
])
def test_beyond_tolerance_differs_as_torch_allclose_does(ref, out, atol, rtol):
    ref, out = torch.tensor(ref, dtype=torch.float64), torch.tensor(out, dtype=torch.float64)
    assert not torch.allclose(ref, out, atol=atol, rtol=rtol)
    reason, max_diff, mean_diff = kbh_check.compare([ref], out, atol, rtol)
    assert reason.startswith(f"output 0: values differ beyond atol={atol:g} rtol={rtol:g} (max abs diff")
    assert max_diff == pytest.approx(abs(out - ref).max().item()) and mean_diff == pytest.approx(max_diff)


def test_rtol_scales_with_the_output_not_the_reference():
    # |ref - out| = 10 <= rtol * |out| = 0.1 * 100, but > rtol * |ref| = 0.1 * 90
    assert compare([90.0], torch.tensor([100.0]), atol=0.0, rtol=0.1)[0] is None
    assert compare([100.0], torch.tensor([90.0]), atol=0.0, rtol=0.1)[0] is not None


def test_nan_where_the_reference_has_nan_matches():
    ref = torch.tensor([1.0, NAN, 3.0])
    assert kbh_check.compare([ref], ref.clone(), 1e-4, 1e-4)[0] is None


def test_nan_or_inf_where_the_reference_is_finite_is_named_and_counted():
    ref = torch.tensor([1.0, 2.0, 3.0, 4.0])
    reason, max_diff, _ = kbh_check.compare([ref], torch.tensor([NAN, 2.0, INF, -INF]), 1.0, 1.0)
    assert reason == "output 0: NaN or Inf in 3 element(s) where the reference is finite"
    assert max_diff == math.inf


def test_finite_where_the_reference_has_nan_differs():
    reason, _, _ = compare([1.0, NAN], torch.tensor([1.0, 0.0]))
    assert reason.startswith("output 0: values differ")


def test_the_same_infinity_matches():
    assert compare([INF, -INF], torch.tensor([INF, -INF]))[0] is None


def test_the_opposite_infinity_differs():
    ref, out = torch.tensor([INF]), torch.tensor([-INF])
    assert not torch.allclose(ref, out, atol=1e-2, rtol=1e-2)
    assert kbh_check.compare([ref], out, 1e-2, 1e-2)[0] is not None


def test_shape_mismatch_is_worded_with_both_shapes():
    reason, max_diff, mean_diff = compare([[1.0, 2.0]], torch.ones(2, 1))
    assert (reason, max_diff, mean_diff) == ("output 0: shape mismatch: expected (1, 2), got (2, 1)", None, None)


def test_dtype_mismatch_is_worded_with_both_dtypes_even_when_values_agree():
    reason, _, _ = kbh_check.compare([torch.ones(3)], torch.ones(3, dtype=torch.float64), 1e-2, 1e-2)
    assert reason == "output 0: dtype mismatch: expected torch.float32, got torch.float64"


def test_output_count_mismatch():
    reason, _, _ = kbh_check.compare([torch.ones(1), torch.ones(1)], torch.ones(1), 1e-2, 1e-2)
    assert reason == "expected 2 output(s), got 1"


def test_non_tensor_output_where_a_tensor_is_expected():
    reason, _, _ = kbh_check.compare([torch.ones(1)], [3.0], 1e-2, 1e-2)
    assert reason == "output 0: expected a tensor, got float"


def test_non_tensor_reference_outputs_compare_by_equality():
    assert kbh_check.compare([torch.ones(1), 7], (torch.ones(1), 7), 1e-2, 1e-2)[0] is None
    assert kbh_check.compare([torch.ones(1), 7], (torch.ones(1), 8), 1e-2, 1e-2)[0] == "output 1: expected 7, got 8"


def test_the_worst_difference_over_all_outputs_is_reported():
    ref = [torch.zeros(2), torch.zeros(2)]
    reason, max_diff, mean_diff = kbh_check.compare(ref, (torch.tensor([0.001, 0.0]), torch.tensor([0.003, 0.003])),
                                                    1e-2, 0.0)
    assert reason is None
    assert max_diff == pytest.approx(0.003) and mean_diff == pytest.approx(0.003)


def test_empty_outputs_match():
    assert kbh_check.compare([torch.empty(0, 3)], torch.empty(0, 3), 1e-2, 1e-2) == (None, 0.0, 0.0)


def test_half_precision_is_compared_in_float32():
    ref = torch.tensor([1000.0], dtype=torch.float16)
    out = torch.tensor([1001.0], dtype=torch.float16)
    reason, max_diff, _ = kbh_check.compare([ref], out, 0.5, 0.0)
    assert reason is not None and max_diff == 1.0
    assert kbh_check.compare([ref], out, 1.0, 0.0)[0] is None


def test_compare_does_not_change_the_candidate_output():
    out = torch.tensor([1.0, NAN, 5.0])
    kept = out.clone()
    kbh_check.compare([torch.tensor([1.0, NAN, 6.0])], out, 1e-2, 1e-2)
    assert torch.equal(out[~out.isnan()], kept[~kept.isnan()]) and out.isnan().tolist() == kept.isnan().tolist()


def test_outputs_larger_than_one_part_are_compared_whole(monkeypatch):
    monkeypatch.setattr(kbh_check, "_COMPARE_PART", 4)  # 10 elements in parts of 4: the last part is short
    ref = torch.arange(10, dtype=torch.float32)
    out = ref.clone()
    assert kbh_check.compare([ref], out, 1e-2, 1e-2) == (None, 0.0, 0.0)
    out[9] += 1.0
    reason, max_diff, mean_diff = kbh_check.compare([ref], out, 1e-2, 1e-2)
    assert reason.startswith("output 0: values differ") and max_diff == 1.0 and abs(mean_diff - 0.1) < 1e-9
    out[9] = float("nan")
    assert "NaN or Inf in 1 element(s)" in kbh_check.compare([ref], out, 1e-2, 1e-2)[0]


def test_a_model_is_cast_to_the_runs_precision_as_kernelbench_casts_both_models():
    import kbh_load

    class HalvesItself(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(4, 4)
            self.register_buffer("steps", torch.zeros(2, dtype=torch.int64))
            self.half()  # as CUDA-L1's L3/11 does in __init__

    model = kbh_load.place_model(HalvesItself(), torch.device("cpu"), None)  # fp32: dtype None
    assert model.linear.weight.dtype == torch.float32 and model.linear.bias.dtype == torch.float32
    assert model.steps.dtype == torch.int64  # only floating-point tensors are cast
    assert kbh_load.place_model(HalvesItself(), torch.device("cpu"), torch.bfloat16).linear.weight.dtype == torch.bfloat16


def _sample_problem(name="kbh_test_scale_and_shift"):
    import os
    import kbh_load
    path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "problems", "level1", "1_Scale_and_shift.py")
    with open(path, encoding="utf-8") as f:
        return kbh_load.exec_module(name, f.read(), path)


def test_kept_inputs_for_a_gpu_are_sealed_only_when_asked_for_and_then_hold_the_same_values():
    # On a GPU the inputs go over in GPU memory (kbh_handover): no memfd copy unless that fails. torch.device("cuda")
    # only names the device here; nothing touches one (no driver: nothing is page-locked).
    import kbh_tensors
    problem, cuda = _sample_problem(), torch.device("cuda")
    try:
        kept = kbh_check._host_inputs(problem, 7, cuda, None)
        assert 7 not in kbh_check._inputs["sealed"] and kept[0].is_contiguous()
        specs, fds = kbh_check.sealed_inputs(problem, 7, cuda, None)
        assert kbh_check.sealed_inputs(problem, 7, cuda, None)[1] == fds  # made once
        assert torch.equal(kbh_tensors.unpack(specs, fds, readonly=True)[0], kept[0])
        kbh_check._host_inputs(problem, 8, torch.device("cpu"), None)  # on a CPU: kept in the memfds themselves
        assert 8 in kbh_check._inputs["sealed"]
    finally:
        kbh_check.forget_inputs()


@pytest.mark.parametrize("inputs, reason", [
    (lambda: [torch.zeros(2), object()], "input 1 of get_inputs\\(\\) is a object"),
    # (an input dtype that cannot be handed over fails the reference with its name)
    (lambda: [torch.zeros(2, dtype=torch.complex32)], "input 0 of get_inputs\\(\\) has dtype torch.complex32"),
])
def test_inputs_that_cannot_be_handed_over_are_refused_with_their_type(inputs, reason):
    problem = _sample_problem("kbh_test_unhandable_inputs")
    problem.get_inputs = inputs
    try:
        for device in (torch.device("cpu"), torch.device("cuda")):
            with pytest.raises(RuntimeError, match=reason):
                kbh_check._host_inputs(problem, 1, device, None)
    finally:
        kbh_check.forget_inputs()
