#!/usr/bin/env python3
"""optimization-grader batch and merge (batch.py, classpage.py): finding
and naming submissions, shards, resuming by content hash, grades.csv in
otter-grader's shape, the class page (in a real browser), and one small
batch through the command against single gradings."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from optimization_grader import batch, classpage, scores
from optimization_grader.paths import ROOT
from optimization_grader.tasks import TASKS

from test_cli_scores import NO_DATA, grading
from test_grader import make_solution, repository

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')

# Gradescope's "export submissions": a submission_<id>/ folder each and
# submission_metadata.yml keyed by those names (Ruby-style YAML symbols)
METADATA = '''---
submission_101:
  :submitters:
  - :name: Ada Lovelace
    :sid: '7'
    :email: ada@example.edu
  :created_at: 2026-01-01 10:00:00.000000000 -08:00
  :score: 45.0
submission_102:
  :submitters:
  - :name: Alan Turing
    :email: alan@example.edu
  - :name: Grace Hopper
    :email: grace@example.edu
  :created_at: 2026-01-02 10:00:00.000000000 -08:00
'''


def touch(folder, *names):
    os.makedirs(folder, exist_ok=True)
    for name in names:
        with open(os.path.join(folder, name), 'w') as f:
            f.write('#!/usr/bin/env python3\n')


@pytest.mark.parametrize('cores, free_gb, with_data, expected', [
    (2, 24, False, 1),      # without the data: one grading per 2 cores
    (2, 24, True, 2),       # with it: one per core
    (8, 24, False, 4),
    (8, 24, True, 8),
    (8, 7, True, 2),        # and one per 3 GB of free memory
    (1, 24, False, 1),      # never none
    (2, 1, True, 1),
])
def test_default_jobs(monkeypatch, cores, free_gb, with_data, expected):
    psutil = pytest.importorskip('psutil')
    monkeypatch.setattr(batch.os, 'sched_getaffinity',
                        lambda pid: set(range(cores)), raising=False)

    class Memory:
        available = free_gb * 2 ** 30

    monkeypatch.setattr(psutil, 'virtual_memory', lambda: Memory)
    assert batch.default_jobs(with_data) == expected


def test_gradescope_metadata():
    assert batch.gradescope_metadata(METADATA) == {
        'submission_101': [{'name': 'Ada Lovelace', 'sid': '7',
                            'email': 'ada@example.edu'}],
        'submission_102': [{'name': 'Alan Turing',
                            'email': 'alan@example.edu'},
                           {'name': 'Grace Hopper',
                            'email': 'grace@example.edu'}]}


@pytest.mark.parametrize('layout, names, folders', [
    # a folder of solution folders (one with a name to make safe)
    ({'alice': ['0-norm_constants.py'], 'b o/b': [],
      'b o': ['1-normalize.py']},
     ['alice', 'b_o'], ['alice', 'b o']),
    # a folder of repositories
    ({'alice/supervised_learning/optimization': ['0-norm_constants.py']},
     ['alice'], ['alice/supervised_learning/optimization']),
    # one solution folder
    ({'': ['0-norm_constants.py']}, [None], ['']),
])
def test_discover(tmp_path, layout, names, folders):
    root = tmp_path / 'class'
    for folder, files in layout.items():
        touch(os.path.join(str(root), folder), *files)
    found = batch.discover(str(root))
    assert [s.name for s in found] == [n or 'class' for n in names]
    assert [s.folder for s in found] == [
        os.path.join(str(root), f).rstrip(os.sep) for f in folders]


def test_discover_a_gradescope_export(tmp_path):
    root = tmp_path / 'export'
    touch(str(root / 'submission_101'), '0-norm_constants.py')
    touch(str(root / 'submission_102' / 'supervised_learning' /
              'optimization'), '9-Adam.py')
    (root / 'submission_metadata.yml').write_text(METADATA)
    found = batch.discover(str(root))
    assert [s.name for s in found] == ['submission_101', 'submission_102']
    assert found[1].folder.endswith('supervised_learning/optimization')
    assert [p['email'] for p in found[1].submitters] == [
        'alan@example.edu', 'grace@example.edu']


@pytest.mark.parametrize('which, expected', [
    ('1/1', list('abcdefg')), ('1/3', list('adg')), ('2/3', list('be')),
    ('3/3', list('cf'))])
def test_shard(which, expected):
    assert batch.shard(list('abcdefg'), which) == expected


@pytest.mark.parametrize('which', ['0/2', '3/2', 'half', '1-2'])
def test_a_bad_shard_says_what_is_expected(which):
    with pytest.raises(ValueError, match='expected K/N'):
        batch.shard([], which)


def test_the_content_hash_sees_bytes_executable_bit_and_missing_files(
        tmp_path):
    folder = make_solution(str(tmp_path / 's'), {})
    first = batch.content_hash(folder)
    assert batch.content_hash(folder) == first
    path = os.path.join(folder, '9-Adam.py')
    os.chmod(path, 0o644)
    second = batch.content_hash(folder)
    with open(path, 'a') as f:
        f.write('\n')
    third = batch.content_hash(folder)
    os.remove(path)
    assert len({first, second, third, batch.content_hash(folder)}) == 4
    # the other files of a repository are not graded: no new grading
    touch(folder, 'README.md')
    assert batch.content_hash(folder) == batch.content_hash(folder)


def test_the_grader_version_changes_with_the_data():
    assert batch.grader_version('') != batch.grader_version('/data')


@pytest.mark.parametrize('done, total, not_passing, errors, seconds, line', [
    (0, 10, 0, 0, 0, '[0/10] 0 not passing, 0 grader errors'),
    (2, 10, 1, 0, 60, '[2/10] 1 not passing, 0 grader errors; about 4 min '
                      'left'),
    (9, 10, 3, 1, 90, '[9/10] 3 not passing, 1 grader error; about 10 s '
                      'left'),
    (10, 10, 3, 1, 99, '[10/10] 3 not passing, 1 grader error'),
])
def test_progress_line(done, total, not_passing, errors, seconds, line):
    assert batch.progress_line(done, total, not_passing, errors,
                               seconds) == line


@pytest.mark.parametrize('done, reused, seconds, line', [
    # reused reports take no time: no estimate before a grading is done
    (3, 3, 0.5, '[3/10] 0 not passing, 0 grader errors, 3 reused'),
    # then one from the gradings done now: 30 s for 2, 5 left
    (5, 3, 30, '[5/10] 0 not passing, 0 grader errors, 3 reused; about '
               '75 s left'),
])
def test_progress_line_of_a_resumed_batch(done, reused, seconds, line):
    assert batch.progress_line(done, 10, 0, 0, seconds, reused) == line


def named(name, report):
    return dict(report, batch={'name': name})


REPORTS = [
    named('bob', grading(NO_DATA, t9={'function': 'fail'})),
    named('alice', grading(NO_DATA)),
    named('carl', {'solution': '/c', 'complete': False, 'exit_status': 2,
                   'error': 'the grader stopped'}),
]


def test_grades_csv_in_otter_graders_shape():
    text = batch.grades_csv(REPORTS, scores.Settings(
        points={'function': 2}), with_data=False)
    rows = list(csv.reader(io.StringIO(text)))
    # otter-grader: file, one column per question, total_points_earned,
    # percent_correct, grading_status; a first row of points possible
    assert rows[0] == ['file'] + [str(n) for n in TASKS] + [
        'total_points_earned', 'percent_correct', 'grading_status']
    possible = [2 + 1 + (0 if t.driver.needs_data else 1)
                for t in TASKS.values()]
    assert rows[1] == ['points-per-question'] + [
        str(p) for p in possible] + [str(sum(possible)), '', '']
    assert [r[0] for r in rows[2:]] == ['alice', 'bob', 'carl']
    assert rows[2][-3:] == [str(sum(possible)), '1.0', 'Completed']
    assert rows[3][1 + 9] == str(possible[9] - 2)
    assert rows[3][-2] == str(round((sum(possible) - 2) / sum(possible), 4))
    assert rows[4][-3:-1] == ['0', '0.0']
    assert rows[4][-1] == 'grader error: the grader stopped'


def test_the_class_page_counts_and_escapes():
    nasty = named('eve<script>', grading(NO_DATA, t1={'function': 'fail'}))
    nasty['tasks']['1']['failures'][0]['hint'] = 'use <b>m</b> & s'
    text = classpage.page(REPORTS + [nasty], scores.Settings(), False)
    assert '<script>' not in text and 'eve&lt;script&gt;' in text
    assert 'use &lt;b&gt;m&lt;/b&gt; &amp; s' in text
    assert 'http://' not in text and 'https://' not in text
    assert text.count('src="data:image/png;base64,') == 2
    assert '4 submissions: 3 graded, 1 pass every task, 1 grader error' \
        in text
    assert classpage.mistakes(REPORTS + [nasty]) == [
        ('function', 'use <b>m</b> & s', 1, [1])]


@pytest.mark.skipif(CHROMIUM is None, reason='no chromium')
def test_the_class_page_in_a_browser(tmp_path):
    """The page as Chromium draws it 700 px wide: the figures load (a
    broken image would leave the page short and white where they are)."""
    from matplotlib import image
    (tmp_path / 'index.html').write_text(classpage.page(
        REPORTS, scores.Settings(), False))
    shot = tmp_path / 'shot.png'
    subprocess.run([CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu',
                    '--hide-scrollbars', '--window-size=700,1800',
                    '--screenshot=' + str(shot),
                    (tmp_path / 'index.html').as_uri()],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=120, check=True)
    pixels = image.imread(str(shot))
    assert pixels.shape[:2] == (1800, 700)
    # the histogram's and the bars' blue (#4477aa) is drawn
    blue = ((abs(pixels[..., 0] - 0x44 / 255) < 0.05)
            & (abs(pixels[..., 1] - 0x77 / 255) < 0.05)
            & (abs(pixels[..., 2] - 0xaa / 255) < 0.05))
    rows = blue.any(axis=1).nonzero()[0]
    assert blue.sum() > 2000 and rows.max() - rows.min() > 400


def test_a_batch_resumes_and_merges(tmp_path):
    """Two submissions of a Gradescope export (a repository with task 9
    broken, and one with no numbered files), graded by the command from
    a copy of this repository, two at once; run again, nothing is graded;
    merged with itself, the same CSV."""
    root = repository(tmp_path)
    export = tmp_path / 'export'
    make_solution(str(export / 'submission_101' / 'supervised_learning' /
                      'optimization'), {9: lambda s: s.replace(
                          'v / (1 - beta1 ** t)', 'v')})
    touch(str(export / 'submission_102'), 'README.md')
    (export / 'submission_metadata.yml').write_text(METADATA)
    out = tmp_path / 'out'
    env = {k: v for k, v in os.environ.items()
           if k not in ('CI', 'OPTIMIZATION_DATA', 'PYTEST_ADDOPTS')}
    env['PYTHONPATH'] = os.path.join(root, 'tests', 'grader')

    def command(*argv):
        return subprocess.run(
            [sys.executable, '-m', 'optimization_grader'] + list(argv),
            cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, timeout=900)

    first = command('batch', str(export), '--out', str(out), '--jobs', '2')
    assert first.returncode == 0, first.stdout[-3000:]
    assert '[2/2]' in first.stdout
    rows = list(csv.reader(open(str(out / 'grades.csv'))))
    assert [r[0] for r in rows[2:]] == ['submission_101', 'submission_102']
    assert rows[2][-1] == 'Completed' and rows[2][1 + 9] == '1'
    assert rows[3][-1] == 'no numbered files found'
    report = json.load(open(str(out / 'reports' / 'submission_101.json')))
    assert [n for n, t in report['tasks'].items()
            if t['verdict'] != 'pass'] == ['9']
    assert report['batch']['submitters'][0]['name'] == 'Ada Lovelace'
    assert 'supervised_learning/optimization' in report['batch']['said']
    assert (out / 'logs' / 'submission_101.txt').read_text().count(
        '14 of 15 tasks pass') == 1
    stamp = os.path.getmtime(str(out / 'reports' / 'submission_101.json'))
    again = command('batch', str(export), '--out', str(out))
    assert again.returncode == 0, again.stdout[-3000:]
    assert os.path.getmtime(str(out / 'reports' /
                                'submission_101.json')) == stamp
    merged = command('merge', str(out), '--out', str(tmp_path / 'm'))
    assert merged.returncode == 0, merged.stdout[-3000:]
    assert (tmp_path / 'm' / 'grades.csv').read_text() == \
        (out / 'grades.csv').read_text()
    assert ROOT not in (out / 'index.html').read_text()
