#!/usr/bin/env python3
"""Where this repository and its documented outputs are."""
import os

# tests/grader/optimization_grader/paths.py -> the repository root
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
EXPECTED = os.path.join(ROOT, 'tests', 'expected')
MAINS = os.path.join(ROOT, 'mains')
