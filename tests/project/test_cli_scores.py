#!/usr/bin/env python3
"""Scores a course can publish (scores.py), as pure functions of a JSON
report: Gradescope's results.json and GitHub Classroom's reporter JSON,
held to those platforms' specifications, not to this grader's output.

Gradescope: gradescope/autograder_samples docs/specs.md and
gradescope-autograders.readthedocs.io/en/latest/specs ("Output format":
score, execution_time, output, output_format, test_output_format,
test_name_format, visibility, stdout_visibility, extra_data, tests with
score, max_score, status, name, name_format, number, output,
output_format, tags, visibility, extra_data).  GitHub Classroom:
classroom-resources/autograding-grading-reporter, src/main.js (a runner's
results.status 'fail' or 'error' fails the job), console-results.js (a
test passes when its status is 'pass'), notify-classroom.js (points are
the sum of the tests' score out of results.max_score).
"""
import json

import pytest

from optimization_grader import report, scores
from optimization_grader.tasks import TASKS

VISIBILITIES = {'hidden', 'after_due_date', 'after_published', 'visible'}
FORMATS = {'text', 'html', 'simple_format', 'md', 'ansi'}
TOP_KEYS = {'score', 'execution_time', 'output', 'output_format',
            'test_output_format', 'test_name_format', 'visibility',
            'stdout_visibility', 'extra_data', 'tests', 'leaderboard'}
TEST_KEYS = {'score', 'max_score', 'status', 'name', 'name_format',
             'number', 'output', 'output_format', 'tags', 'visibility',
             'extra_data'}


def valid_gradescope(found):
    """Raise AssertionError where found breaks Gradescope's spec."""
    assert set(found) <= TOP_KEYS, set(found) - TOP_KEYS
    assert 'score' in found or all('score' in t for t in found['tests'])
    if 'score' in found:
        assert isinstance(found['score'], (int, float))
    if 'execution_time' in found:
        assert isinstance(found['execution_time'], int)
    for key in ('visibility', 'stdout_visibility'):
        assert found.get(key, 'visible') in VISIBILITIES
    for key in ('output_format', 'test_output_format', 'test_name_format'):
        assert found.get(key, 'text') in FORMATS
    assert isinstance(found.get('extra_data', {}), dict)
    for test in found['tests']:
        assert set(test) <= TEST_KEYS, set(test) - TEST_KEYS
        assert test.get('status', 'passed') in ('passed', 'failed')
        assert test.get('visibility', 'visible') in VISIBILITIES
        assert test.get('output_format', 'text') in FORMATS
        assert test.get('name_format', 'text') in FORMATS
        assert all(isinstance(t, str) for t in test.get('tags', []))
        assert ('score' in test) == ('max_score' in test)
        if 'score' in test:
            assert 0 <= test['score'] <= test['max_score']
            assert (test['status'] == 'passed') == \
                (test['score'] == test['max_score'])
    json.dumps(found)


def valid_classroom(found):
    """Raise AssertionError where found breaks the reporter's format."""
    assert found['version'] == 1
    assert found['status'] in ('pass', 'fail', 'error')
    assert isinstance(found['max_score'], (int, float))
    for test in found['tests']:
        assert {'name', 'status', 'score', 'message'} <= set(test)
        assert test['status'] in ('pass', 'fail', 'error')
        assert isinstance(test['score'], (int, float))
    assert sum(t['score'] for t in found['tests']) <= found['max_score']
    json.dumps(found)


def grading(data=None, **tasks):
    """A JSON report (with the run's facts) in which every task passes
    but as `tasks` says: {'t7': {'function': 'fail'}}; a driver that
    needs the data is 'not run' when data is given (why)."""
    found = {}
    for n, task in TASKS.items():
        checks = {'house_rules': 'pass', 'function': 'pass',
                  'driver': 'not run' if data and task.driver.needs_data
                  else 'pass'}
        entry = {'file': task.stem + '.py', 'verdict': 'pass',
                 'checks': checks, 'failures': [], 'warnings': [],
                 'notes': []}
        for check, status in tasks.get('t{}'.format(n), {}).items():
            if check == 'verdict':
                entry['verdict'] = status
                continue
            checks[check] = status
            if status == 'fail':
                entry['verdict'] = 'fail'
                entry['failures'].append({
                    'check': check, 'test': 'executable [{}]'.format(
                        task.stem) if check == 'house_rules' else 'a test',
                    'message': 'wrong \x1b[2K', 'one_line': 'wrong \x1b[2K'})
        found[str(n)] = entry
    return {'solution': '/s', 'stack': {'python': '3.11.7', 'numpy': '2.4',
                                        'tensorflow': '2.21',
                                        'course_stack': False},
            'isolation': 'bubblewrap', 'isolation_leaves_open': None,
            'tasks': found, 'not_graded': [], 'unattributed': [],
            'exit_status': 1 if tasks else 0, 'complete': True,
            'data': data, 'execution_time': 20.6, 'why': None}


