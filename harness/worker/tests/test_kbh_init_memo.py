"""The reference's recorded weight fills handed to another process's memo (as the judge does for each candidate's
process) give bit for bit the weights the generator draws, and the generator state after them."""
import os

import torch

import kbh_init_memo


def _linear(seed):
    torch.manual_seed(seed)
    return torch.nn.Linear(1024, 2048)  # 2M weights: above the memo's 1M-element floor


def test_handed_over_fills_replay_exactly():
    recorder = kbh_init_memo.InitMemo(shared=True)
    with recorder.recording():
        reference = _linear(42)
    after_reference = torch.randn(3)
    batches = list(recorder.handover())
    assert sum(len(entries) for entries, _ in batches) == 1
    # Another process gets its own descriptors (SCM_RIGHTS duplicates them): dup here stands in for that.
    replayer = kbh_init_memo.InitMemo()
    for entries, fds in batches:
        replayer.adopt(entries, [os.dup(fd) for fd in fds])
    with replayer.replaying():
        candidate = _linear(42)
    assert replayer.replayed == 1
    assert torch.equal(candidate.weight, reference.weight) and torch.equal(candidate.bias, reference.bias)
    assert torch.equal(torch.randn(3), after_reference)  # the generator left where drawing would have left it
    recorder.clear()
    replayer.clear()


def test_another_seed_is_drawn_not_replayed():
    recorder = kbh_init_memo.InitMemo(shared=True)
    with recorder.recording():
        _linear(1)
    replayer = kbh_init_memo.InitMemo()
    for entries, fds in recorder.handover():
        replayer.adopt(entries, [os.dup(fd) for fd in fds])
    with replayer.replaying():
        candidate = _linear(2)
    assert replayer.replayed == 0
    assert torch.equal(candidate.weight, _linear(2).weight)
    recorder.clear()
    replayer.clear()
