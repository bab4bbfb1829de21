#!/usr/bin/env python3
"""The task marker of a graded test, and what a test's item says: its
task and check, its variant, its key without the variant."""
import pytest

from .tasks import CHECKS, TASKS


def parse_marker(marker):
    """(task, check, run) of a task marker: task(n, check='function',
    run=None); run, 'full' or 'checkpoint', only for a driver's check.
    pytest.UsageError if its arguments are not those (as pytest-timeout
    reads its own marker)."""
    if len(marker.args) != 1:
        raise pytest.UsageError('the task marker takes one task number: '
                                'task(n, check=..., run=...)')
    task = marker.args[0]
    if type(task) is not int or task not in TASKS:
        raise pytest.UsageError('task marker: no task {!r}'.format(task))
    unknown = set(marker.kwargs) - {'check', 'run'}
    if unknown:
        raise pytest.UsageError('task marker: unknown argument {}'.format(
            ', '.join(sorted(unknown))))
    check = marker.kwargs.get('check', 'function')
    if check not in CHECKS:
        raise pytest.UsageError('task marker: check must be one of {}, not '
                                '{!r}'.format(', '.join(CHECKS), check))
    run = marker.kwargs.get('run')
    if check != 'driver':
        if run is not None:
            raise pytest.UsageError("task marker: run is only for "
                                    "check='driver'")
        return task, check, None
    if run not in (None, 'full', 'checkpoint'):
        raise pytest.UsageError("task marker: run must be 'full' or "
                                "'checkpoint', not {!r}".format(run))
    return task, check, run or 'full'


def task_of(item):
    """(task, check) of a graded test, or None."""
    marker = item.get_closest_marker('task')
    if marker is None:
        return None
    return parse_marker(marker)[:2]


def variant_of(item):
    callspec = getattr(item, 'callspec', None)
    return callspec.params.get('variant', 'graded') if callspec else 'graded'


def test_key(item):
    """A test's id without its variant: (task, 'name [params]')."""
    name = getattr(item, 'originalname', item.name)
    words = name.replace('test_', '', 1).replace('_', ' ')
    callspec = getattr(item, 'callspec', None)
    params = callspec.id if callspec is not None else ''
    variant = callspec.params.get('variant') if callspec else None
    if variant is not None:
        # parametrized first (pytest_generate_tests is tryfirst), so its
        # id is the id's first part
        assert params == variant or params.startswith(variant + '-'), \
            params
        params = params[len(variant) + 1:]
    return task_of(item)[0], words + (' [{}]'.format(params) if params
                                      else '')
