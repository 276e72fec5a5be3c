# Candidate for sample L1/1 whose forward never returns, and which leaves a child process behind.
import subprocess
import torch.nn as nn

class ModelNew(nn.Module):
    def forward(self, x):
        subprocess.Popen(["sleep", "3171"])  # a duration no other process uses, so the test can find it
        while True:
            pass
