#!/usr/bin/env python3
"""Load the grader's pytest plugin (tests/grader) when it is not installed.

requirements.txt installs it, so that `pytest --solution PATH` works; a
checkout without it can still run `python3 -m pytest --solution=PATH`.
"""
import os
import sys

import pytest

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRADER = os.path.join(REPOSITORY, 'tests', 'grader')
sys.path.insert(0, GRADER)
pytest_plugins = ['optimization_grader.plugin']


def pytest_configure(config):
    """Stop when the grader pytest imported is another checkout's: pytest
    loads an installed plugin before this file, and the tests would then
    read that checkout's pages and files (its paths.ROOT), not these."""
    from optimization_grader.paths import ROOT
    if os.path.realpath(ROOT) != os.path.realpath(REPOSITORY):
        raise pytest.UsageError(
            'these tests are in {}, but the grader that pytest loaded is '
            '{}\'s: install this checkout\'s (python3 -m pip install -e '
            '{}), or run with PYTHONPATH={}'.format(
                REPOSITORY, ROOT, GRADER, GRADER))
