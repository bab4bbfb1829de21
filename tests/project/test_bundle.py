#!/usr/bin/env python3
"""optimization-grader gradescope-zip (bundle.py): the zip's contents,
and its run_autograder run as Gradescope would, in an /autograder-like
folder, on this repository's own files, a broken copy, and with no
grader at all (results.json must still be there)."""
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from optimization_grader import bundle, scores
from optimization_grader.paths import ROOT
from optimization_grader.tasks import COURSE_FILES, TASKS

from test_cli_scores import valid_gradescope
from test_grader import make_solution

NEEDS_DATA = sum(task.driver.needs_data for task in TASKS.values())


@pytest.fixture(scope='module')
def autograder(tmp_path_factory):
    """A zip built without the course data, and its path."""
    path = str(tmp_path_factory.mktemp('zip') / 'autograder.zip')
    bundle.build(path, None, scores.Settings(points={'function': 2},
                                             warn_rules=['executable']))
    return path


def test_the_zip_holds_the_scripts_the_course_and_the_settings(autograder):
    with zipfile.ZipFile(autograder) as zip_file:
        names = zip_file.namelist()
        modes = {i.filename: i.external_attr >> 16
                 for i in zip_file.infolist()}
        settings = zip_file.read('settings.toml').decode()
        runner = zip_file.read('run_autograder').decode()
    # Gradescope's spec: setup.sh and run_autograder at the zip's root
    assert names[:2] == ['setup.sh', 'run_autograder']
    assert all(modes[n] & 0o111 for n in names[:2])
    for task in TASKS.values():
        assert 'course/{}.py'.format(task.stem) in names
    for name in ('course/pytest.ini', 'course/course-stack.txt',
                 'course/tests/grader/optimization_grader/plugin.py',
                 'course/tests/graded/test_house_rules.py',
                 'course/tests/expected/5-main.txt', 'course/mains/5-main.py'):
        assert name in names
    assert not [n for n in names if '__pycache__' in n or '.git/' in n
                or n.startswith('data/') or '.egg-info' in n]
    found = scores.Settings(**scores.read_settings_file(settings,
                                                        tomllib=False))
    assert found.points == {'function': 2, 'driver': 1, 'house_rules': 1}
    assert found.warn_rules == ('executable',)
    # the fallback results.json's full marks are the course's
    assert '"max_score": 60' in runner and '@FULL_MARKS@' not in runner


def test_course_data_is_checked_before_it_is_packed(tmp_path):
    for name in COURSE_FILES:
        (tmp_path / name).write_bytes(b'junk')
    with pytest.raises(ValueError, match="MNIST.npz is not the course's"
                                         " file: SHA-256"):
        bundle.check_data(str(tmp_path))
    os.remove(str(tmp_path / 'MNIST.npz'))
    with pytest.raises(ValueError, match='no MNIST.npz there'):
        bundle.check_data(str(tmp_path))


def test_setup_installs_the_course_stack_and_bubblewrap():
    with open(os.path.join(bundle.TEMPLATES, 'setup.sh')) as f:
        text = f.read()
    assert subprocess.run(['bash', '-n', os.path.join(
        bundle.TEMPLATES, 'setup.sh')]).returncode == 0
    assert 'apt-get install -y --no-install-recommends bubblewrap' in text
    assert '-r "$SOURCE/course/course-stack.txt"' in text
    with open(os.path.join(ROOT, '.ci', 'course-stack.txt')) as f:
        stack = f.read()
    for pin in ('numpy==1.25.2', 'tensorflow==2.15.1', 'keras==2.15.0',
                'pycodestyle==2.11.1'):
        assert pin in stack


def run_autograder(autograder, tmp_path, submission, python=sys.executable):
    """Unpack the zip into an /autograder-like folder, put `submission`
    in it and run run_autograder; return (results.json, stdout)."""
    root = tmp_path / 'autograder'
    bundle.unpack(autograder, str(root / 'source'))
    if submission:
        shutil.copytree(submission, str(root / 'submission'), symlinks=True)
    else:
        (root / 'submission').mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ('CI', 'OPTIMIZATION_DATA', 'PYTEST_ADDOPTS',
                        'PYTHONPATH')}
    env.update(AUTOGRADER_ROOT=str(root), GRADER_PYTHON=python)
    proc = subprocess.run([str(root / 'source' / 'run_autograder')],
                          cwd=str(root), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:]
    with open(str(root / 'results' / 'results.json')) as f:
        return json.load(f), proc.stdout


def test_run_autograder_on_this_repositorys_files(autograder, tmp_path):
    folder = make_solution(str(tmp_path / 'repo' / 'supervised_learning' /
                               'optimization'), {})
    results, out = run_autograder(autograder, tmp_path,
                                  str(tmp_path / 'repo'))
    valid_gradescope(results)
    # the grader that ran is the zip's, on the submission's folder
    assert os.path.join('autograder', 'source', 'course') in out
    assert folder not in out and 'supervised_learning/optimization' in out
    most = 15 * 4 - NEEDS_DATA
    assert results['score'] == most
    assert not [t for t in results['tests'] if t.get('status') == 'failed']
    if os.getuid() == 0:
        assert 'isolation: same user' not in out


def test_run_autograder_on_a_broken_copy(autograder, tmp_path):
    folder = make_solution(str(tmp_path / 'broken'), {
        9: lambda s: s.replace('v / (1 - beta1 ** t)', 'v'), 13: None})
    os.chmod(os.path.join(folder, '4-moving_average.py'), 0o644)
    results, _ = run_autograder(autograder, tmp_path, folder)
    valid_gradescope(results)
    failed = [t['name'] for t in results['tests']
              if t.get('status') == 'failed']
    assert failed == ['Task 9 (9-Adam.py): function'] + [
        'Task 13 (13-batch_norm.py): ' + c
        for c in ('function', 'driver', 'house rules')]
    # task 13's 4 points and task 9's function's 2 are lost
    assert results['score'] == 15 * 4 - NEEDS_DATA - 4 - 2


@pytest.mark.parametrize('python', ['/nonexistent/python'])
def test_results_json_is_never_missing(autograder, tmp_path, python):
    results, out = run_autograder(autograder, tmp_path, None, python)
    valid_gradescope(results)
    assert results['score'] == 0
    [test] = results['tests']
    assert test['name'] == 'autograder error'
    assert test['max_score'] == 60 and test['visibility'] == 'visible'
    assert 'grader exit status 127' in out
