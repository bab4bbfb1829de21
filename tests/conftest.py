"""Shared test set-up: the folder under test, the course data, the tiers,
and the per-task verdicts.

Tiers:
- default (`python3 -m pytest`): every test that needs no course data, and
  the course-data tests that take minutes, not tens of minutes;
- slow (`python3 -m pytest --slow`): adds the full TensorFlow drivers and
  the grader's own tests on broken copies of this repository.

Tests that need the course data skip when it is not found, except under
CI (CI=true), where a missing data folder is a failure.

Grading (`python3 -m pytest --solution PATH`): the same tests, run on the
numbered files of PATH instead of this repository's.  A test marked
`task(n)` checks task n; its file says which check it is (house rules,
function, driver).  Tests marked `project`, and the files in PROJECT_ONLY,
check what this project adds beyond the spec and are not run on a
solution.  Every run that grades (`--solution` or `--solution-report`)
ends with a table of verdicts, one line a task.
"""
import json
import os
import sys

import pytest

import grading

ROOT = grading.ROOT
sys.path.insert(0, os.path.join(ROOT, 'mains'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'grader_options'))
import course  # noqa: E402  (the drivers' own data lookup)
import optimization_grader_options as grader_options  # noqa: E402
COURSE_FILES = ('MNIST.npz', 'Binary_Train.npz', 'model.h5')
# test files that check only what this project adds beyond the spec
PROJECT_ONLY = {
    'test_errors.py': 'argument checks and their messages',
    'test_properties.py': 'no argument is mutated (hypothesis)',
    'test_course_files.py': "the drivers' handling of the course files",
    'test_moons.py': 'the moons experiment',
    'test_post.py': 'the post (task 15)',
    'test_grader.py': "the grader's own tests",
}
# the tests marked `project`, outside the files above
NOT_GRADED = sorted(PROJECT_ONLY.values()) + [
    'zero-variance guards', 'plain floats from moving_average',
    "task 9's in-place update", 'no argument is mutated (unit tests)',
    'mini-batches as views', 'a bias-free Dense layer in task 14',
    'optimizers built with a schedule', 'driver 4 from another folder',
    "driver 7 on OpenBLAS's non-FMA kernel"]
# which check a test file's task tests are
CHECK = {'test_house_rules.py': 'house_rules', 'test_drivers.py': 'driver'}
CHECKS = ('house_rules', 'function', 'driver')
GRADING = {'active': False, 'solution': False}
OUTCOMES = {}       # task -> check -> list of (outcome, reason)


def task(name):
    """The numbered module `name` of the folder under test, imported now.

    Tests should use grading.function(), which imports on first call."""
    return grading.load(name)


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
        message = ('course data not found: run from the folder holding {}, '
                   'set OPTIMIZATION_DATA to it, or copy them into '
                   'data/'.format(', '.join(COURSE_FILES)))
        if os.environ.get('CI') == 'true':
            pytest.fail(message)
        pytest.skip(message)
    return folder


def pytest_addoption(parser, pluginmanager):
    parser.addoption('--slow', action='store_true',
                     help='also run the slow tier: the full TensorFlow '
                          "drivers and the grader's own tests (about 35 "
                          'more minutes on 2 cores)')
    if not pluginmanager.has_plugin('optimization_grader_options'):
        # not installed: `--solution=PATH` works, `--solution PATH` not
        grader_options.add_options(parser)


def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: a test of the slow tier, run '
                                       'with --slow')
    config.addinivalue_line('markers', 'task(n): a check of task n, graded '
                                       'with --solution')
    config.addinivalue_line('markers', 'project: a check of what this '
                                       'project adds beyond the spec; not '
                                       'run with --solution')
    solution = config.getoption('--solution')
    GRADING['active'] = bool(solution or config.getoption('--solution-report'))
    if solution:
        folder = os.path.abspath(solution)
        if not os.path.isdir(folder):
            raise pytest.UsageError('--solution: no such folder: ' + folder)
        GRADING['solution'] = True
        # nothing is written into the solution's folder: no bytecode, and
        # no .pytest_cache (pytest takes the folder for its rootdir, as it
        # reads `--solution PATH` before it knows the option)
        sys.dont_write_bytecode = True
        if getattr(config, 'cache', None) is not None:
            config.cache._cachedir = config.cache._cachedir.__class__(
                ROOT, '.pytest_cache')
        os.environ['PYTHONDONTWRITEBYTECODE'] = '1'
        # the table says what failed: no tracebacks, no list of tests
        if config.option.tbstyle == 'auto':
            config.option.tbstyle = 'no'
        if config.option.reportchars in ('fE', 'fe'):     # the default
            config.option.reportchars = 'N'
    else:
        folder = ROOT
    grading.folder = folder
    os.environ[course.SOLUTION_ENV] = folder    # for the drivers
    if GRADING['solution']:
        # only the solution's numbered files may be found by __import__:
        # not this repository's (which course put on the path), nor the
        # working directory's
        sys.path[:] = [p for p in sys.path
                       if os.path.abspath(p or os.curdir) != ROOT and p]
    sys.path.insert(0, folder)


