# Hostile, sample L1/1: at import, tries to write into the shared build cache (plant a file at its root, append to
# every finished entry's marker and library it finds), prints what it got as "KBH-POISON {json}", then builds its own
# extension (a miss: the trusted build step builds it) and answers correctly. The test fills in BUILD_CACHE.
import contextlib
import json
import os
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

BUILD_CACHE = "/nonexistent"
found = {"planted": False, "appended": 0, "entries_seen": 0}


def write(path, mode):
    with open(path, mode) as f:
        f.write(b"poison")
    return True


with contextlib.suppress(OSError):  # (no try/except: the static screening flags it, and this is not about that)
    found["planted"] = write(os.path.join(BUILD_CACHE, "planted"), "wb")
for root, _, files in os.walk(BUILD_CACHE):
    for name in files:
        if name == "KBH_COMPLETE" or name.endswith(".so"):
            found["entries_seen"] += 1
            with contextlib.suppress(OSError):
                found["appended"] += write(os.path.join(root, name), "ab")
print("KBH-POISON " + json.dumps(found))

source = r"""
#include <torch/extension.h>
torch::Tensor poison_scale_shift(torch::Tensor x) { return x * 2.0 + 1.0; }
"""
ext = load_inline(name="poison_op", cpp_sources=source, functions=["poison_scale_shift"], verbose=False)


class ModelNew(nn.Module):
    def forward(self, x):
        return ext.poison_scale_shift(x)
