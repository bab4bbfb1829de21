#!/usr/bin/env python3
"""What a grading reports, as pure functions of its summary, and the one
way a report reaches the disk.

A summary is a plain dict, made once by the plugin at the end of a run:
    solution        the folder graded
    stack           {'python', 'numpy', 'tensorflow', 'course_stack'}
    isolation       the level the solutions ran at (isolation.LEVELS)
    tasks           {'0': {'file', 'verdict', 'checks', 'failures',
                    'warnings', 'notes'}, ...}
    unattributed    failures no one task could be blamed for
    errors          the grader's own failures [{'task', 'test', 'error'}]
    stray           command lines of processes it killed
    data            None, or why the drivers that need the course data
                    did not run; and data_found: whether files were found
    solution_mode   whether a solution was graded (--solution)
    exit_status, why, execution_time

table(), json_report() and gradescope() read nothing else, and every
string a solution produced leaves them escaped (checks.escape);
gradescope() scores through scores.py, which reads only the JSON report.
"""
import json
import os
import tempfile

from . import isolation
from .checks import escape, escaped
from .tasks import CHECK_TITLES, CHECKS, COURSE_FILES, NOT_GRADED, TASKS

COURSE_STACK = {'python': '3.9', 'numpy': '1.25.2', 'tensorflow': '2.15'}
INCOMPLETE = ('the grading did not finish: the grader was stopped or '
              'killed before it wrote its report')


def ranges(numbers):
    """'3, 5-10, 12 and 14' for [3, 5, 6, 7, 8, 9, 10, 12, 14]."""
    parts, numbers = [], sorted(numbers)
    for n in numbers:
        if parts and parts[-1][1] == n - 1:
            parts[-1][1] = n
        else:
            parts.append([n, n])
    words = [str(a) if a == b else '{}-{}'.format(a, b) for a, b in parts]
    return ', '.join(words[:-1]) + ' and ' + words[-1] if len(words) > 1 \
        else ''.join(words)


def stack_line(found):
    text = 'stack: Python {}, numpy {}, TensorFlow {}'.format(
        found['python'], found['numpy'], found['tensorflow'])
    if found['course_stack']:
        return text + ' (the course\'s)'
    return text + (' - not the course\'s (Python 3.9, numpy 1.25.2, '
                   'TensorFlow 2.15), which decides what the drivers print; '
                   'numpy 2 prints numpy scalars as np.float64(...), and '
                   'those compare as plain numbers here')


def isolation_line(level):
    """The isolation level a run used, and what it leaves open."""
    left_open = isolation.UNPROTECTED[level]
    return 'isolation: {}{}'.format(level,
                                    ' - ' + left_open if left_open else '')


def data_line(summary):
    """Why the drivers that need the course data did not run, or None."""
    if summary['data'] is None:
        return None
    return 'course data: {} (the drivers of tasks {} are not run){}'.format(
        summary['data'].replace('the course data was ', ''),
        ranges(n for n, task in TASKS.items() if task.driver.needs_data),
        '' if summary['data_found'] else
        ': set OPTIMIZATION_DATA to the folder holding {}'.format(
            ', '.join(COURSE_FILES)))


def table(summary):
    """The table's lines: the run, a line a task, a line for every failing
    check, the warnings and notes, and the count with the exit status."""
    lines = ['', '=' * 30 + ' verdicts for {} '.format(summary['solution'])
             + '=' * 10, stack_line(summary['stack']),
             isolation_line(summary['isolation'])]
    if data_line(summary):
        lines.append(data_line(summary))
    if summary['solution_mode']:
        lines.append('not graded (what this project adds beyond the spec): '
                     + ', '.join(NOT_GRADED))
    stray = summary['stray']
    if stray:
        lines.append('killed {} process{} the solution left running: '
                     '{}'.format(len(stray), 'es' * (len(stray) > 1),
                                 ', '.join('{} ({})'.format(
                                     command, stray.count(command))
                                     for command in sorted(set(stray)))))
    row = '{:>4}  {:<26} {:<9} {:<9} {:<12} {}'
    lines += ['', row.format('task', 'file', 'function', 'driver',
                             'house rules', 'verdict')]
    tasks = summary['tasks']
    for number, found in tasks.items():
        verdict = found['verdict']
        lines.append(row.format(
            number, found['file'], found['checks']['function'],
            found['checks']['driver'], found['checks']['house_rules'],
            verdict if verdict == 'pass' else verdict.upper()))
        if verdict == 'missing':
            lines.append('        {}: no such file in {}'.format(
                found['file'], summary['solution']))
            continue
        for check in CHECKS:
            for failure in found['failures']:
                if failure['check'] == check:
                    more = failure.get('also_failed', 0)
                    lines.append('        {}: {}: {}{}'.format(
                        CHECK_TITLES[check], failure['test'],
                        failure.get('one_line') or failure['message'],
                        ' (and {} more check{} like it)'.format(
                            more, 's' * (more > 1)) if more else ''))
        lines += ['        warning (does not count): ' + warning
                  for warning in found['warnings']]
        lines += ['        note: ' + note for note in found['notes']]
    lines += ['the whole run: ' + failure['message']
              for failure in summary['unattributed']]
    lines += ['grader error in task {}, {}: {}'.format(
        error['task'], error['test'], error['error'])
        for error in summary['errors']]
    passed = sum(found['verdict'] == 'pass' for found in tasks.values())
    status, why = summary['exit_status'], summary.get('why')
    lines.append('{} of {} tasks pass; exit status {}{}'.format(
        passed, len(tasks), status,
        ' (the grader could not finish: {})'.format(why) if why
        else ' (the grader could not finish: see the grader errors above)'
        if status == 2 else ''))
    return [escape(line) for line in lines]


def json_report(summary):
    """The report of --solution-report, every string escaped: with what
    the score writers read (scores.py) and the command line's program
    passes on: why the drivers that need the course data did not run
    ('data'), the time it took, why the grader could not finish ('why'),
    and whether it is complete or the partial one written as it went."""
    level = summary['isolation']
    return escaped({
        'solution': summary['solution'], 'stack': summary['stack'],
        'isolation': level,
        'isolation_leaves_open': isolation.UNPROTECTED[level],
        'tasks': summary['tasks'], 'not_graded': NOT_GRADED,
        'unattributed': summary['unattributed'],
        'data': summary['data'], 'why': summary.get('why'),
        'execution_time': summary['execution_time'],
        'exit_status': summary['exit_status'],
        'complete': summary.get('complete', True),
        'partial': summary.get('partial', False)})


def gradescope(summary, settings=None):
    """Gradescope's results.json: one test per task and check
    (scores.gradescope_results, a function of the JSON report and the
    course's settings; the default settings give each check 1 point)."""
    from . import scores
    return scores.gradescope_results(json_report(summary), settings)


def placeholders(solution):
    """(JSON report, results.json) that say the grading did not finish:
    written before any solution code runs, they are what a grader killed
    or stopped leaves."""
    from . import scores
    return ({'solution': solution, 'complete': False, 'exit_status': 2,
             'error': INCOMPLETE},
            scores.error_results(INCOMPLETE))


def write(path, tree):
    """Write a report as JSON at once, through a new file of a name no one
    could guess (a name known in advance could have been made a symbolic
    link to another file by the code under test), renamed into place."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix='.report-')
    with os.fdopen(fd, 'w') as f:
        f.write(json.dumps(tree, indent=2) + '\n')
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
