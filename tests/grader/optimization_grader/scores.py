#!/usr/bin/env python3
"""Scores a course can publish, as pure functions of a grading's JSON
report (report.json_report) and the course's settings.

The report's 'data' (None, or why the drivers that need the course data
did not run), 'execution_time' (seconds), 'why' (why the grader could
not finish) and 'partial' (written as the grading went, and cut short)
say what the run knew.  Each writer reads nothing else.

    settings = Settings(points={'function': 2, 'driver': 1,
                                'house_rules': 1}, warn_rules=('executable',))
    gradescope_results(report, settings)    # Gradescope's results.json
    classroom(report, settings)             # GitHub Classroom's reporter

scored() is the one place a check becomes points: a driver that did not
run for want of the course data is not scored (unless require_data); any
other check that did not run, and every check of a missing file, scores
0; a house rule moved to warnings no longer fails its check.
"""
import re

from .checks import escape
from .tasks import CHECK_TITLES, CHECKS, TASKS

# the house rules by the name of their test (tests/graded/test_house_rules)
HOUSE_RULES = ('shebang', 'newline at the end', 'executable', 'pycodestyle',
               'docstrings',
               'function and docstrings as the checker reads them',
               'imports')
VISIBILITIES = ('hidden', 'after_due_date', 'after_published', 'visible')
DEFAULT_POINTS = {'function': 1, 'driver': 1, 'house_rules': 1}
NO_DATA = 'the course data was not found'
GRADER_ERROR = 'autograder error'
MESSAGE_WIDTH = 2000    # a GitHub Classroom test's message, at most


class SettingsError(ValueError):
    """Settings a course gave that cannot be used: says which and why."""


class Settings:
    """How a course scores: points per check kind, the house rules that
    only warn, whether a check that did not run scores 0, and the
    visibility of the tests on Gradescope."""

    def __init__(self, points=None, warn_rules=(), require_data=False,
                 visibility='visible', stdout_visibility='hidden'):
        self.points = dict(DEFAULT_POINTS)
        for kind, value in (points or {}).items():
            if kind not in DEFAULT_POINTS:
                raise SettingsError(
                    'points: unknown check kind {!r}: expected one of {}'
                    .format(kind, ', '.join(DEFAULT_POINTS)))
            if isinstance(value, bool) or not isinstance(
                    value, (int, float)) or value < 0:
                raise SettingsError(
                    'points: {} = {!r}: expected a number >= 0'.format(
                        kind, value))
            self.points[kind] = value
        self.warn_rules = tuple(rule_name(r) for r in warn_rules)
        self.require_data = bool(require_data)
        for name, value in (('visibility', visibility),
                            ('stdout_visibility', stdout_visibility)):
            if value not in VISIBILITIES:
                raise SettingsError('{} = {!r}: expected one of {}'.format(
                    name, value, ', '.join(VISIBILITIES)))
        self.visibility = visibility
        self.stdout_visibility = stdout_visibility

    def as_dict(self):
        return {'points': dict(self.points),
                'warn_rules': list(self.warn_rules),
                'require_data': self.require_data,
                'visibility': self.visibility,
                'stdout_visibility': self.stdout_visibility}


def rule_name(text):
    """'executable' for 'executable', 'Executable' or 'newline_at_the_end'
    written with underscores; a SettingsError names the known rules."""
    name = ' '.join(str(text).replace('_', ' ').lower().split())
    if name not in HOUSE_RULES:
        raise SettingsError('unknown house rule {!r}: expected one of {}'
                            .format(text, ', '.join(HOUSE_RULES)))
    return name


def parse_points(text):
    """{'function': 2, 'driver': 1} for 'function=2,driver=1'."""
    found = {}
    for part in filter(None, (p.strip() for p in text.split(','))):
        kind, sep, value = part.partition('=')
        kind = kind.strip().replace('-', '_').replace(' ', '_')
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or number is None:
            raise SettingsError(
                '--points {!r}: expected KIND=NUMBER[,KIND=NUMBER...] '
                '(e.g. function=2,driver=1,house_rules=1), got {!r}'.format(
                    text, part))
        found[kind] = int(number) if number == int(number) else number
    return found


