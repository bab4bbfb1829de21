"""The grader, `python3 -m pytest --solution PATH`, on broken solutions.

Each fixture solution is a copy of this repository's numbered files with
one deliberate defect.  Graded without the course data, exactly the task
with the defect must fail (or be missing), with a one-line reason that
names the defect, and every other task must pass; nothing may be written
into the solution's folder.  The unmodified copy passes every task.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from grading import ROOT, SPEC

pytestmark = pytest.mark.project


def replace(old, new):
    """A defect: replace text `old` (which must be there) by `new`."""
    def apply(source):
        assert old in source, 'fixture out of date: {!r}'.format(old)
        return source.replace(old, new)
    return apply


def resub(pattern, new):
    """A defect: replace what matches regular expression `pattern`."""
    def apply(source):
        changed, count = re.subn(pattern, new, source)
        assert count == 1, 'fixture out of date: {!r}'.format(pattern)
        return changed
    return apply


def drop_function_docstring(source):
    tree = ast.parse(source)
    function = next(node for node in tree.body
                    if isinstance(node, ast.FunctionDef))
    docstring = function.body[0]
    lines = source.splitlines(keepends=True)
    del lines[docstring.lineno - 1:docstring.end_lineno]
    return ''.join(lines)


INFERENCE_MODE = '''#!/usr/bin/env python3
"""Task 14, with the classic mistake: batch norm in inference mode."""
import tensorflow as tf


def create_batch_norm_layer(prev, n, activation):
    """Dense, then BatchNormalization called without training=True."""
    init = tf.keras.initializers.VarianceScaling(mode='fan_avg')
    z = tf.keras.layers.Dense(n, kernel_initializer=init)(prev)
    norm = tf.keras.layers.BatchNormalization(epsilon=1e-7)
    return activation(norm(z))
'''
CONCATENATED_SHUFFLE = '''#!/usr/bin/env python3
"""Task 2, shuffling one concatenated matrix."""
import numpy as np


def shuffle_data(X, Y):
    """Shuffle [X | Y] as one array: the integers come back as floats."""
    XY = np.concatenate((X, Y.astype(float)), axis=1)
    XY = XY[np.random.permutation(XY.shape[0])]
    return XY[:, :X.shape[1]], XY[:, X.shape[1]:]
'''

# name: (task, file defect or None to delete the file, verdict, reason)
FIXTURES = {
    'missing file': (11, None, 'missing', 'no such file'),
    'syntax error': (4, replace('\ndef moving_average', '\ndef (moving'),
                     'fail', 'does not compile'),
    'no shebang': (0, replace('#!/usr/bin/env python3\n', ''), 'fail',
                   'first line must be exactly #!/usr/bin/env python3'),
    'no function docstring': (12, drop_function_docstring, 'fail',
                              'learning_rate_decay has no docstring'),
    'forbidden import': (5, replace('import numpy as np\n',
                                    'import numpy as np\nimport math\n'),
                         'fail', 'import math: only import numpy as np'),
    'last batch dropped': (3, replace('range(0, X.shape[0], batch_size)',
                                      'range(0, X.shape[0] - batch_size + 1,'
                                      ' batch_size)'),
                           'fail', 'drops the last, smaller batch'),
    'generator': (3, replace('return [(X[i:i + batch_size], '
                             'Y[i:i + batch_size])\n            for i in '
                             'range(0, X.shape[0], batch_size)]',
                             'return ((X[i:i + batch_size], '
                             'Y[i:i + batch_size])\n            for i in '
                             'range(0, X.shape[0], batch_size))'),
                  'fail', 'returned a generator'),
    'epsilon inside the root': (7, replace('(np.sqrt(s) + epsilon)',
                                           'np.sqrt(s + epsilon)'),
                                'fail', 'epsilon is outside the root'),
    'Adam one step off': (9, replace('beta1 ** t', 'beta1 ** (t + 1)'),
                          'fail', 'adam bias correction at step t'),
    'RMSprop by position': (8, resub(r'RMSprop\([^)]*\)',
                                     'RMSprop(alpha, beta2, epsilon)'),
                            'fail', 'RMSprop got momentum='),
    'batch norm in inference mode': (14, lambda source: INFERENCE_MODE,
                                     'fail', "batch's own mean and variance"),
    'concatenated shuffle': (2, lambda source: CONCATENATED_SHUFFLE, 'fail',
                             'shuffle_data changed the dtypes'),
    'infinite loop': (1, replace('    return (X - m)', '    while True:\n'
                                 '        pass\n    return (X - m)'),
                      'fail', 'did not return within'),
    'hangs when imported': (13, replace('import numpy as np\n',
                                        'import numpy as np\nwhile True:\n'
                                        '    pass\n'),
                            'fail', 'importing 13-batch_norm.py did not '
                                    'return within'),
    'misspelled function': (13, replace('def batch_norm(', 'def batchnorm('),
                            'fail', 'has no function batch_norm'),
    'prints instead of returning': (
        6, resub(r'return (tf\.keras\.optimizers\.SGD\(.*\))', r'print(\1)'),
        'fail',
        'create_momentum_op returned None and printed instead'),
    'import error': (10, replace('import tensorflow as tf\n',
                                 'import tensorflow as tf\n'
                                 'tf.no_such_function()\n'),
                     'fail', 'importing 10-Adam.py raised AttributeError'),
}


def make_solution(folder, defect=None):
    """Copy the numbered files into `folder`, then apply (task, change)."""
    os.makedirs(folder)
    for stem, _, _ in SPEC.values():
        shutil.copy2(os.path.join(ROOT, stem + '.py'), folder)
    if defect:
        number, change = defect
        file = os.path.join(folder, SPEC[number][0] + '.py')
        if change is None:
            os.remove(file)
        else:
            with open(file) as f:
                source = f.read()
            with open(file, 'w') as f:
                f.write(change(source))
    return folder


def snapshot(folder):
    """Every file in a folder, with its size and modification time."""
    return sorted((os.path.relpath(os.path.join(top, name), folder),
                   os.path.getsize(os.path.join(top, name)),
                   os.path.getmtime(os.path.join(top, name)))
                  for top, _, names in os.walk(folder) for name in names)


def grade(folder, tmp_path):
    """Run the grader on `folder` without the course data; return its
    JSON report, its stdout and its exit status."""
    report = str(tmp_path / 'report.json')
    env = {key: value for key, value in os.environ.items()
           if key not in ('CI', 'OPTIMIZATION_DATA', 'PYTEST_ADDOPTS')}
    before = snapshot(folder)
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:randomly',
         '--solution', folder, '--solution-report', report],
        cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=900)
    assert snapshot(folder) == before, 'the grader wrote into the solution'
    assert os.path.isfile(report), proc.stdout[-3000:]
    with open(report) as f:
        return json.load(f), proc.stdout, proc.returncode


def test_unmodified_copy_passes_every_task(tmp_path):
    folder = make_solution(str(tmp_path / 'solution'))
    found, out, status = grade(folder, tmp_path)
    assert status == 0, out[-3000:]
    assert found['solution'] == folder
    assert sorted(found['tasks'], key=int) == [str(n) for n in range(15)]
    for number, result in found['tasks'].items():
        assert result['verdict'] == 'pass', (number, result)
        assert result['checks']['house_rules'] == 'pass'
        assert result['checks']['function'] == 'pass'
        assert result['failures'] == []
    # the table: one line a task, and no traceback
    assert len(re.findall(r'^ +\d+  \d+-\S+\.py ', out, re.M)) == 15
    assert 'Traceback' not in out


@pytest.mark.slow
@pytest.mark.parametrize('name', sorted(FIXTURES))
def test_one_defect_fails_only_its_task(tmp_path, name):
    number, change, verdict, reason = FIXTURES[name]
    folder = make_solution(str(tmp_path / 'solution'), (number, change))
    found, out, status = grade(folder, tmp_path)
    assert status != 0, out[-3000:]
    broken = found['tasks'].pop(str(number))
    assert broken['verdict'] == verdict, broken
    assert broken['failures'], broken
    assert any(reason in failure for failure in broken['failures']), \
        broken['failures']
    assert all('\n' not in failure for failure in broken['failures'])
    for other, result in found['tasks'].items():
        assert result['verdict'] == 'pass', (other, result)
    # the table names the task and its first failure on one line
    line = [line for line in out.splitlines()
            if re.match(r' *{}  {}'.format(number, re.escape(
                SPEC[number][0])), line)]
    assert len(line) == 1 and broken['failures'][0][:40] in line[0], line
    assert 'Traceback' not in out
