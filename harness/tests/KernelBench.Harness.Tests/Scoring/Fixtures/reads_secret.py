# Candidate for sample L1/1 that looks for the harness's secrets: correct only if it cannot see any.
import os
import torch.nn as nn

class ModelNew(nn.Module):
    def forward(self, x):
        leaked = [k for k in os.environ if "KBH_TEST_SECRET" in k or "API_KEY" in k]
        print("visible:", leaked, os.environ.get("KBH_TEST_SECRET_API_KEY"))
        return x * 2.0 + (1.0 if not leaked else 7.0)
