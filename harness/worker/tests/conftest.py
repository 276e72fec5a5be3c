"""The worker's own tests (pytest, run by scripts/test.sh with /usr/bin/python3 -m pytest). The modules under test are
imported from harness/worker, as the worker imports them; this folder is not embedded in the Scoring DLL."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
