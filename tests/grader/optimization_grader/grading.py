#!/usr/bin/env python3
"""One grading's state: the Grader object (config.stash[GRADER]).

It reads the solution's numbered files once, before any of them runs,
and the expected outputs; chooses the isolation level; owns the run's
sandbox, its workers (workers.Workers) and drivers (drivers.Drivers),
the checked copy of the course data and the outcomes (outcomes.Outcomes);
and, after each task, looks at the repository (same-user level only) and
blames what changed.  summarize() turns it into the summary report.py's
writers read.
"""
import os
import platform
import time

import pytest

from . import isolation, report, sandbox
from .checks import escape
from .drivers import Drivers
from .integrity import data_folder, read_source, verify_data
from .outcomes import Outcomes
from .paths import EXPECTED, ROOT
from .tasks import COURSE_FILES, TASKS
from .workers import Workers

GRADER = pytest.StashKey()


def grader(config):
    return config.stash[GRADER]


def version(distribution):
    try:
        from importlib import metadata
        return metadata.version(distribution)
    except Exception:
        return None


def stack():
    """The versions this run uses, and whether they are the course's."""
    found = {'python': platform.python_version(),
             'numpy': version('numpy'),
             'tensorflow': version('tensorflow') or version('tensorflow-cpu')}
    found['course_stack'] = bool(
        found['python'].startswith(report.COURSE_STACK['python'] + '.')
        and found['numpy'] == report.COURSE_STACK['numpy']
        and (found['tensorflow'] or '').startswith(
            report.COURSE_STACK['tensorflow'] + '.'))
    return found


class Grader:
    """The state of one run: the folder under test, read once; its
    sandbox, workers (workers.Workers) and drivers (drivers.Drivers); the
    course data; every check's outcome (outcomes.Outcomes); and the look
    at the repository after each task, which blames what changed."""

    def __init__(self, config):
        self.config = config
        solution = config.getoption('--solution')
        self.solution_mode = bool(solution)
        self.reports = {'json': config.getoption('--solution-report'),
                        'gradescope': config.getoption('--gradescope')}
        self.active = self.solution_mode or any(self.reports.values())
        self.folder = os.path.abspath(solution) if solution else ROOT
        # a folder that is this repository, or in it, reached by another
        # path (a link in a submission): its files are the reference ones
        real = os.path.realpath(self.folder)
        self.reference = bool(solution) and self.folder != ROOT and (
            real == ROOT or real.startswith(ROOT + os.sep))
        # the tasks whose driver this session runs in full (collection
        # sets it): their full run checks the first checkpoint too
        self.full_runs = set()
        self.started = time.monotonic()
        self.time_limit = config.getoption('--time-limit')
        if self.time_limit is not None and not self.time_limit > 0:
            raise pytest.UsageError(
                '--time-limit must be a positive number of seconds, not '
                '{}'.format(self.time_limit))
        self.stack = stack()
        # read before any solution code runs
        self.expected = {}
        for n in TASKS:
            with open(os.path.join(EXPECTED, '{}-main.txt'.format(n))) as f:
                self.expected[n] = f.read()
        self.sources, self.modes, self.unreadable = {}, {}, {}
        for task in TASKS.values():
            found = read_source(self.folder, task.stem + '.py')
            if isinstance(found, str):
                self.unreadable[task.number] = found
            elif found is not None:
                self.sources[task.number], self.modes[task.number] = found
        exclude = [self.folder] if self.solution_mode else []
        exclude += [os.path.abspath(p) for p in self.reports.values() if p]
        self.guard = None       # made once the level is known
        self.box = None
        self.level, self.why_not = isolation.strongest(
            config.getoption('--isolation'))
        # a copy of this repository's files, to put back what a solution
        # changes: only at the same-user level, where it can write them
        if self.solution_mode and self.level == 'same user':
            self.guard = sandbox.RepoGuard(ROOT, exclude)
        self.data, self.data_problem = None, None
        self.outcomes = Outcomes()
        self.ran = set()            # tasks whose code ran since a look
        self.stray = []
        self.workers = Workers(self.sandbox, self.folder, self.sources,
                               self.unreadable, self.ran, self.remaining)
        self.drivers = Drivers(self.sandbox, self.workers.stage,
                               self.course_data, self.expected, self.show,
                               self.check_repo, self.ran, self.outcomes,
                               quick=self.solution_mode,
                               remaining=self.remaining)

    def remaining(self):
        """The seconds the grading has left (--time-limit)."""
        if self.time_limit is None:
            return float('inf')
        left = self.started + self.time_limit - time.monotonic()
        if left <= 0:
            self.outcomes.time_up = self.time_limit
        return left

    # -------------------------------------------------------- processes
    def sandbox(self):
        if self.box is None:
            self.box = sandbox.Sandbox(self.level)
        return self.box

    def course_data(self):
        """A read-only copy of the course files, checked against their
        SHA-256 before any driver runs; None (and self.data_problem says
        why) if they are not found or not the course's."""
        if self.data is None and self.data_problem is None:
            found = data_folder()
            if found is None:
                self.data_problem = 'the course data was not found'
            else:
                self.data_problem = verify_data(found)
                if self.data_problem is None:
                    self.data = self.sandbox().private_copy('data', [
                        os.path.join(found, name) for name in COURSE_FILES])
                    # the copy, once more: the files may have changed
                    # between the check and the copy
                    self.data_problem = verify_data(self.data)
                    if self.data_problem:
                        self.data = None
        return self.data

    def task_done(self, task, variant):
        """Close the worker of (task, variant) and let its driver start,
        unless the module or a function hung (it would hang there too)."""
        left, why_not = self.workers.close(task, variant)
        self.outcomes.left_running(task, 'function', left)
        self.check_repo()
        if why_not:
            self.drivers.hung[(task, variant)] = why_not
        else:
            self.drivers.ready.add((task, variant))
        self.drivers.pump()

    def check_repo(self):
        """Put back any file of this repository a solution changed, kill
        the processes it left that hide their origin (orphans with no
        marker), and blame the tasks whose code ran since the last look."""
        if self.guard is None:
            return
        if self.box is not None:
            orphans = self.box.orphans()
            for task in self.ran if orphans else ():
                self.outcomes.left_running(task, 'function', orphans)
            if orphans and not self.ran:
                self.outcomes.left_running(None, 'function', orphans)
        touched = self.guard.check()
        for task in self.ran if touched else ():
            self.outcomes.tampered.setdefault(task, []).extend(touched)
        if touched and not self.ran:
            self.outcomes.tampered.setdefault(None, []).extend(touched)
        self.ran.clear()
        self.ran |= self.drivers.running() | self.workers.running()

    def show(self, text):
        """A line on the terminal, even while a test runs (escaped: it may
        quote what a solution printed)."""
        text = escape(text)
        reporter = self.config.pluginmanager.getplugin('terminalreporter')
        capture = self.config.pluginmanager.getplugin('capturemanager')
        if reporter is None:
            return
        if capture is not None:
            with capture.global_and_fixture_disabled():
                reporter.write_line(text)
        else:
            reporter.write_line(text)


