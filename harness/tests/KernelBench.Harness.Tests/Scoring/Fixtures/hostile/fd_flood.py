# Hostile, sample L1/1: correct, but attaches 64 memfds to every answer that carries no outputs, to exhaust the judge's
# file descriptors (the next candidates would fail). Expected: correct; the descriptors are closed as they come.
import os
import sys
import torch.nn as nn

_channel = sys.modules["kbh_channel"]
_send = _channel.send


def send(sock, message, fds=()):
    if not fds and "outputs" not in message:
        extra = [os.memfd_create("flood") for _ in range(64)]
        _send(sock, message, extra)
        for fd in extra:
            os.close(fd)
    else:
        _send(sock, message, fds)


_channel.send = send


class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