NO_DATA = 'the course data was not found'
NEEDS_DATA = sum(task.driver.needs_data for task in TASKS.values())


@pytest.mark.parametrize('report_, settings, score, most, failed', [
    # every check of 15 tasks, 1 point each
    (grading(), scores.Settings(), 45, 45, []),
    # the drivers that did not run are not scored, not failed
    (grading(NO_DATA), scores.Settings(), 45 - NEEDS_DATA, 45 - NEEDS_DATA,
     []),
    # ... unless the course requires the data
    (grading(NO_DATA), scores.Settings(require_data=True), 45 - NEEDS_DATA,
     45, ['Task {} ({}.py): driver'.format(n, t.stem)
          for n, t in TASKS.items() if t.driver.needs_data]),
    # weights per check kind
    (grading(t9={'function': 'fail'}),
     scores.Settings(points={'function': 2, 'driver': 1, 'house_rules': 1}),
     58, 60, ['Task 9 (9-Adam.py): function']),
    # a lost executable bit: a failure, or only a warning
    (grading(t4={'house_rules': 'fail'}), scores.Settings(), 44, 45,
     ['Task 4 (4-moving_average.py): house rules']),
    (grading(t4={'house_rules': 'fail'}),
     scores.Settings(warn_rules=['executable']), 45, 45, []),
    # a check that could have run and did not (its code hung) fails
    (grading(t4={'driver': 'not run'}), scores.Settings(), 44, 45,
     ['Task 4 (4-moving_average.py): driver']),
    # a missing file scores 0 on each of its checks
    (grading(t2={'verdict': 'missing', 'function': 'not run',
                 'driver': 'not run', 'house_rules': 'not run'}),
     scores.Settings(), 42, 45, ['Task 2 (2-shuffle_data.py): function',
                                 'Task 2 (2-shuffle_data.py): driver',
                                 'Task 2 (2-shuffle_data.py): house rules']),
    # ... but without the data, a driver that needs it is not scored,
    # file or not: the points possible are every submission's
    (grading(NO_DATA, t10={'verdict': 'missing', 'function': 'not run',
                           'driver': 'not run', 'house_rules': 'not run'}),
     scores.Settings(), 43 - NEEDS_DATA, 45 - NEEDS_DATA,
     ['Task 10 (10-Adam.py): function',
      'Task 10 (10-Adam.py): house rules']),
])
def test_gradescope_scores(report_, settings, score, most, failed):
    found = scores.gradescope_results(report_, settings)
    valid_gradescope(found)
    assert found['score'] == score
    assert sum(t.get('max_score', 0) for t in found['tests']) == most
    assert [t['name'] for t in found['tests']
            if t.get('status') == 'failed'] == failed
    assert len(found['tests']) == 45
    assert found['execution_time'] == 20


def test_checks_cut_off_by_the_time_limit_fail_and_say_why():
    found = grading(t5={'function': 'not run', 'driver': 'not run',
                        'verdict': 'not run'})
    found['unattributed'] = [{'message': 'the grading reached its time '
                              'limit of 10 s: the checks after it were not '
                              'run'}]
    results = scores.gradescope_results(found)
    valid_gradescope(results)
    test = next(t for t in results['tests'] if t['number'] == '5.1')
    assert test['status'] == 'failed' and test['score'] == 0
    assert test['output'] == ('this check did not run: the grading reached '
                              'its time limit of 10 s: the checks after it '
                              'were not run')
    assert results['output'].endswith('\nthe whole run: the grading '
                                      'reached its time limit of 10 s: the '
                                      'checks after it were not run')


def test_a_check_that_did_not_run_says_why_and_has_no_score():
    found = scores.gradescope_results(grading(NO_DATA))
    test = next(t for t in found['tests']
                if t['name'] == 'Task 5 (5-momentum.py): driver')
    assert 'score' not in test and 'max_score' not in test
    assert 'status' not in test
    assert test['output'].startswith('not run, not scored: ' + NO_DATA)
    assert 'not scored' in found['output']