def pytest_ignore_collect(collection_path, config):
    return GRADING['solution'] and collection_path.name in PROJECT_ONLY


def task_of(item):
    """The task an item checks (None for a project test)."""
    marker = item.get_closest_marker('task')
    if marker is None or 'project' in item.keywords:
        return None
    return marker.args[0]


def check_of(item):
    return CHECK.get(item.path.name, 'function')


def pytest_collection_modifyitems(config, items):
    if not config.getoption('--slow'):
        skip = pytest.mark.skip(reason='slow tier: run with --slow')
        for item in items:
            if 'slow' in item.keywords:
                item.add_marker(skip)
    if not GRADING['solution']:
        return
    unmarked = [item.nodeid for item in items
                if task_of(item) is None and 'project' not in item.keywords]
    if unmarked:
        raise pytest.UsageError('tests with neither a task nor a project '
                                'marker: ' + ', '.join(unmarked))
    skip = pytest.mark.skip(reason='not graded: checks what this project '
                                   'adds beyond the spec')
    for item in items:
        if 'project' in item.keywords:
            item.add_marker(skip)
    # the house rules first, the drivers last: a function found to hang is
    # then not run again inside a driver
    items.sort(key=lambda item: CHECKS.index(check_of(item)))


def describe(item):
    """A test as a few words: its name without test_ and underscores."""
    name = item.originalname if hasattr(item, 'originalname') else item.name
    words = name.replace('test_', '', 1).replace('_', ' ')
    params = getattr(getattr(item, 'callspec', None), 'id', '')
    return words + (' [{}]'.format(params) if params else '')


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    number = task_of(item)
    if number is None or not GRADING['active']:
        return
    # a check is the test's call, or its setup when that fails or skips
    if report.when != 'call' and (report.when != 'setup' or report.passed):
        return
    if report.passed:
        result = ('pass', None)
    elif report.skipped:
        result = ('not run', None)
    else:
        error = call.excinfo.value if call.excinfo else None
        why = grading.one_line(error) if error is not None else 'failed'
        result = ('fail', why if isinstance(error, grading.GradingError)
                  else '{}: {}'.format(describe(item), why))
    OUTCOMES.setdefault(number, {}).setdefault(check_of(item), []).append(
        result)


def verdicts():
    """The per-task verdicts, as --solution-report writes them."""
    tasks = {}
    for number, (stem, _, _) in sorted(grading.SPEC.items()):
        found = OUTCOMES.get(number, {})
        checks, failures = {}, []
        for check in CHECKS:
            results = found.get(check, [])
            failed = [reason for outcome, reason in results
                      if outcome == 'fail']
            checks[check] = ('fail' if failed else 'pass' if any(
                outcome == 'pass' for outcome, _ in results) else 'not run')
            failures += [reason for reason in failed if reason not in failures]
        exists = os.path.isfile(grading.path(stem))
        verdict = ('missing' if not exists else 'fail' if failures
                   else 'pass' if checks['function'] == 'pass' else 'not run')
        tasks[str(number)] = {'file': stem + '.py', 'verdict': verdict,
                              'checks': checks, 'failures': failures}
    return tasks


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not GRADING['active']:
        return
    tasks = verdicts()
    write = terminalreporter.write_line
    terminalreporter.section('verdicts for ' + grading.folder)
    row = '{:>4}  {:<27} {:<11} {:<9} {:<8} {:<8} {}'
    write(row.format('task', 'file', 'house rules', 'function', 'driver',
                     'verdict', 'first failure'))
    for number, found in tasks.items():
        checks = found['checks']
        write(row.format(number, found['file'], checks['house_rules'],
                         checks['function'], checks['driver'],
                         found['verdict'].upper() if found['verdict'] != 'pass'
                         else 'pass', (found['failures'] or [''])[0]))
    if GRADING['solution']:
        write('Not graded (what this project adds beyond the spec): '
              'argument checks, no mutation, zero-variance guards, plain '
              "floats, task 9's in-place update, the drivers' course-file "
              'checks, the moons experiment, the post.')
    report = config.getoption('--solution-report')
    if report:
        with open(report, 'w') as f:
            json.dump({'solution': grading.folder, 'tasks': tasks,
                       'not_graded': NOT_GRADED}, f, indent=2)
        write('verdicts written to ' + os.path.abspath(report))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if GRADING['active'] and exitstatus == 0 and any(
            found['verdict'] in ('fail', 'missing')
            for found in verdicts().values()):
        session.exitstatus = 1
