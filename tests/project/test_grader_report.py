#!/usr/bin/env python3
"""The grader's report writers (report.py), as the pure functions of a
summary they are: no grading runs here."""
import json

import pytest

from optimization_grader import report
from optimization_grader.tasks import TASKS

STACK = {'python': '3.9.18', 'numpy': '1.25.2', 'tensorflow': '2.15.1',
         'course_stack': True}


def summary(**changes):
    """A run in which every task passes but task 7, whose message carries
    terminal escapes."""
    tasks = {str(n): {'file': task.stem + '.py', 'verdict': 'pass',
                      'checks': {'function': 'pass', 'driver': 'pass',
                                 'house_rules': 'pass'},
                      'failures': [], 'warnings': [], 'notes': []}
             for n, task in TASKS.items()}
    tasks['7']['checks']['function'] = 'fail'
    tasks['7'].update(verdict='fail', failures=[{
        'check': 'function', 'test': 'rmsprop', 'also_failed': 2,
        'message': 'raised ValueError: \x1b[2Kpass\r',
        'one_line': 'raised ValueError: \x1b[2Kpass\r'}])
    found = {'solution': '/s', 'stack': STACK, 'isolation': 'bubblewrap',
             'tasks': tasks, 'unattributed': [], 'errors': [], 'stray': [],
             'data': None, 'data_found': True, 'solution_mode': True,
             'exit_status': 1, 'why': None, 'execution_time': 12.7}
    found.update(changes)
    return found


@pytest.mark.parametrize('numbers, text', [
    ([3], '3'), ([3, 5], '3 and 5'), ([5, 6, 7], '5-7'),
    ([3, 5, 6, 7, 8, 9, 10, 12, 14], '3, 5-10, 12 and 14')])
def test_ranges(numbers, text):
    assert report.ranges(numbers) == text


def test_the_table():
    lines = report.table(summary())
    assert lines[2] == 'stack: Python 3.9.18, numpy 1.25.2, TensorFlow ' \
                       "2.15.1 (the course's)"
    assert lines[3] == 'isolation: bubblewrap'
    assert '   7  7-RMSProp.py               fail      pass      pass' \
           '         FAIL' in lines
    assert '        function: rmsprop: raised ValueError: \\x1b[2Kpass' \
           '\\x0d (and 2 more checks like it)' in lines
    assert lines[-1] == '14 of 15 tasks pass; exit status 1'
    assert not any('\x1b' in line or '\r' in line for line in lines)


def test_the_table_says_why_the_drivers_did_not_run():
    # the tasks come from the task table, not a string typed twice
    lines = report.table(summary(data='the course data was not found',
                                 data_found=False))
    assert ('course data: not found (the drivers of tasks 3, 5-10, 12 and '
            '14 are not run): set OPTIMIZATION_DATA to the folder holding '
            'MNIST.npz, Binary_Train.npz, model.h5') in lines
    lines = report.table(summary(
        data="MNIST.npz in /d is not the course's file (its SHA-256 "
             'differs)', isolation='same user'))
    assert any(line.startswith("course data: MNIST.npz in /d is not the "
                               "course's file") for line in lines)
    assert any(line.startswith('isolation: same user - solutions run as '
                               'this user') for line in lines)


def test_the_json_report_is_escaped_and_complete():
    found = report.json_report(summary())
    assert found['complete'] is True and found['exit_status'] == 1
    assert found['isolation'] == 'bubblewrap'
    assert found['isolation_leaves_open'] is None
    message = found['tasks']['7']['failures'][0]['message']
    assert message == 'raised ValueError: \\x1b[2Kpass\\x0d'
    json.dumps(found)


def test_gradescope_results():
    found = report.gradescope(summary())
    assert len(found['tests']) == 45 and found['score'] == 44
    assert found['execution_time'] == 12
    failed = [t for t in found['tests'] if t['status'] == 'failed']
    assert [t['name'] for t in failed] == [
        'Task 7 (7-RMSProp.py): function']
    assert failed[0]['output'] == 'raised ValueError: \\x1b[2Kpass\\x0d'
    assert failed[0]['number'] == '7.1'


def test_placeholders_say_the_grading_did_not_finish():
    found, results = report.placeholders('/s')
    assert found['complete'] is False and found['exit_status'] == 2
    # Gradescope shows one visible failed test saying what happened
    assert results['score'] == 0 and len(results['tests']) == 1
    assert results['tests'][0]['status'] == 'failed'
    assert results['tests'][0]['visibility'] == 'visible'
    assert 'did not finish' in results['output']


def test_a_report_is_not_written_through_a_planted_link(tmp_path):
    victim = tmp_path / 'victim'
    victim.write_text('untouched')
    path = tmp_path / 'report.json'
    path.symlink_to(victim)
    report.write(str(path), {'a': 1})
    assert victim.read_text() == 'untouched'
    assert json.loads(path.read_text()) == {'a': 1}
