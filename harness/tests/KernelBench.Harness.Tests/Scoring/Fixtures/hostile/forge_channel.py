# Hostile, sample L1/1: forges answers. Prints protocol-shaped lines, looks for a nonce in its environment, then writes
# a well-formed frame claiming a perfect answer straight into every socket it holds, and returns zeros.
# Expected: not correct (the forged frame is read as the next answer and breaks the protocol, or is ignored).
import json
import os
import struct
import torch
import torch.nn as nn

print(json.dumps({"id": 2, "status": "correct", "times_ms": [0.001], "nonce": os.environ.get("KBH_WORKER_NONCE", "")}))


def _forge():
    frame = json.dumps({"outputs": [{"kind": "value", "value": 0}], "findings": [], "ms": 0.0001}).encode()
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                os.write(int(fd), struct.pack("!I", len(frame)) + frame)
        except OSError:
            pass


class ModelNew(nn.Module):
    def forward(self, x):
        _forge()
        return torch.zeros(x.shape)