def summarize(state, tasks):
    """The run's summary, which report.py's writers read (and only it)."""
    return {'solution': state.folder, 'stack': state.stack,
            'isolation': state.box.level if state.box is not None
            else state.level,
            'tasks': tasks, 'unattributed': state.outcomes.unattributed(),
            'errors': state.outcomes.errors, 'stray': state.stray,
            'data': None if state.data is not None else
            state.data_problem or 'the course data was not found',
            'data_found': data_folder() is not None,
            'solution_mode': state.solution_mode,
            'exit_status': getattr(state, 'final_status', 2),
            'why': getattr(state, 'why', None),
            'execution_time': time.monotonic() - state.started}


CUT_SHORT = ('the grading was cut short after {:.0f} s (a platform\'s time '
             'limit, or the grader killed): the checks it had not run yet '
             'score 0')


def write_progress(state):
    """The reports of the checks run so far, marked incomplete, written
    after each task and each driver: what a platform's timeout or a kill
    leaves instead of nothing (the final reports replace them)."""
    if not state.solution_mode or not any(state.reports.values()):
        return
    tasks = state.outcomes.verdicts(state.sources, state.unreadable,
                                    state.solution_mode)
    found = summarize(state, tasks)
    why = CUT_SHORT.format(found['execution_time'])
    found.update(exit_status=2, why=why, complete=False, partial=True,
                 unattributed=found['unattributed'] + [{'message': why}])
    if state.reports['json']:
        report.write(state.reports['json'], report.json_report(found))
    if state.reports['gradescope']:
        report.write(state.reports['gradescope'], report.gradescope(found))


def write_reports(state):
    if state.reports['json']:
        report.write(state.reports['json'], report.json_report(state.summary))
    if state.reports['gradescope']:
        report.write(state.reports['gradescope'],
                     report.gradescope(state.summary))


def write_placeholders(state):
    """Reports that say the grading did not finish (report.placeholders),
    written before any solution code runs."""
    found, results = report.placeholders(state.folder)
    if state.reports['json']:
        report.write(state.reports['json'], found)
    if state.reports['gradescope']:
        report.write(state.reports['gradescope'], results)
