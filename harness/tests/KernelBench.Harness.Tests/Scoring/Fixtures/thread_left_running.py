# Candidate for sample L1/1: correct, but leaves a background thread running (work that could escape a timer).
import threading
import time
import torch.nn as nn

threading.Thread(target=lambda: time.sleep(600), daemon=True).start()

class ModelNew(nn.Module):
    def forward(self, x):
        return x * 2.0 + 1.0