def parse_toml(text):
    """The subset of TOML a settings file needs, for Python 3.9 (3.11's
    tomllib reads the same files): [section] headers, and key = value
    where value is a number, true/false, a "string" or a list of
    strings; # comments."""
    found = {}
    current = found
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r'#[^"]*$', '', raw).strip()
        if not line:
            continue
        header = re.fullmatch(r'\[\s*([A-Za-z0-9_-]+)\s*\]', line)
        if header:
            current = found.setdefault(header.group(1), {})
            continue
        key, sep, value = line.partition('=')
        key = key.strip().strip('"')
        if not sep or not key:
            raise SettingsError('line {}: expected key = value, got {!r}'
                                .format(number, raw))
        current[key] = _toml_value(value.strip(), number)
    return found


def _toml_value(text, number):
    if text in ('true', 'false'):
        return text == 'true'
    if re.fullmatch(r'"[^"]*"', text):
        return text[1:-1]
    if text.startswith('[') and text.endswith(']'):
        items = [t.strip() for t in text[1:-1].split(',') if t.strip()]
        return [_toml_value(t, number) for t in items]
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise SettingsError('line {}: cannot read the value {!r} (a number, '
                            'true, false, "text" or a list)'.format(
                                number, text)) from None


def read_settings_file(text, tomllib=True):
    """The keyword arguments of Settings from a settings file's text:

        [points]
        function = 2
        driver = 1
        house_rules = 1
        [rules]
        warn = ["executable"]
        require_data = false
        [gradescope]
        visibility = "visible"
        stdout_visibility = "hidden"

    tomllib=False reads it with parse_toml, as Python 3.9 does."""
    try:
        if not tomllib:
            raise ImportError('the simple reader was asked for')
        import tomllib as toml
    except ImportError:     # Python < 3.11
        tree = parse_toml(text)
    else:
        try:
            tree = toml.loads(text)
        except toml.TOMLDecodeError as e:
            raise SettingsError('not TOML: {}'.format(e)) from None
    unknown = set(tree) - {'points', 'rules', 'gradescope'}
    if unknown:
        raise SettingsError('unknown section(s) {}: expected [points], '
                            '[rules], [gradescope]'.format(sorted(unknown)))
    rules = tree.get('rules', {})
    gradescope = tree.get('gradescope', {})
    return {'points': tree.get('points', {}),
            'warn_rules': rules.get('warn', []),
            'require_data': rules.get('require_data', False),
            'visibility': gradescope.get('visibility', 'visible'),
            'stdout_visibility': gradescope.get('stdout_visibility',
                                                'hidden')}


def no_data(report, number, check):
    """Whether a check did not run for want of the course data: a driver
    that needs it, in a run that did not have it (a report without the
    run's facts is taken not to have had it)."""
    return check == 'driver' and TASKS[int(number)].driver.needs_data and \
        ('data' not in report or report['data'] is not None)


def _rule_of(failure):
    return failure.get('test', '').split(' [')[0]


