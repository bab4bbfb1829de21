#!/usr/bin/env python3
"""optimization-grader grade (cli.py): its units without a grading, and
one grading of a broken copy through the command, from a copy of this
repository, against the same grading through pytest --solution."""
import json
import os
import subprocess
import sys

import pytest

from optimization_grader import cli, scores
from optimization_grader.paths import ROOT
from optimization_grader.tasks import TASKS

from test_grader import make_solution, repository

SUBFOLDER_OF_REPO = os.path.join('supervised_learning', 'optimization')


def touch(folder, *names):
    os.makedirs(folder, exist_ok=True)
    for name in names:
        with open(os.path.join(folder, name), 'w') as f:
            f.write('#!/usr/bin/env python3\n')


@pytest.mark.parametrize('layout, found, says', [
    # a solution folder
    ({'': ['0-norm_constants.py', '9-Adam.py']}, '', 'grading'),
    # a student's repository
    ({'supervised_learning/optimization': ['0-norm_constants.py'],
      '': ['README.md']}, 'supervised_learning/optimization',
     'holds supervised_learning/optimization'),
    # a Gradescope upload of the repository under a folder of its own
    ({'atlas-machine_learning/supervised_learning/optimization':
      ['1-normalize.py', '2-shuffle_data.py'],
      'atlas-machine_learning/math': ['0-norm_constants.py']},
     'atlas-machine_learning/supervised_learning/optimization',
     'with the most numbered files (2 of 15)'),
    # nothing: the path itself, said
    ({'': ['README.md'], '.git': ['0-norm_constants.py']}, '',
     'no numbered files'),
])
def test_find_solution(tmp_path, layout, found, says):
    for folder, names in layout.items():
        touch(os.path.join(str(tmp_path), folder), *names)
    folder, said = cli.find_solution(str(tmp_path))
    assert folder == os.path.join(str(tmp_path), found).rstrip(os.sep)
    assert says in said


@pytest.mark.parametrize('link', [SUBFOLDER_OF_REPO, 'work/optimization'])
def test_a_folder_linked_out_of_the_submission_is_not_graded(tmp_path,
                                                             link):
    # a link to the grader's own repository (its reference solutions), at
    # the usual place or deeper: never followed
    touch(str(tmp_path), 'README.md')
    path = tmp_path / link
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(ROOT, str(path))
    folder, said = cli.find_solution(str(tmp_path))
    assert folder == str(tmp_path), said
    assert os.path.realpath(folder) != ROOT


@pytest.mark.parametrize('found, status, complete, exit_status', [
    ({'complete': True, 'exit_status': 1, 'tasks': {}}, 1, True, 1),
    # the placeholder a killed grader leaves
    ({'complete': False, 'exit_status': 2, 'error': 'did not finish'}, 2,
     False, 2),
    # no report at all (the grader crashed before writing one)
    (None, -9, False, 2),
])
def test_complete_report(found, status, complete, exit_status):
    result = cli.complete_report(found, status, 3.5, '/s')
    assert result['complete'] is complete
    assert result['exit_status'] == exit_status
    assert result['execution_time'] == 3.5
    if not complete:
        assert result['why']
        assert 'tasks' not in result


def test_a_grading_stopped_keeps_its_partial_report():
    # what the grader wrote as it went is kept, with why it stopped
    partial = {'complete': False, 'partial': True, 'exit_status': 2,
               'tasks': {'0': {'verdict': 'pass'}}, 'why': 'cut short'}
    result = cli.complete_report(partial, 2, 9.0, '/s', 'it ran for more '
                                 'than 5 s and was stopped')
    assert result['tasks'] == partial['tasks'] and result['partial']
    assert result['why'] == 'it ran for more than 5 s and was stopped'
    assert result['exit_status'] == 2 and result['execution_time'] == 9.0


def test_progress_is_written_as_the_grader_writes_it(tmp_path,
                                                     monkeypatch):
    """Each partial report the grader writes reaches progress() while the
    grading runs (a platform that kills the command keeps the last)."""
    script = (
        'import json, sys, time\n'
        'path = sys.argv[1]\n'
        'for n in range(3):\n'
        '    with open(path, "w") as f:\n'
        '        json.dump({"partial": True, "done": n}, f)\n'
        '    print("task", n, flush=True)\n'
        '    time.sleep(0.05)\n'
        'with open(path, "w") as f:\n'
        '    json.dump({"complete": True, "exit_status": 0,'
        ' "tasks": {}}, f)\n')
    monkeypatch.setattr(cli, 'pytest_argv', lambda folder, path, *a, **k:
                        [sys.executable, '-c', script, path])
    seen = []
    with open(str(tmp_path / 'out.txt'), 'w') as f:
        status, found = cli.grade(str(tmp_path), None, out=f, timeout=60,
                                  progress=lambda r: seen.append(r['done']))
    assert status == 0 and found['complete'] is True
    assert seen and seen == sorted(set(seen)) and seen[-1] == 2, seen


@pytest.mark.parametrize('timeout, limit', [
    (2400, 2280), (600, 570), (100, 70), (20, 1)])
def test_time_limit(timeout, limit):
    assert cli.time_limit(timeout) == limit