def test_results_json_tags_extra_data_and_the_stack_for_staff_only():
    found = scores.gradescope_results(grading(t7={'function': 'fail'}),
                                      scores.Settings(visibility='hidden'))
    test = next(t for t in found['tests'] if t['number'] == '7.1')
    assert test['tags'] == ['task 7', 'function']
    assert test['visibility'] == 'hidden' and found['visibility'] == 'hidden'
    assert test['extra_data'] == {'task': '7', 'check': 'function',
                                  'grader_status': 'fail'}
    assert test['output'] == 'wrong \\x1b[2K'        # escaped
    assert found['extra_data']['verdicts']['7'] == 'fail'
    # the stack is not the students' business: not in any output
    assert 'stack' not in found['output'] and 'course' not in \
        found['output']
    assert found['stdout_visibility'] == 'hidden'
    assert found['extra_data']['stack']['numpy'] == '2.4'


@pytest.mark.parametrize('report_', [
    dict(grading(), exit_status=2, why='no numbered files'),
    {'solution': '/s', 'complete': False, 'exit_status': 2,
     'error': report.INCOMPLETE},
])
def test_a_grading_that_could_not_finish_is_one_visible_error(report_):
    found = scores.gradescope_results(report_)
    valid_gradescope(found)
    assert found['score'] == 0
    [test] = found['tests']
    assert test['name'] == 'autograder error' and test['status'] == 'failed'
    assert test['visibility'] == 'visible' and test['max_score'] == 45
    assert (report_.get('why') or report_['error']) in test['output']
    found = scores.classroom(report_)
    valid_classroom(found)
    assert found['status'] == 'error'


@pytest.mark.parametrize('report_, status, score, most, count', [
    (grading(), 'pass', 45, 45, 45),
    (grading(NO_DATA), 'pass', 45 - NEEDS_DATA, 45 - NEEDS_DATA,
     45 - NEEDS_DATA),
    (grading(t1={'function': 'fail'}), 'fail', 44, 45, 45),
])
def test_classroom(report_, status, score, most, count):
    found = scores.classroom(report_)
    valid_classroom(found)
    assert found['status'] == status and found['max_score'] == most
    assert sum(t['score'] for t in found['tests']) == score
    assert len(found['tests']) == count


def test_a_classroom_message_is_cut_to_size():
    found = grading(t1={'function': 'fail'})
    found['tasks']['1']['failures'][0]['one_line'] = 'x' * 10000
    [test] = [t for t in scores.classroom(found)['tests']
              if t['status'] == 'fail']
    assert len(test['message']) == scores.MESSAGE_WIDTH
    assert test['message'].endswith('...')


def test_the_plugin_wrapper_keeps_its_signature():
    # report.gradescope(summary), as plugin.py calls it
    summary = dict(grading(t7={'function': 'fail'}), errors=[], stray=[],
                   data_found=True, solution_mode=True)
    summary['stack'] = dict(summary['stack'])
    found = report.gradescope(summary)
    valid_gradescope(found)
    assert found['score'] == 44


@pytest.mark.parametrize('text, points', [
    ('function=2,driver=1,house_rules=1',
     {'function': 2, 'driver': 1, 'house_rules': 1}),
    ('function=0.5', {'function': 0.5}),
    (' driver = 3 , ', {'driver': 3}),
    ('house-rules=2', {'house_rules': 2}),
])
def test_parse_points(text, points):
    assert scores.parse_points(text) == points


@pytest.mark.parametrize('make, says', [
    (lambda: scores.parse_points('function'), 'KIND=NUMBER'),
    (lambda: scores.parse_points('function=two'), 'KIND=NUMBER'),
    (lambda: scores.Settings(points={'style': 1}), "unknown check kind"),
    (lambda: scores.Settings(points={'driver': -1}), 'a number >= 0'),
    (lambda: scores.Settings(warn_rules=['exec']), 'unknown house rule'),
    (lambda: scores.Settings(visibility='public'), 'visibility'),
])
def test_bad_settings_say_what_was_expected(make, says):
    with pytest.raises(scores.SettingsError, match=says):
        make()


SETTINGS = '''
# the course's scoring
[points]
function = 2
driver = 1          # the drivers
house_rules = 0.5

[rules]
warn = ["executable", "newline_at_the_end"]
require_data = true

[gradescope]
visibility = "after_due_date"
'''


@pytest.mark.parametrize('reader', [scores.read_settings_file,
                                    lambda text: scores.read_settings_file(
                                        text, tomllib=False)])
def test_a_settings_file(reader):
    found = scores.Settings(**reader(SETTINGS))
    assert found.points == {'function': 2, 'driver': 1, 'house_rules': 0.5}
    assert found.warn_rules == ('executable', 'newline at the end')
    assert found.require_data is True
    assert found.visibility == 'after_due_date'
