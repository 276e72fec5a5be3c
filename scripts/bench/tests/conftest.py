"""Tests of the GPU scripts' helpers that run without a GPU (pytest, run by scripts/test.sh). The helpers are imported
from scripts/bench, as the scripts run them."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