def test_pytest_argv_and_environment(tmp_path):
    argv = cli.pytest_argv('/s', '/r.json', 'same user', 'bubblewrap',
                           timeout=2400)
    # the grader ends on time itself (--time-limit), before the timeout
    assert argv[1:] == ['-m', 'pytest', '--solution', '/s',
                        '--solution-report', '/r.json', '-p',
                        'no:cacheprovider', '--time-limit', '2280',
                        '--isolation', 'same user',
                        '--require-isolation', 'bubblewrap']
    base = {'OPTIMIZATION_DATA': '/old', 'PYTEST_ADDOPTS': '-x', 'A': '1'}
    assert cli.grading_env(None, base) == {
        'OPTIMIZATION_DATA': '/old', 'A': '1', 'PYTHONDONTWRITEBYTECODE': '1'}
    assert cli.grading_env('', base) == {'A': '1',
                                         'PYTHONDONTWRITEBYTECODE': '1'}
    assert cli.grading_env(str(tmp_path), base)['OPTIMIZATION_DATA'] == \
        str(tmp_path)


@pytest.mark.parametrize('argv, points, warn, require', [
    ([], scores.DEFAULT_POINTS, (), False),
    (['--points', 'function=2,driver=1,house_rules=1', '--warn-rule',
      'executable', '--require-data'],
     {'function': 2, 'driver': 1, 'house_rules': 1}, ('executable',), True),
])
def test_settings_of_the_command_line(argv, points, warn, require):
    args = cli.parser().parse_args(['grade', '/s'] + argv)
    found = cli.settings_of(args)
    assert found.points == points and found.warn_rules == warn
    assert found.require_data is require


def test_bad_points_are_exit_status_2(capsys):
    assert cli.main(['grade', '/nonexistent', '--points', 'function']) == 2
    assert 'KIND=NUMBER' in capsys.readouterr().err


def test_grade_a_repository_through_the_command(tmp_path):
    """A student's repository with task 9's bias correction dropped and
    task 4's executable bit lost: the command finds the folder, prints
    the table, exits 1, and its results.json scores what the course
    asked for."""
    root = repository(tmp_path)
    folder = make_solution(str(tmp_path / 'student' / 'supervised_learning'
                               / 'optimization'), {9: lambda s: s.replace(
                                   'v / (1 - beta1 ** t)', 'v')})
    os.chmod(os.path.join(folder, '4-moving_average.py'), 0o644)
    out = {name: str(tmp_path / name) for name in
           ('report.json', 'results.json', 'classroom.json')}
    env = {k: v for k, v in os.environ.items()
           if k not in ('CI', 'OPTIMIZATION_DATA', 'PYTEST_ADDOPTS')}
    env['PYTHONPATH'] = os.path.join(root, 'tests', 'grader')
    proc = subprocess.run(
        [sys.executable, '-m', 'optimization_grader', 'grade',
         str(tmp_path / 'student'), '--report', out['report.json'],
         '--gradescope', out['results.json'], '--classroom',
         out['classroom.json'], '--points', 'function=2',
         '--warn-rule', 'executable'], cwd=str(tmp_path), env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=900)
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert 'holds supervised_learning/optimization' in proc.stdout
    assert '13 of 15 tasks pass; exit status 1' in proc.stdout
    found = {name: json.load(open(path)) for name, path in out.items()}
    verdicts = {n: t['verdict']
                for n, t in found['report.json']['tasks'].items()}
    assert [n for n, v in verdicts.items() if v != 'pass'] == ['4', '9']
    results = found['results.json']
    needs_data = sum(t.driver.needs_data for t in TASKS.values())
    # function 2, driver 1, house rules 1; task 9's function lost; the
    # drivers that need the data not scored; task 4's exit bit warns
    assert results['score'] == 15 * 4 - needs_data - 2
    task4 = next(t for t in results['tests'] if t['number'] == '4.3')
    assert task4['status'] == 'passed'
    assert 'warning (does not count)' in task4['output']
    assert found['classroom.json']['status'] == 'fail'


def test_the_classroom_workflow_template():
    """docs/classroom.yml installs the grader from the course's repository
    and hands its result to the reporter under the name the reporter
    reads: process.env[`${runner.toUpperCase()}_RESULTS`] (its main.js)."""
    with open(os.path.join(ROOT, 'docs', 'classroom.yml')) as f:
        text = f.read()
    assert 'repository: ${{ env.COURSE_REPOSITORY }}' in text
    assert 'pip install --no-deps ./grader/tests/grader' in text
    assert 'pip install -r grader/.ci/course-stack.txt' in text
    assert 'optimization-grader grade submission' in text
    assert 'uses: classroom-resources/autograding-grading-reporter@v1' \
        in text
    runners = text.split('runners: ', 1)[1].split()[0]
    assert '{}_RESULTS: ${{{{ steps.grade.outputs.result }}}}'.format(
        runners.upper()) in text
    assert 'base64 -w0' in text
    assert '\t' not in text


def test_a_silent_grading_is_stopped_at_its_timeout(tmp_path, monkeypatch):
    """A grader that prints nothing and never ends (here a stand-in for
    pytest) is stopped at the timeout: exit status 2, a report that says
    why, and no process left."""
    monkeypatch.setattr(cli, 'pytest_argv', lambda *a, **k: [
        sys.executable, '-c', 'import time; time.sleep(600)'])
    out = tmp_path / 'out.txt'
    with open(str(out), 'w') as f:
        status, found = cli.grade(str(tmp_path), None, out=f, timeout=2)
    assert status == 2 and found['complete'] is False
    assert found['why'] == 'it ran for more than 2 s and was stopped'
    assert found['execution_time'] < 30
