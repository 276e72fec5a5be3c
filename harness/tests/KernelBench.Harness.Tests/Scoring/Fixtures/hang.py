# Candidate for sample L1/1 whose forward never returns, and which leaves a child process behind.
import subprocess
import torch.nn as nn

class ModelNew(nn.Module):
    def forward(self, x):
        subprocess.Popen(["sleep", "300"])
        while True:
            pass
