# Hostile, sample L1/1: floods. Prints 64 MB, then writes a frame header announcing 2 GB into its sockets.
# Expected: runtime error naming the flood; the harness's memory stays bounded; the next candidate is judged.
import os
import struct
import sys
import torch.nn as nn

sys.stdout.write("x" * (64 << 20))
sys.stdout.flush()


class ModelNew(nn.Module):
    def forward(self, x):
        for fd in os.listdir("/proc/self/fd"):
            try:
                if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                    os.write(int(fd), struct.pack("!I", 2 << 30) + b"{" * 65536)
            except OSError:
                pass
        return x * 2.0 + 1.0