def scored(report, settings):
    """One entry a task and check: {'task', 'file', 'check', 'status'
    ('passed', 'failed' or 'not scored'), 'score', 'max_score' (None when
    not scored), 'lines' (what to show, escaped), 'grader_status'}."""
    data = report.get('data')
    # e.g. the grading reached its time limit: why checks did not run
    whole_run = '; '.join(u.get('message', '')
                          for u in report.get('unattributed', []))
    entries = []
    for number, found in report['tasks'].items():
        missing = found['verdict'] == 'missing'
        for check in CHECKS:
            status = found['checks'][check]
            failures = [f for f in found['failures'] if f['check'] == check]
            warned = []
            if check == 'house_rules' and settings.warn_rules:
                warned = [f for f in failures
                          if _rule_of(f) in settings.warn_rules]
                failures = [f for f in failures if f not in warned]
                if status == 'fail' and warned and not failures:
                    status = 'pass'
            lines = [f.get('one_line') or f['message'] for f in failures]
            if check == 'house_rules':
                lines += ['warning (does not count): ' + (
                    f.get('one_line') or f['message']) for f in warned]
                lines += ['warning (does not count): ' + w
                          for w in found['warnings']]
            points = settings.points[check]
            unscored = no_data(report, number, check) and \
                not settings.require_data
            if missing and not unscored:
                status, lines = 'failed', [found['file'] + ' is missing']
            elif missing or status == 'not run' and unscored:
                # a driver that could not have run here, file or not: the
                # points possible are the same for every submission
                status = 'not scored'
                lines = ['{}not run, not scored: {}'.format(
                    found['file'] + ' is missing; ' if missing else '',
                    data or NO_DATA)] + lines
            elif status == 'not run':
                # a check that could have run and did not (its task's
                # code hung or crashed first) is not a free pass
                status = 'failed'
                lines = ['not run, and --require-data makes that a '
                         'failure: ' + (data or NO_DATA)
                         if no_data(report, number, check) else
                         'this check did not run: ' + (whole_run or
                                                       'see the other '
                                                       'checks of this '
                                                       'task')] + lines
            else:
                status = 'passed' if status == 'pass' else 'failed'
            entries.append({
                'task': number, 'file': found['file'], 'check': check,
                'status': status,
                'score': None if status == 'not scored' else
                points if status == 'passed' else 0,
                'max_score': None if status == 'not scored' else points,
                'lines': [escape(line) for line in lines + found['notes']],
                'grader_status': found['checks'][check]})
    return entries


def totals(entries):
    """(score, max_score) of scored() entries, not-scored ones left out."""
    counted = [e for e in entries if e['status'] != 'not scored']
    return (sum(e['score'] for e in counted),
            sum(e['max_score'] for e in counted))


def full_marks(settings):
    """The points of a solution that passes every check."""
    return len(TASKS) * sum(settings.points.values())


def test_name(entry):
    return 'Task {} ({}): {}'.format(entry['task'], entry['file'],
                                     CHECK_TITLES[entry['check']])


def summary_line(report, entries, settings):
    """What the whole submission gets, in one line for the student."""
    score, most = totals(entries)
    passed = sum(t['verdict'] == 'pass' for t in report['tasks'].values())
    skipped = [e for e in entries if e['status'] == 'not scored']
    return '{} of {} tasks pass; {:g} of {:g} points{}{}'.format(
        passed, len(report['tasks']), score, most,
        '; {} checks not run and not scored ({})'.format(
            len(skipped), escape(report.get('data') or NO_DATA))
        if skipped else '', ''.join(
            '\nthe whole run: ' + escape(u.get('message', ''))
            for u in report.get('unattributed', [])))


