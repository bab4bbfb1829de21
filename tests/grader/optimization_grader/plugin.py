"""The grader as a pytest plugin: `python3 -m pytest --solution PATH`.

Without --solution, the graded tests (tests/graded/) check this
repository's numbered files and every other test runs too.  With it, only
the graded tests run, on PATH's files, and the run ends with a table of
verdicts, one line for every failing check.

All of a run's state is one Grader object (config.stash[GRADER]):
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
import platform
import sys
import time

import pytest

from . import isolation, report, sandbox
from .drivers import Drivers
from .failure import CheckFailed, NotChecked
from .integrity import data_folder, read_source, verify_data
from .outcomes import Outcomes, failure_of
from .paths import EXPECTED, ROOT
from .tasks import CHECKS, COURSE_FILES, GRADING_ORDER, TASKS
from .workers import Workers

GRADED = os.path.join(ROOT, 'tests', 'graded')
GRADER = pytest.StashKey()


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
        self.slow = config.getoption('--slow')
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
        """A line on the terminal, even while a test runs."""
        reporter = self.config.pluginmanager.getplugin('terminalreporter')
        capture = self.config.pluginmanager.getplugin('capturemanager')
        if reporter is None:
            return
        if capture is not None:
            with capture.global_and_fixture_disabled():
                reporter.write_line(text)
        else:
            reporter.write_line(text)


# ----------------------------------------------------------------- hooks

REEXEC = 'OPTIMIZATION_GRADER_REEXEC'
PATH_OPTIONS = ('--solution', '--solution-report', '--gradescope')


def reexec_args(args):
    """The command line again, with this repository's configuration and
    the solution's folder as an option's value, not a path to collect."""
    found, k = [], 0
    while k < len(args):
        arg = args[k]
        if arg in PATH_OPTIONS and k + 1 < len(args):
            found.append('{}={}'.format(arg, os.path.abspath(args[k + 1])))
            k += 2
            continue
        name, equals, value = arg.partition('=')
        if name in PATH_OPTIONS and equals:
            arg = '{}={}'.format(name, os.path.abspath(value))
        found.append(arg)
        k += 1
    return ['-c', os.path.join(ROOT, 'pytest.ini'), '--rootdir', ROOT] + found


def ensure_our_configuration(config):
    """With `--solution PATH`, pytest looked for its configuration file
    around PATH before any plugin could say that PATH is an option's
    value, so a pytest.ini, tox.ini, setup.cfg or pyproject.toml there
    (or above it) would decide how the grader runs.  Start again, at once,
    with this repository's pytest.ini and --solution=PATH."""
    ours = os.path.join(ROOT, 'pytest.ini')
    inipath = str(config.inipath) if config.inipath else None
    if inipath == ours and str(config.rootpath) == ROOT:
        return
    if os.environ.get(REEXEC):
        pytest.exit('the grader could not use its own configuration '
                    '({}, rootdir {}): run it from {} as python3 -m pytest '
                    '--solution=PATH'.format(inipath, config.rootpath, ROOT),
                    2)
    sys.stdout.flush()
    sys.stderr.flush()
    os.environ[REEXEC] = '1'
    os.execv(sys.executable, [sys.executable, '-m', 'pytest'] + reexec_args(
        list(config.invocation_params.args)))


def pytest_configure(config):
    if config.getoption('--solution'):
        ensure_our_configuration(config)
    config.addinivalue_line('markers', 'task(n, check="function"): a check '
                                       'of task n, graded with --solution')
    config.addinivalue_line('markers', 'slow: a test of the slow tier, run '
                                       'with --slow')
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


def pytest_collection_modifyitems(config, items):
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
    wanted = []
    for item in graded:
        task, check = task_of(item)
        if item.get_closest_marker('skip'):
            continue
        if check != 'driver':
            key = (task, variant_of(item))
            state.workers.schedule(*key)
        elif variant_of(item) == 'graded':
            run = parse_marker(item.get_closest_marker('task'))[2]
            if run == 'checkpoint' and config.getoption('--slow'):
                continue        # the full run checks the checkpoint too
            wanted.append((task, run, 'graded'))
    # in each lane, the longest first
    for key in sorted(wanted, key=lambda key: GRADING_ORDER.index(key[0])):
        state.drivers.want(*key)


def pytest_collection_finish(session):
    state = session.config.stash[GRADER]
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
    variant, name = variant_of(item), key[1]
    error = call.excinfo.value if call.excinfo else None
    outcomes = state.outcomes
    if report.passed:
        outcomes.record(task, check, name, 'pass', variant=variant,
                        test_id=key)
    elif report.skipped or isinstance(error, NotChecked):
        outcomes.record(task, check, name, 'not run', variant=variant,
                        test_id=key)
        if isinstance(error, NotChecked):
            report.outcome = 'skipped'
            report.longrepr = (str(item.path), 0, str(error))
    else:
        failure, grader_error = failure_of(error)
        if grader_error:
            outcomes.errors.append({'task': task, 'test': name,
                                    'error': failure.message})
        outcomes.record(task, check, name, 'fail', failure, variant=variant,
                        test_id=key)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    found = task_of(item)
    if found is None:
        return
    state = item.config.stash[GRADER]
    state.check_repo()
    if found[1] == 'driver':
        return
    if item.get_closest_marker('skip'):
        return
    if state.workers.check_done(found[0], variant_of(item)):
        state.task_done(found[0], variant_of(item))


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
            'exit_status': state.final_status,
            'why': getattr(state, 'why', None),
            'execution_time': time.monotonic() - state.started}


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


def pytest_unconfigure(config):
    state = config.stash.get(GRADER, None)
    if state is None or not state.active or not hasattr(state, 'summary'):
        return
    reporter = config.pluginmanager.getplugin('terminalreporter')
    write = reporter.write_line if reporter is not None else print
    for line in report.table(state.summary):
        write(line)


# --------------------------------------------------------------- fixtures

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
