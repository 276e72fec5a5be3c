"""kbh_guard.patched: a watched function replaced by a candidate is named; torch's own lazy wrap of one is not.

On torch 2.x, the first import of torch._dynamo (the profiler's first start, torch.compile, triton) replaces
torch.manual_seed with a wrapper of it; a GPU run on 2026-12-06 rejected 26 of 26 honest candidates as monkey_patch
for that. The tests wrap with a decorator torch ships (torch.no_grad, whose wrapper's code is in torch's package) the
same way torch._dynamo does.
"""
import functools

import pytest
import torch

import kbh_guard


@pytest.fixture
def restore_manual_seed():
    saved, snapshot, exempt = torch.manual_seed, kbh_guard.SAVED, kbh_guard._exempt_torch_wraps
    yield saved
    torch.manual_seed, kbh_guard.SAVED, kbh_guard._exempt_torch_wraps = saved, snapshot, exempt


def test_nothing_replaced_nothing_named():
    assert kbh_guard.patched() == []


def test_torch_wrapping_its_own_function_is_not_a_patch(restore_manual_seed):
    torch.manual_seed = torch.no_grad()(restore_manual_seed)
    assert torch.manual_seed is not restore_manual_seed
    assert kbh_guard.patched() == []


def test_a_candidates_wrapper_is_a_patch_even_when_it_says_it_wraps_the_original(restore_manual_seed):
    torch.manual_seed = functools.wraps(restore_manual_seed)(lambda *a, **k: restore_manual_seed(*a, **k))
    assert kbh_guard.patched() == ["torch.manual_seed"]


def test_torch_wrapping_something_else_is_a_patch(restore_manual_seed):
    torch.manual_seed = torch.no_grad()(lambda seed: None)
    assert kbh_guard.patched() == ["torch.manual_seed"]


def test_once_retaken_before_candidate_code_a_torch_looking_wrapper_is_a_patch(restore_manual_seed):
    # The candidate's process imports torch._dynamo and retakes its copies before any candidate code runs: a later
    # wrapper that only looks like torch's own is then named.
    torch.manual_seed = torch.no_grad()(restore_manual_seed)
    kbh_guard.retake()
    assert kbh_guard.patched() == []
    torch.manual_seed = torch.no_grad()(torch.manual_seed)
    assert kbh_guard.patched() == ["torch.manual_seed"]