def gradescope_results(report, settings=None):
    """Gradescope's results.json for a grading's report: one test a task
    and check, worth the course's points; on a grading that did not
    finish, one visible 'autograder error' test (error_results), unless
    the report is the partial one written as the grading went."""
    settings = settings or Settings()
    if not report.get('partial') and (not report.get('complete') or
                                      report.get('exit_status') == 2):
        return error_results(report.get('why') or report.get('error') or
                             'the grader could not finish', settings,
                             report)
    # a partial report (the grading was cut short): the checks it ran
    # score as usual, and those it had not run yet score 0
    entries = scored(report, settings)
    tests = []
    for entry in entries:
        test = {
            'name': test_name(entry), 'name_format': 'text',
            'number': '{}.{}'.format(entry['task'],
                                     CHECKS.index(entry['check']) + 1),
            'output': '\n'.join(entry['lines']) or 'passed',
            'output_format': 'text',
            'tags': ['task {}'.format(entry['task']), entry['check']],
            'visibility': settings.visibility,
            'extra_data': {'task': entry['task'], 'check': entry['check'],
                           'grader_status': entry['grader_status']}}
        if entry['status'] != 'not scored':
            test.update(score=entry['score'], max_score=entry['max_score'],
                        status=entry['status'])
        tests.append(test)
    score, _ = totals(entries)
    found = {'score': score, 'output': summary_line(report, entries,
                                                    settings),
             'output_format': 'text', 'test_output_format': 'text',
             'test_name_format': 'text',
             'visibility': settings.visibility,
             'stdout_visibility': settings.stdout_visibility,
             'extra_data': extra_data(report, settings), 'tests': tests}
    if report.get('execution_time') is not None:
        found['execution_time'] = int(report['execution_time'])
    return found


def extra_data(report, settings):
    """What staff may want stored with a submission: each task's verdict,
    the stack (not shown to students), the isolation and the settings."""
    return {'verdicts': {n: t['verdict'] for n, t in
                         report.get('tasks', {}).items()},
            'exit_status': report.get('exit_status'),
            'stack': report.get('stack'),
            'isolation': report.get('isolation'),
            'settings': settings.as_dict()}


def error_results(why, settings=None, report=None):
    """results.json for a grading that could not finish: one visible test
    that says what happened, score 0 of the full marks."""
    settings = settings or Settings()
    text = ('The autograder could not grade this submission: {}. Check '
            'that your files are named as the project asks (0-norm_'
            'constants.py ... 14-batch_norm.py) and submit again; if it '
            'happens again, tell the course staff.'.format(escape(why)))
    return {'score': 0, 'output': text, 'output_format': 'text',
            'visibility': 'visible',
            'stdout_visibility': settings.stdout_visibility,
            'extra_data': extra_data(report or {}, settings),
            'tests': [{'name': GRADER_ERROR, 'score': 0,
                       'max_score': full_marks(settings),
                       'status': 'failed', 'output': text,
                       'output_format': 'text', 'visibility': 'visible',
                       'tags': [GRADER_ERROR]}]}


def cut(text, width=MESSAGE_WIDTH):
    """text, cut to width characters with '...' (an environment
    variable carries the whole result to the reporter)."""
    return text if len(text) <= width else text[:width - 3] + '...'


def classroom(report, settings=None):
    """GitHub Classroom's reporter format
    (classroom-resources/autograding-grading-reporter): {'version': 1,
    'status', 'max_score', 'tests': [{'name', 'status', 'score',
    'message', ...}]}; statuses 'pass', 'fail' or 'error'.  A check that
    did not run is left out: the reporter counts every test it is given
    in its table."""
    settings = settings or Settings()
    if not report.get('complete') or report.get('exit_status') == 2:
        why = escape(report.get('why') or report.get('error') or
                     'the grader could not finish')
        return {'version': 1, 'status': 'error',
                'max_score': full_marks(settings),
                'tests': [{'name': GRADER_ERROR, 'status': 'error',
                           'score': 0, 'message': why,
                           'test_code': 'optimization-grader grade',
                           'filename': '', 'line_no': 0,
                           'execution_time': ''}]}
    entries = [e for e in scored(report, settings)
               if e['status'] != 'not scored']
    tests = [{'name': test_name(e),
              'status': 'pass' if e['status'] == 'passed' else 'fail',
              'score': e['score'],
              'message': cut('\n'.join(e['lines']) or 'passed'),
              'test_code': 'task {} {}'.format(e['task'], e['check']),
              'filename': e['file'], 'line_no': 0, 'execution_time': ''}
             for e in entries]
    return {'version': 1,
            'status': 'pass' if all(t['status'] == 'pass' for t in tests)
            else 'fail',
            'max_score': totals(entries)[1], 'tests': tests}
