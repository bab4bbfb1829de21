#!/usr/bin/env python3
"""The drivers print the documented outputs, within stated tolerances.

Each driver runs as its users run it, mains/N-main.py, in a process of
its own (sandbox.DriverRun) against a folder holding the task's file and
this repository's files of the tasks it uses, and its stdout is compared
number by number with the spec's output
(tests/expected/N-main.txt, read before any solution code ran) within
the tolerance that its task's row (tasks.TASKS) gives, with its reason.

Tiers: the data-free drivers and driver 14 in full; the long ones (3, 5
to 10, 12: those whose row has a checkpoint) up to their first
checkpoint, and in full with --slow.  The TensorFlow drivers carry the
marker tensorflow_driver (README.md, Test: how CI leaves out their full
runs); a checkpoint test runs unless its full run is selected too.
"""
import re

import pytest

from optimization_grader import outputs
from optimization_grader.checks import CheckFailed
from optimization_grader.failure import NotChecked
from optimization_grader.grading import grader
from optimization_grader.sandbox import status_text
from optimization_grader.tasks import DRIVER_HINTS, TASKS
from optimization_grader.workers import TIME_UP

DATA_FREE = [n for n in sorted(TASKS) if not TASKS[n].driver.needs_data]
LONG = [n for n in sorted(TASKS) if TASKS[n].driver.checkpoint]
FULL = [n for n in sorted(TASKS) if TASKS[n].driver.needs_data
        and not TASKS[n].driver.checkpoint]


def per_driver(numbers, run, slow=False):
    return [pytest.param(n, id=str(n), marks=[
        pytest.mark.task(n, check='driver', run=run)] + (
            [pytest.mark.slow] if slow else []) + (
            [pytest.mark.tensorflow_driver]
            if TASKS[n].driver.lane == 'tensorflow' else []))
        for n in numbers]


def check(run, expected, n, tolerance=None, whole=True, cut=None):
    """Fail unless the run printed `expected` within the tolerance (only
    up to checkpoint `cut`, if given)."""
    facts = TASKS[n].driver
    rtol, atol = tolerance[:2] if tolerance else (facts.rtol, facts.atol)
    script = 'mains/{}-main.py'.format(n)
    if run == TIME_UP:
        raise NotChecked(TIME_UP)       # the check is cut off, not passed
    if isinstance(run, str):
        pytest.skip('not run: {}'.format(run))
    if run.killed_for:
        raise CheckFailed('{} {}'.format(script, run.killed_for),
                          hint='look for an infinite loop, or much slower '
                               'code than the task needs'
                          if 'within' in run.killed_for else None)
    printed, numpy_reprs = outputs.plain_numbers(
        outputs.cut(run.output, cut) if cut else run.output)
    if numpy_reprs:
        run.numpy_reprs = True
    differences = outputs.compare(printed, expected, rtol, atol)
    last = run.stderr_tail()
    if not differences:
        if whole and run.status != 0:
            raise CheckFailed('{} printed what the spec prints, then {}'
                              .format(script, status_text(run.status)),
                              hint='the last line on stderr: {}'.format(
                                  last) if last else None)
        return
    known = [hint for pattern, hint in DRIVER_HINTS
             if re.search(pattern, last)]
    if known:
        hint = known[0]
    elif run.status != 0 and run.why is None:
        hint = 'it {}; the last line on stderr: {}'.format(
            status_text(run.status), last or '(none)')
    else:
        hint = 'the function checks above say what is wrong'
    raise CheckFailed('{} did not print what the spec prints: {}'.format(
        script, differences[0]), hint=hint)


@pytest.mark.parametrize('n', per_driver(DATA_FREE, 'full'))
def test_data_free_driver(n, driver_run, expected_output, solution):
    run = driver_run('full')
    check(run, expected_output, n)
    note_numpy_reprs(run, solution)


@pytest.mark.parametrize('n', per_driver(FULL, 'full'))
def test_course_data_driver(n, course_data, driver_run, expected_output):
    check(driver_run('full'), expected_output, n)


@pytest.mark.parametrize('n', per_driver(LONG, 'checkpoint'))
def test_long_driver_first_checkpoint(n, course_data, driver_run,
                                      expected_output, request):
    if n in grader(request.config).full_runs:
        pytest.skip('test_long_driver_in_full checks this checkpoint')
    facts = TASKS[n].driver
    run = driver_run('checkpoint')
    check(run, outputs.cut(expected_output, facts.checkpoint), n,
          facts.early_tolerance, whole=False)


@pytest.mark.parametrize('n', per_driver(LONG, 'full', slow=True))
def test_long_driver_in_full(n, course_data, driver_run, expected_output):
    facts = TASKS[n].driver
    run = driver_run('full')
    check(run, expected_output, n)
    # the first checkpoint, as test_long_driver_first_checkpoint holds it
    if isinstance(run, str):
        return
    check(run, outputs.cut(expected_output, facts.checkpoint), n,
          facts.early_tolerance, whole=False, cut=facts.checkpoint)


def note_numpy_reprs(run, solution):
    if getattr(run, 'numpy_reprs', False):
        solution.note('the driver printed numpy scalars as numpy 2 does '
                      '(np.float64(72.0)); they are compared as the plain '
                      'numbers numpy 1.25.2, the course\'s, prints (72.0)')
