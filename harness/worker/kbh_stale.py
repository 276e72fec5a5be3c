"""Stale outputs, judge side: a trial's output that is wrong for its inputs and the same as one the candidate returned
for an earlier trial's inputs. The judge reads both from the outputs the candidate handed over, so the candidate
cannot forge it; where the output lives (a reused buffer) says nothing either way.

A fingerprint, not a copy: Level 1 outputs take gigabytes. Shape, dtype, the float64 sum and the bytes of up to 65536
evenly spaced values; two outputs with the same fingerprint are, for this purpose, the same output (a collision could
only turn an already wrong answer's `incorrect` into `rejected`).
"""
import hashlib

import torch

import kbh_hacks

_SAMPLE = 65536


def fingerprint(outputs):
    digest = hashlib.sha256()
    for value in kbh_hacks.flatten(outputs):
        if not isinstance(value, torch.Tensor):
            digest.update(repr(value).encode()[:1000])
            continue
        flat = value.detach().reshape(-1)
        step = max(1, flat.numel() // _SAMPLE)
        sample = flat[::step][:_SAMPLE].to("cpu", torch.float64).contiguous()
        total = flat.sum(dtype=torch.float64).item() if flat.numel() else 0.0
        digest.update(f"{tuple(value.shape)}|{value.dtype}|{total!r}|".encode())
        digest.update(sample.numpy().tobytes())
    return digest.hexdigest()


def finding(trial, earlier_trial):
    return kbh_hacks.finding(
        "stale_output", f"trial {trial}: the output is wrong for this trial's inputs and the same as the output of "
                        f"trial {earlier_trial} (other inputs): an earlier result was returned again")
