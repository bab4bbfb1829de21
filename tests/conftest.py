"""Shared test set-up: the numbered modules, the course data, the tiers.

Tiers:
- default (`python3 -m pytest`): every test that needs no course data, and
  the course-data tests that take minutes, not tens of minutes;
- slow (`python3 -m pytest --slow`): adds the full TensorFlow drivers.

Tests that need the course data skip when it is not found, except under
CI (CI=true), where a missing data folder is a failure.
"""
import importlib
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, 'mains'))
import course  # noqa: E402  (the drivers' own data lookup)
COURSE_FILES = ('MNIST.npz', 'Binary_Train.npz', 'model.h5')


def task(name):
    """Import a numbered module, e.g. task('5-momentum')."""
    return importlib.import_module(name)


def data_folder():
    """Return the folder holding the course files, as the drivers find it."""
    for folder in course.folders():
        if all(os.path.isfile(os.path.join(folder, f)) for f in COURSE_FILES):
            return folder
    return None


@pytest.fixture(scope='session')
def course_data():
    """The course data folder; skip without it, but fail under CI."""
    folder = data_folder()
    if folder is None:
        message = ('course data not found: set OPTIMIZATION_DATA to the '
                   'folder holding {} or copy them into data/'.format(
                       ', '.join(COURSE_FILES)))
        if os.environ.get('CI') == 'true':
            pytest.fail(message)
        pytest.skip(message)
    return folder


def pytest_addoption(parser):
    parser.addoption('--slow', action='store_true',
                     help='also run the slow tier (the full TensorFlow '
                          'drivers, about 25 minutes on 2 cores)')


def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: a test of the slow tier, run '
                                       'with --slow')


def pytest_collection_modifyitems(config, items):
    if config.getoption('--slow'):
        return
    skip = pytest.mark.skip(reason='slow tier: run with --slow')
    for item in items:
        if 'slow' in item.keywords:
            item.add_marker(skip)
