#!/usr/bin/env python3
"""The grader as a pytest plugin: `python3 -m pytest --solution PATH`.

Without --solution, the graded tests (tests/graded/) check this
repository's numbered files and every other test runs too.  With it, only
the graded tests run, on PATH's files, and the run ends with a table of
verdicts, one line for every failing check.

All of a run's state is one Grader object (grading.py,
config.stash[GRADER]); this module holds pytest's hooks, which feed it:
- it reads the solution's numbered files once, before any of them runs,
  and keeps a copy of this repository's files and expected outputs
  (sandbox.RepoGuard, tests/expected/);
- each task's module runs in a worker process of its own (sandbox.py),
  at the strongest isolation level the machine allows (isolation.py),
  from a staging folder with the solution's file for that task and this
  repository's files for the tasks it uses, so a task is graded on its
  own file;
  for a task whose module or driver uses another task's (its row's uses), the
  same checks run again with the solution's own modules ('own' variant),
  and a note says when that changes the outcome;
- drivers run in the background, one of each lane at a time (the
  TensorFlow ones, the numpy ones that need the course data), each as soon
  as its task's function checks are done;
- the tests' outcomes become per-task verdicts, written as a table, as
  JSON (--solution-report) and as Gradescope's results.json
  (--gradescope).

Exit status with --solution: 0 when every task passes, 1 when a task
fails or is missing, 2 when the grader could not finish (one line says
why).
"""
import os
import sys

import pytest

from . import isolation, report
from .configuration import ensure_our_configuration
from .fixtures import (  # noqa: F401 (pytest finds the fixtures here)
    course_data, driver_run, expected_output, solution, variant)
from .drivers import driver_plan
from .failure import NotChecked
from .grading import (  # noqa: F401 (stack: what the batch reads here)
    GRADER, Grader, stack, summarize, write_placeholders, write_progress,
    write_reports)
from .markers import parse_marker, task_of, test_key, variant_of
from .outcomes import failure_of
from .paths import ROOT
from .tasks import CHECKS, GRADING_ORDER, TASKS
from .workers import TIME_UP

GRADED = os.path.join(ROOT, 'tests', 'graded')


def pytest_addoption(parser):
    group = parser.getgroup('grader', 'grading a solution')
    group.addoption('--solution', metavar='PATH',
                    help='grade the numbered files of PATH (a student\'s '
                         'optimization folder) instead of this '
                         'repository\'s')
    group.addoption('--solution-report', metavar='FILE',
                    help='write the verdicts to FILE as JSON')
    group.addoption('--gradescope', metavar='FILE',
                    help='write the verdicts to FILE as Gradescope\'s '
                         'results.json')
    group.addoption('--isolation', metavar='LEVEL',
                    choices=isolation.LEVELS,
                    help='run solutions at most at this isolation level '
                         '(default: the strongest this machine allows: '
                         'bubblewrap, separate user, same user)')
    group.addoption('--require-isolation', metavar='LEVEL',
                    choices=isolation.LEVELS,
                    help='refuse to grade below this isolation level')
    group.addoption('--time-limit', metavar='SECONDS', type=float,
                    help='stop running the solution\'s code after SECONDS '
                         'of grading: the checks left are not run, and so '
                         'do not pass (default: only each call\'s and '
                         'each driver\'s own limit)')
    group.addoption('--slow', action='store_true',
                    help='also run the slow tier: the long TensorFlow '
                         'drivers in full, and the grader\'s own tests on '
                         'broken solutions')


# ----------------------------------------------------------------- hooks

def pytest_configure(config):
    if config.getoption('--solution'):
        ensure_our_configuration(config)
    config.addinivalue_line('markers', 'task(n, check="function"): a check '
                                       'of task n, graded with --solution')
    config.addinivalue_line('markers', 'slow: a test of the slow tier, run '
                                       'with --slow')
    config.addinivalue_line('markers', 'tensorflow_driver: a driver that '
                                       'runs TensorFlow (its task\'s lane); '
                                       '-m "not (slow and tensorflow_driver)"'
                                       ' leaves their full runs out')
    state = Grader(config)
    config.stash[GRADER] = state
    required = config.getoption('--require-isolation')
    if required and isolation.LEVELS.index(state.level) < \
            isolation.LEVELS.index(required):
        pytest.exit('--require-isolation {}: this run can only isolate '
                    'solutions as "{}" ({})'.format(
                        required, state.level, '; '.join(
                            '{}: {}'.format(level, why) for level, why in
                            state.why_not.items()) or '--isolation'), 2)
    if state.active:
        write_placeholders(state)
    if state.solution_mode:
        if not os.path.isdir(state.folder):
            pytest.exit('--solution: no such folder: ' + state.folder, 2)
        if state.reference:
            pytest.exit('--solution: {} is this grader\'s own repository '
                        '(its reference solutions), reached through a '
                        'symbolic link: not graded'.format(state.folder), 2)
        # nothing is written into the solution's folder
        sys.dont_write_bytecode = True
        if config.option.tbstyle == 'auto':
            config.option.tbstyle = 'no'
        config.option.reportchars = ''
        # the graded tests, wherever pytest was started from
        source = getattr(config, 'args_source', None)
        if source is None or source.name != 'ARGS':
            config.args[:] = [GRADED]


