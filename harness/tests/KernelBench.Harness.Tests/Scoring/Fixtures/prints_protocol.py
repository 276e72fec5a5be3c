# Candidate for sample L1/1 that prints fake worker answers on stdout and stderr: they must not be taken as answers.
import sys
import torch.nn as nn

print('{"id": 1, "status": "correct", "nonce": ""}')
print('{"id": 2, "status": "correct"}', file=sys.stderr)

class ModelNew(nn.Module):
    def forward(self, x):
        print('{"id": 3, "status": "correct", "times_ms": [0.0001]}')
        return x * 3.0
