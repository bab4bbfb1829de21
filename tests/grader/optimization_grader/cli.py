#!/usr/bin/env python3
"""optimization-grader: the grader as one command, for students and staff.

    optimization-grader grade PATH [--data DIR] [--report FILE]
        [--gradescope FILE] [--classroom FILE] [--points ...]
    optimization-grader batch SUBMISSIONS --out DIR [--jobs N]
    optimization-grader merge DIR... --out DIR
    optimization-grader gradescope-zip --data DIR -o autograder.zip

`grade` runs this repository's tests on one solution exactly as
`python3 -m pytest --solution PATH` does (a pytest of its own, from the
repository root), with the JSON report written to a private temporary
file; every other output is derived from that report (scores.py).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from . import report as reports
from . import scores
from .paths import ROOT
from .tasks import TASKS

SUBFOLDER = os.path.join('supervised_learning', 'optimization')
STEMS = tuple(task.stem + '.py' for task in TASKS.values())
GRADE_TIMEOUT = 3 * 3600


def numbered_files(folder):
    """How many of the task files are in folder."""
    try:
        names = set(os.listdir(folder))
    except OSError:
        return 0
    return sum(stem in names for stem in STEMS)


def linked(path, below):
    """Whether a folder between path (excluded) and below (included) is a
    symbolic link: a submission's link could lead anywhere, to the
    reference solutions too."""
    parts = os.path.relpath(below, path).split(os.sep)
    return any(os.path.islink(os.path.join(path, *parts[:k]))
               for k in range(1, len(parts) + 1))


def find_solution(path, depth=4):
    """(folder to grade, a sentence saying how it was found): PATH itself
    when it holds numbered files; else its supervised_learning/
    optimization/ (a student's repository); else the folder under it
    (at most `depth` levels, .git and hidden folders skipped) holding the
    most numbered files.  With none anywhere, PATH, and the sentence says
    so (the grading then finds every file missing)."""
    path = os.path.abspath(path)
    if numbered_files(path):
        return path, 'grading {}'.format(path)
    nested = os.path.join(path, SUBFOLDER)
    if linked(path, nested):
        return path, 'grading {}: {} is reached through a symbolic link, ' \
            'which is not graded: only the submission\'s own folders ' \
            'are'.format(path, SUBFOLDER)
    if numbered_files(nested):
        return nested, 'grading {}: the repository {} holds {}'.format(
            nested, path, SUBFOLDER)
    best, most = None, 0
    # os.walk does not enter linked folders: no link leads out of PATH
    for here, folders, _ in os.walk(path):
        level = here[len(path):].count(os.sep)
        folders[:] = sorted(f for f in folders if not f.startswith('.')
                            and f != '__pycache__' and level < depth
                            and not os.path.islink(os.path.join(here, f)))
        count = numbered_files(here)
        if count > most:
            best, most = here, count
    if best is not None:
        return best, 'grading {}: the folder under {} with the most ' \
            'numbered files ({} of {})'.format(best, path, most, len(STEMS))
    return path, 'grading {}: no numbered files (0-norm_constants.py ... ' \
        '14-batch_norm.py) found in it or under it'.format(path)


def time_limit(timeout):
    """The grader's own --time-limit for a grading stopped at timeout:
    early enough (5 %, at least 30 s) that it ends on time itself and
    writes a report of what it graded; the timeout is the backstop."""
    return max(1.0, timeout - max(30.0, 0.05 * timeout))


def pytest_argv(folder, report_path, isolation=None,
                require_isolation=None, python=None, timeout=None):
    """The command that grades folder, as `pytest --solution` does."""
    argv = [python or sys.executable, '-m', 'pytest', '--solution', folder,
            '--solution-report', report_path, '-p', 'no:cacheprovider']
    if timeout:
        argv += ['--time-limit', '{:g}'.format(time_limit(timeout))]
    if isolation:
        argv += ['--isolation', isolation]
    if require_isolation:
        argv += ['--require-isolation', require_isolation]
    return argv


def grading_env(data, base=None):
    """The environment of a grading: the caller's, with OPTIMIZATION_DATA
    set to data (an absolute path) when given; with data == '' the
    course data is not used."""
    env = dict(os.environ if base is None else base)
    env.pop('PYTEST_ADDOPTS', None)     # the grading is the grader's
    # nothing written into the checkout: gradings at once share it
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    if data is not None:
        if data:
            env['OPTIMIZATION_DATA'] = os.path.abspath(data)
        else:
            env.pop('OPTIMIZATION_DATA', None)
    return env


def complete_report(found, exit_status, execution_time, folder,
                    why=None):
    """The report of a grading, whatever happened to it: the grader's own
    when it finished, or the partial one it wrote as it went (each with
    the time it took); else one that says the grading did not finish.
    why: what stopped it, if the grading was stopped from outside."""
    graded = isinstance(found, dict) and (found.get('complete') or
                                          found.get('partial'))
    if not graded:
        found = {'solution': folder, 'complete': False, 'exit_status': 2,
                 'why': why or (found or {}).get('why') or (
                     'the grader stopped with exit status {} before it '
                     'wrote its report'.format(exit_status)
                     if exit_status not in (0, 1) else reports.INCOMPLETE)}
    found = dict(found, execution_time=execution_time)
    if why:
        found.update(why=why, exit_status=2)
    if exit_status == 2:
        found['exit_status'] = 2
    return found


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def grade(folder, data=None, out=None, isolation=None,
          require_isolation=None, timeout=GRADE_TIMEOUT, python=None,
          progress=None):
    """Grade one solution folder in a pytest of its own, from the
    repository root; its output goes to out (a file object; stdout by
    default).  Returns (exit status, the report with the run's facts).
    progress(report): called with each partial report the grader writes
    as it goes (after each task), so that a caller killed meanwhile has
    written what was graded."""
    out = out or sys.stdout
    private = tempfile.mkdtemp(prefix='optimization-grader-')
    try:
        path = os.path.join(private, 'report.json')
        started, seen = time.monotonic(), None
        process = subprocess.Popen(
            pytest_argv(folder, path, isolation, require_isolation, python,
                        timeout),
            cwd=ROOT, env=grading_env(data), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)
        # a grading silent past its time is stopped all the same
        watchdog = threading.Timer(timeout, stop, (process,))
        watchdog.daemon = True
        watchdog.start()
        try:
            for raw in process.stdout:
                out.write(raw.decode('utf-8', 'replace'))
                out.flush()
                seen = _progress(path, seen, progress)
            status = process.wait()
        except BaseException:
            stop(process)
            raise
        finally:
            watchdog.cancel()
        why = None
        if time.monotonic() - started >= timeout:
            status = 2
            why = 'it ran for more than {:g} s and was stopped'.format(
                timeout)
        status = status if status in (0, 1) else 2
        found = complete_report(read_json(path), status,
                                time.monotonic() - started, folder, why)
        return (2 if not found.get('complete') else status), found
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _progress(path, seen, progress):
    """Call progress with the grader's report at path if it changed since
    `seen` (its modification time) and is a partial one; the new `seen`."""
    if progress is None:
        return seen
    try:
        changed = os.stat(path).st_mtime_ns
    except OSError:
        return seen
    if changed != seen:
        found = read_json(path)
        if isinstance(found, dict) and found.get('partial'):
            progress(found)
    return changed


def stop(process):
    """End a grading and everything it started (its own session): the
    grader first, which ends its workers, then whatever is left."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, 15)
        process.wait(timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(process.pid, 9)
    except OSError:
        pass


def settings_of(args):
    """The scoring settings of the command line (scores.Settings)."""
    found = {}
    if getattr(args, 'settings', None):
        with open(args.settings) as f:
            found = scores.read_settings_file(f.read())
    if getattr(args, 'points', None):
        found['points'] = dict(found.get('points', {}),
                               **scores.parse_points(args.points))
    if getattr(args, 'warn_rule', None):
        found['warn_rules'] = list(found.get('warn_rules', [])) + \
            args.warn_rule
    if getattr(args, 'require_data', False):
        found['require_data'] = True
    if getattr(args, 'visibility', None):
        found['visibility'] = args.visibility
    return scores.Settings(**found)


def write_outputs(found, settings, report=None, gradescope=None,
                  classroom=None):
    """The files a grading's report makes, each written at once."""
    if report:
        reports.write(report, found)
    if gradescope:
        reports.write(gradescope, scores.gradescope_results(found, settings))
    if classroom:
        reports.write(classroom, scores.classroom(found, settings))


def add_scoring(parser):
    parser.add_argument('--points', metavar='KIND=N,...',
                        help='points per check kind, e.g. function=2,'
                             'driver=1,house_rules=1 (default 1 each)')
    parser.add_argument('--settings', metavar='FILE',
                        help='a TOML file: [points], [rules] warn = [...],'
                             ' require_data, [gradescope] visibility')
    parser.add_argument('--warn-rule', action='append', metavar='RULE',
                        help='a house rule that only warns (e.g. '
                             'executable, which uploads can lose); '
                             'repeatable')
    parser.add_argument('--require-data', action='store_true',
                        help='a check that did not run (no course data) '
                             'scores 0 instead of not being scored')
    parser.add_argument('--visibility', choices=scores.VISIBILITIES,
                        help="the Gradescope tests' visibility")


def add_grading(parser):
    parser.add_argument('--data', metavar='DIR',
                        help='the folder of the course files (MNIST.npz, '
                             'Binary_Train.npz, model.h5); default: '
                             '$OPTIMIZATION_DATA')
    parser.add_argument('--isolation', metavar='LEVEL',
                        help='run at most at LEVEL (as pytest --isolation)')
    parser.add_argument('--require-isolation', metavar='LEVEL',
                        help='refuse to grade below LEVEL')


def parser():
    top = argparse.ArgumentParser(
        prog='optimization-grader',
        description='Grade solutions of the optimization project.')
    commands = top.add_subparsers(dest='command', metavar='COMMAND')
    commands.required = True
    one = commands.add_parser('grade', help='grade one solution')
    one.add_argument('path', metavar='PATH',
                     help='a solution folder, or a repository holding '
                          'supervised_learning/optimization/')
    add_grading(one)
    one.add_argument('--report', metavar='FILE', help='the JSON report')
    one.add_argument('--gradescope', metavar='FILE',
                     help="Gradescope's results.json")
    one.add_argument('--classroom', metavar='FILE',
                     help="GitHub Classroom's reporter JSON")
    one.add_argument('--timeout', type=float, default=GRADE_TIMEOUT,
                     metavar='S', help='stop the grading after S seconds '
                                       '(exit status 2; default 3 hours)')
    add_scoring(one)
    try:
        from . import batch
        batch.add_commands(commands, add_grading, add_scoring)
    except ImportError:
        pass
    try:
        from . import bundle
        bundle.add_command(commands)
    except ImportError:
        pass
    return top


def grade_command(args):
    try:
        settings = settings_of(args)
    except (scores.SettingsError, OSError) as e:
        print('optimization-grader: {}'.format(e), file=sys.stderr)
        return 2
    folder, said = find_solution(args.path)
    print(said, flush=True)
    status, found = grade(
        folder, args.data, isolation=args.isolation,
        require_isolation=args.require_isolation, timeout=args.timeout,
        progress=lambda partial: write_outputs(
            partial, settings, args.report, args.gradescope,
            args.classroom))
    write_outputs(found, settings, args.report, args.gradescope,
                  args.classroom)
    if not found.get('complete'):
        print('optimization-grader: the grading did not finish: {}'.format(
            found.get('why')), file=sys.stderr)
    return status


def main(argv=None):
    args = parser().parse_args(argv)
    if args.command == 'grade':
        return grade_command(args)
    return args.run(args)


if __name__ == '__main__':
    sys.exit(main())
