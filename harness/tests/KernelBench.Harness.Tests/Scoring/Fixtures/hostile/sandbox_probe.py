# Hostile, sample L1/1: tries, at import, everything the OS sandbox must deny, and prints what it got as one line
# "KBH-PROBE {json}"; its answer is correct. The test that judges it asserts each result and checks the harness's side:
# its secret is nowhere in the verdict, its files are unchanged, its listener got no connection, nothing survived.
# (No try/except: the static screening's pattern for it is a flag for honest code, not a wall for a hostile one.)
# The test fills in PORT (a port on 127.0.0.1 it listens on) and TARGETS (files it will check were not written).
import contextlib
import ctypes
import json
import os
import signal
import socket
import sys
import torch.nn as nn

PORT = 9
TARGETS = []
found = {}
here = os.getpid()


def safely(fn, default=None):
    with contextlib.suppress(Exception):
        return fn()
    return default


def read(path):
    with open(path, "rb") as f:
        return f.read()


def append(path):
    with open(path, "a") as f:
        f.write("\n# poisoned\n")
    return True


# Secrets: every environment and every process this one can see.
visible = [int(p) for p in os.listdir("/proc") if p.isdigit()]
found["visible_processes"] = len(visible)
found["environ_leaks"] = sum(1 for pid in visible if b"sk-kbh" in safely(lambda: read(f"/proc/{pid}/environ"), b""))
for path in ("/etc/shadow", "/root/.bash_history"):
    found["read " + path] = bool(safely(lambda: read(path), b""))

# What later runs trust: the worker's own scripts, the build cache, the problem files, the repository.
worker_dir = os.path.dirname(sys.modules["kbh_channel"].__file__)
targets = [os.path.join(worker_dir, "kbh_check.py")] + TARGETS
found["written"] = [t for t in targets if safely(lambda: append(t), False)]


# Network: a connection to the test's listener on the machine's loopback.
def connect():
    socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
    return True


found["connected"] = safely(connect, False)

# Other processes: signal and trace every one it can see.
found["signalled"] = sum(1 for pid in visible if pid != here and safely(lambda: os.kill(pid, signal.SIGCONT) or True, False))
libc = ctypes.CDLL(None, use_errno=True)
found["ptrace_attach_parent"] = libc.ptrace(16, os.getppid(), 0, 0) == 0  # PTRACE_ATTACH


# Disk: 1.5 GB into its scratch space.
def fill():
    with open("/tmp/kbh-probe-fill", "wb") as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(1536):
            f.write(chunk)
    return True


found["wrote_1_5_gb"] = safely(fill, False)
safely(lambda: os.remove("/tmp/kbh-probe-fill"))

print("KBH-PROBE " + json.dumps(found))


class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
