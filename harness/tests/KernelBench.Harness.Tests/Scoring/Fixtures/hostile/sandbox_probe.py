# Hostile, sample L1/1: tries, at import, everything the OS sandbox must deny, and prints what it got as one line
# "KBH-PROBE {json}"; its answer is correct. The test that judges it asserts each result and checks the harness's side:
# its secret is nowhere in the verdict, its files are unchanged, its listener got no connection, nothing survived.
# The test fills in PORT (a port on 127.0.0.1 it listens on) and TARGETS (files it will check were not written).
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

# Secrets: every environment and every process this one can see.
visible = [int(p) for p in os.listdir("/proc") if p.isdigit()]
found["visible_processes"] = len(visible)
leaks = []
for pid in visible:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            if b"sk-kbh" in f.read():
                leaks.append(pid)
    except OSError:
        pass
found["environ_leaks"] = len(leaks)
for path in ("/etc/shadow", "/root/.bash_history"):
    try:
        with open(path, "rb") as f:
            found["read " + path] = len(f.read()) > 0
    except OSError:
        found["read " + path] = False

# What later runs trust: the worker's own scripts, the build cache, the problem files, the run folders.
worker_dir = os.path.dirname(sys.modules["kbh_channel"].__file__)
targets = [os.path.join(worker_dir, "kbh_check.py")] + TARGETS
written = []
for target in targets:
    try:
        with open(target, "a") as f:
            f.write("\n# poisoned\n")
        written.append(target)
    except OSError:
        pass
found["written"] = written

# Network: a connection to the test's listener on the machine's loopback.
try:
    s = socket.create_connection(("127.0.0.1", PORT), timeout=1)
    s.close()
    found["connected"] = True
except OSError:
    found["connected"] = False

# Other processes: signal and trace every one it can see.
signalled = 0
for pid in visible:
    if pid != here:
        try:
            os.kill(pid, signal.SIGSTOP)
            os.kill(pid, signal.SIGCONT)
            signalled += 1
        except OSError:
            pass
found["signalled"] = signalled
libc = ctypes.CDLL(None, use_errno=True)
found["ptrace_attach_parent"] = libc.ptrace(16, os.getppid(), 0, 0) == 0  # PTRACE_ATTACH

# Disk: 1.5 GB into its scratch space.
try:
    with open("/tmp/kbh-probe-fill", "wb") as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(1536):
            f.write(chunk)
    found["wrote_1_5_gb"] = True
except OSError:
    found["wrote_1_5_gb"] = False
finally:
    try:
        os.remove("/tmp/kbh-probe-fill")
    except OSError:
        pass

print("KBH-PROBE " + json.dumps(found))


class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
