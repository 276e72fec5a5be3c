# Hostile, sample L1/1: correct, but leaves processes behind: a plain child, a double-forked daemon in its own session
# and 20 forked sleepers, each with the marker kbh-leftover-7731 in its command line.
# Expected: correct; none of them outlives the candidate.
import os
import subprocess
import torch.nn as nn

subprocess.Popen(["sleep", "7731"], start_new_session=False)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "7731", "kbh-leftover-7731"])
    os._exit(0)
for _ in range(20):
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "7731", "kbh-leftover-7731"])


class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
