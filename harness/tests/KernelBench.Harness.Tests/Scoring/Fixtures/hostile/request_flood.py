# Hostile, sample L1/1: floods the judge with requests. In forward() it writes 20,000 well-formed request frames into
# every socket it holds and never reads the replies, so that the judge, answering each, would block on a full socket
# (while holding the GPU's turn on a GPU). Expected: runtime error naming the flood, the judge not stalled, the next
# candidate judged.
import json
import os
import struct

import torch.nn as nn

_FRAME = json.dumps({"request": {"op": "nothing"}}).encode()


def _flood():
    frames = (struct.pack("!I", len(_FRAME)) + _FRAME) * 20000
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                os.set_blocking(int(fd), False)
                try:
                    os.write(int(fd), frames)
                except BlockingIOError:
                    pass
                os.set_blocking(int(fd), True)
        except OSError:
            pass


class ModelNew(nn.Module):
    def forward(self, x):
        _flood()
        return x * 2.0 + 1.0
