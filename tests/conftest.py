#!/usr/bin/env python3
"""Load the grader's pytest plugin (tests/grader) when it is not installed.

requirements.txt installs it, so that `pytest --solution PATH` works; a
checkout without it can still run `python3 -m pytest --solution=PATH`.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                'grader'))
pytest_plugins = ['optimization_grader.plugin']
