#!/usr/bin/env python3
"""The fixtures a graded test uses: `solution` (its task, in the folder
under test), `variant`, `course_data`, `driver_run` and
`expected_output`."""
import os

import pytest

from .failure import CheckFailed
from .grading import grader
from .integrity import data_folder
from .markers import parse_marker
from .tasks import COURSE_FILES, TASKS


class Solution:
    """The task of a graded test, in the folder under test."""

    def __init__(self, state, task, variant):
        self.state, self.task, self.variant = state, task, variant

    def call(self, *args, seed=None, about=None):
        """Call the function with args (in its worker); a checks.Result.

        seed: numpy's global random state is seeded with it first."""
        from .codec import encode
        return self.state.workers.call(self.task, self.variant, {
            'op': 'call', 'args': encode(list(args)), 'seed': seed}, args,
            about)

    def probe(self, probe, args, about=None, **inputs):
        """Call the function with args and measure what its result does
        (worker.PROBES); a checks.Result whose value is the probe's
        report."""
        from .codec import encode
        return self.state.workers.call(self.task, self.variant, {
            'op': 'probe', 'probe': probe, 'args': encode(list(args)),
            'inputs': encode(inputs)}, args, about, inputs)

    def load(self):
        """What the course's checker reads of the module."""
        return self.state.workers.load(self.task, self.variant)

    def source(self):
        """The bytes of the task's file, read before anything ran."""
        data = self.state.sources.get(self.task)
        if self.task in self.state.unreadable:
            raise CheckFailed(self.state.unreadable[self.task],
                              hint='make it a plain file in the solution '
                                   'folder')
        if data is None:
            stem = TASKS[self.task].stem
            raise CheckFailed('{}.py: no such file in {}'.format(
                stem, self.state.folder),
                hint='name the file exactly {}.py'.format(stem))
        return data

    def mode(self):
        return self.state.modes.get(self.task)

    def warn(self, text):
        """A rule the course does not enforce: shown, not counted."""
        self.state.outcomes.warn(self.task, text)

    def note(self, text):
        self.state.outcomes.note(self.task, text)


def _task(request):
    marker = request.node.get_closest_marker('task')
    if marker is None:
        raise pytest.UsageError('{}: the solution fixture needs a task '
                                'marker'.format(request.node.nodeid))
    return parse_marker(marker)[0]


@pytest.fixture
def variant():
    """'graded' (the task's own file, this repository's others) or, for a
    task that uses another, 'own' (the solution's files for both)."""
    return 'graded'


@pytest.fixture
def solution(request, variant):
    """The task of this test (its task marker) in the folder under test."""
    return Solution(grader(request.config), _task(request), variant)


@pytest.fixture(scope='session')
def course_data(request):
    """A read-only copy of the course files, checked against their
    SHA-256; skip without them, but fail under CI."""
    state = grader(request.config)
    folder = state.course_data()
    if folder is None:
        message = state.data_problem
        if data_folder() is None:
            message = ('course data not found: run from the folder holding '
                       '{}, set OPTIMIZATION_DATA to it, or copy them into '
                       'data/'.format(', '.join(COURSE_FILES)))
        if os.environ.get('CI') == 'true':
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture
def driver_run(request, variant):
    """run(mode) -> the finished sandbox.DriverRun of this test's driver
    ('full' or 'checkpoint'), or why it cannot run (a string)."""
    state = grader(request.config)
    task = _task(request)

    def run(mode):
        if variant == 'own':
            uses = TASKS[task].uses
            if all(state.outcomes.outcome_of(u) == 'pass' for u in uses):
                pytest.skip('your {} passes its checks: it cannot change '
                            'this outcome'.format(', '.join(
                                TASKS[u].stem + '.py' for u in uses)))
        return state.drivers.result(task, mode, variant)
    return run


@pytest.fixture
def expected_output(request):
    """The spec's output of this test's driver, read before any solution
    code ran."""
    return grader(request.config).expected[_task(request)]