def pytest_ignore_collect(collection_path, config):
    state = config.stash.get(GRADER, None)
    if state is not None and state.solution_mode:
        path = os.path.abspath(str(collection_path))
        return not (path == GRADED or path.startswith(GRADED + os.sep)
                    or GRADED.startswith(path + os.sep) or path == ROOT
                    or path + os.sep == ROOT)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc):
    if 'variant' not in metafunc.fixturenames:
        return
    state = metafunc.config.stash[GRADER]
    marker = metafunc.definition.get_closest_marker('task')
    variants = ['graded']
    if state.solution_mode and marker is not None:
        task, check, _ = parse_marker(marker)
        if TASKS[task].uses and check != 'house_rules':
            variants.append('own')
    metafunc.parametrize('variant', variants, ids=variants)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # last: the items are those left after -k, -m and --deselect, so that
    # no driver starts for a test that will not run
    state = config.stash[GRADER]
    if not config.getoption('--slow'):
        skip = pytest.mark.skip(reason='slow tier: run with --slow')
        for item in items:
            if 'slow' in item.keywords:
                item.add_marker(skip)
    graded = [item for item in items if os.path.abspath(str(item.path))
              .startswith(GRADED + os.sep)]
    unmarked = [item.nodeid for item in graded if task_of(item) is None]
    if unmarked:
        raise pytest.UsageError('graded tests without a task marker: '
                                + ', '.join(unmarked))

    def order(item):
        # the graded checks, then the project's tests, then the graded
        # drivers, which wait for runs that started in the background
        found = task_of(item)
        if found is None:
            return (1, 0, 0, False)
        task, check = found
        return (2 if check == 'driver' else 0, GRADING_ORDER.index(task),
                CHECKS.index(check), variant_of(item) == 'own')
    items.sort(key=order)
    graded = [item for item in items if task_of(item) is not None]
    selected = []
    for item in graded:
        task, check = task_of(item)
        if item.get_closest_marker('skip'):
            continue
        if check != 'driver':
            key = (task, variant_of(item))
            state.workers.schedule(*key)
        elif variant_of(item) == 'graded':
            selected.append((task, parse_marker(
                item.get_closest_marker('task'))[2]))
    state.full_runs, wanted = driver_plan(selected)
    # in each lane, the longest first
    for task, run in sorted(wanted,
                            key=lambda key: GRADING_ORDER.index(key[0])):
        state.drivers.want(task, run, 'graded')


def pytest_collection_finish(session):
    state = session.config.stash[GRADER]
    if state.solution_mode:
        # the course files checked and copied before any solution code
        # runs, so that what the reports say of them is true from the
        # first partial report on, and no solution can change them first
        state.course_data()
    if not state.solution_mode:
        # this repository's own code: its drivers may start at once
        for task in TASKS:
            state.drivers.ready.add((task, 'graded'))
    for key, count in list(state.workers.pending.items()):
        if count == 0:
            state.task_done(*key)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    found = task_of(item)
    if found is None:
        return
    state = item.config.stash[GRADER]
    if report.when != 'call' and (report.when != 'setup' or report.passed):
        return
    task, check = found
    key = test_key(item)
    which, name = variant_of(item), key[1]
    error = call.excinfo.value if call.excinfo else None
    outcomes = state.outcomes
    if report.passed:
        outcomes.record(task, check, name, 'pass', variant=which,
                        test_id=key)
    elif report.skipped or isinstance(error, NotChecked):
        # cut off by the grading's time limit: the check is not whole
        cut_off = isinstance(error, NotChecked) and str(error) == TIME_UP
        outcomes.record(task, check, name,
                        'cut off' if cut_off else 'not run', variant=which,
                        test_id=key)
        if isinstance(error, NotChecked):
            report.outcome = 'skipped'
            report.longrepr = (str(item.path), 0, str(error))
    else:
        failure, grader_error = failure_of(error)
        if grader_error:
            outcomes.errors.append({'task': task, 'test': name,
                                    'error': failure.message})
        outcomes.record(task, check, name, 'fail', failure, variant=which,
                        test_id=key)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    found = task_of(item)
    if found is None:
        return
    state = item.config.stash[GRADER]
    state.check_repo()
    if found[1] == 'driver':
        write_progress(state)
        return
    if item.get_closest_marker('skip'):
        return
    if state.workers.check_done(found[0], variant_of(item)):
        state.task_done(found[0], variant_of(item))
        write_progress(state)


def pytest_sessionfinish(session, exitstatus):
    state = session.config.stash.get(GRADER, None)
    if state is None:
        return
    if state.box is not None:
        state.workers.close_all()
        for run in state.drivers.runs.values():
            if run.started is not None:
                state.box.kill(run.label)
        for run, commands in state.box.end():
            task = run.task if run is not None else None
            if task is None and len(state.ran) == 1:
                task = next(iter(state.ran))
            state.outcomes.left_running(
                task, run.check if run is not None else 'function', commands)
            state.stray += commands
    state.check_repo()
    if not state.active:
        return
    state.outcomes.own_notes()
    tasks = state.outcomes.verdicts(state.sources, state.unreadable,
                                    state.solution_mode)
    state.tasks = tasks
    state.final_status = state.outcomes.exit_status(tasks)
    if exitstatus not in (0, 1) and state.solution_mode:
        state.final_status = 2
        state.why = {2: 'interrupted', 3: 'internal error',
                     4: 'usage error', 5: 'no graded tests were collected '
                     '(run it from the repository root)'}.get(
                         int(exitstatus), 'pytest exit status {}'.format(
                             int(exitstatus)))
    state.summary = summarize(state, tasks)
    write_reports(state)
    if state.solution_mode:
        session.exitstatus = state.final_status


def pytest_unconfigure(config):
    state = config.stash.get(GRADER, None)
    if state is None or not state.active or not hasattr(state, 'summary'):
        return
    reporter = config.pluginmanager.getplugin('terminalreporter')
    write = reporter.write_line if reporter is not None else print
    for line in report.table(state.summary):
        write(line)
