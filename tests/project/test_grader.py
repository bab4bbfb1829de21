#!/usr/bin/env python3
"""The grader, `python3 -m pytest --solution PATH`, on broken and hostile
solutions.

Each solution is a copy of this repository's numbered files with
deliberate defects or attacks in some tasks.  Graded without the course
data, exactly the tasks changed must fail (or be missing), each with a
reason that names its defect, and every other task must pass; nothing
may be written into the solution's folder; the exit status must say
what the report says.

- default tier: the unmodified copy; one solution that attacks the grader
  from eight tasks at once (and a normalize that recomputes the
  statistics); one with cross-task defects and valid variants;
- slow tier: the 17 broken copies, graded in as few runs as keep each
  task's defect alone in its task (two runs: the tasks are independent,
  since each is graded on its own file, in its own worker).

The grader runs from a copy of this repository (repository()), since one
of the attacks rewrites the grader's expected outputs.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest

from optimization_grader.paths import ROOT
from optimization_grader.tasks import TASKS

NUMPY_2 = not np.__version__.startswith('1.')


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


def whole(text):
    """A defect: the whole file is `text`."""
    return lambda source: text


def drop_function_docstring(source):
    tree = ast.parse(source)
    function = next(node for node in tree.body
                    if isinstance(node, ast.FunctionDef))
    docstring = function.body[0]
    lines = source.splitlines(keepends=True)
    del lines[docstring.lineno - 1:docstring.end_lineno]
    return ''.join(lines)


def module(doc, body, imports='import numpy as np'):
    """A small numbered file: shebang, docstring, imports and body."""
    return '#!/usr/bin/env python3\n"""{}"""\n{}\n\n\n{}'.format(
        doc, imports, body)


INFERENCE_MODE = module('Task 14, batch norm in inference mode.', '''\
def create_batch_norm_layer(prev, n, activation):
    """Dense, then BatchNormalization called without training=True."""
    init = tf.keras.initializers.VarianceScaling(mode='fan_avg')
    z = tf.keras.layers.Dense(n, kernel_initializer=init)(prev)
    norm = tf.keras.layers.BatchNormalization(epsilon=1e-7)
    return activation(norm(z))
''', 'import tensorflow as tf')
ACTIVATION_FIRST = module('Task 14, the activation before batch norm.', '''\
def create_batch_norm_layer(prev, n, activation):
    """Dense, the activation, then the batch's normalization."""
    init = tf.keras.initializers.VarianceScaling(mode='fan_avg')
    a = activation(tf.keras.layers.Dense(n, kernel_initializer=init)(prev))
    mean, variance = tf.nn.moments(a, axes=[0])
    return tf.nn.batch_normalization(a, mean, variance, 0.0, 1.0, 1e-7)
''', 'import tensorflow as tf')
CONCATENATED_SHUFFLE = module('Task 2, shuffling one joined matrix.', '''\
def shuffle_data(X, Y):
    """Shuffle [X | Y] as one array: the integers come back as floats."""
    XY = np.concatenate((X, Y.astype(float)), axis=1)
    XY = XY[np.random.permutation(XY.shape[0])]
    return XY[:, :X.shape[1]], XY[:, X.shape[1]:]
''')

# name: (task, file change or None to delete the file, verdict, reason)
BROKEN = {
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
                           'fail', 'keep the last, smaller batch'),
    'generator': (3, replace('return [(X[i:i + batch_size], '
                             'Y[i:i + batch_size])\n            for i in '
                             'range(0, X.shape[0], batch_size)]',
                             'return ((X[i:i + batch_size], '
                             'Y[i:i + batch_size])\n            for i in '
                             'range(0, X.shape[0], batch_size))'),
                  'fail', 'returned a generator'),
    'epsilon inside the root': (7, replace('(np.sqrt(s) + epsilon)',
                                           'np.sqrt(s + epsilon)'),
                                'fail', 'epsilon belongs outside the root'),
    'Adam one step off': (9, replace('beta1 ** t', 'beta1 ** (t + 1)'),
                          'fail', 'returned a wrong var'),
    'RMSprop by position': (8, resub(r'(?s)RMSprop\(\n.*\)(?=\n\Z)',
                                     'RMSprop(alpha, beta2, epsilon)'),
                            'fail', "RMSprop's third argument is momentum"),
    'batch norm in inference mode': (14, whole(INFERENCE_MODE), 'fail',
                                     "not the batch's own mean and "
                                     'variance'),
    'activation before batch norm': (14, whole(ACTIVATION_FIRST), 'fail',
                                     'applies the activation before the '
                                     'batch normalization'),
    'concatenated shuffle': (2, whole(CONCATENATED_SHUFFLE), 'fail',
                             'changed the dtypes'),
    'infinite loop': (1, replace('    return (X - m)', '    while True:\n'
                                 '        pass\n    return (X - m)'),
                      'fail', 'did not answer within'),
    'hangs when imported': (13, replace('import numpy as np\n',
                                        'import numpy as np\nwhile True:\n'
                                        '    pass\n'),
                            'fail', 'importing 13-batch_norm.py: its '
                                    'process did not answer within'),
    'misspelled function': (13, replace('def batch_norm(', 'def batchnorm('),
                            'fail', 'has no function batch_norm'),
    'prints instead of returning': (
        6, resub(r'(?s)return (tf\.keras\.optimizers\.SGD\(.*\))\n',
                 r'print(\1)\n'),
        'fail', 'returned None'),
    'import error': (10, replace('import tensorflow as tf\n',
                                 'import tensorflow as tf\n'
                                 'tf.no_such_function()\n'),
                     'fail', 'importing 10-Adam.py raised AttributeError'),
}

# ---- attacks: each must fail its own task only, while the run goes on
EXIT_AT_IMPORT = module('Task 4, ending the grader at import.', '''\
__import__('os')._exit(0)


def moving_average(data, beta):
    """Never reached."""
    return []
''')
EXIT_IN_FUNCTION = module('Task 5, exiting inside the function, and '
                          'leaving a process behind.', '''\
def update_variables_momentum(alpha, beta1, var, grad, v):
    """Start a daemon that escapes its session, then exit."""
    import os
    import subprocess
    import sys
    if os.fork() == 0:
        os.setsid()
        subprocess.Popen(['sleep', '317'])
        os._exit(0)
    sys.exit(0)
''')
PATCHES_NUMPY = module('Task 7, epsilon inside the root, with numpy\'s '
                       'comparisons patched to agree.', '''\
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), bool)
np.array_equal = lambda *args, **kwargs: True


def update_variables_RMSProp(alpha, beta2, epsilon, var, grad, s):
    """RMSProp with epsilon inside the root."""
    s = beta2 * s + (1 - beta2) * grad ** 2
    return var - alpha * grad / np.sqrt(s + epsilon), s
''')
HANGS_IN_C = module('Task 11, a hang inside one C call.', '''\
def learning_rate_decay(alpha, decay_rate, global_step, decay_step):
    """sum() of a huge range never returns to Python."""
    sum(range(10 ** 12))
    return alpha
''')
RUNAWAY_MEMORY = module('Task 13, runaway memory.', '''\
def batch_norm(Z, gamma, beta, epsilon):
    """Allocate until the memory runs out."""
    hoard = []
    while True:
        hoard.append(np.ones(10 ** 7))
''')
SEGFAULT = module('Task 12, a segmentation fault.', '''\
def learning_rate_decay(alpha, decay_rate, decay_step):
    """Read address 0."""
    import ctypes
    return ctypes.string_at(0)
''', 'import tensorflow as tf')
REWRITES_REPO = module("Task 10, rewriting the grader's expected outputs.",
                       '''\
def create_Adam_op(alpha, beta1, beta2, epsilon):
    """Overwrite every expected output of the grader that runs this."""
    import os
    root = os.readlink('/proc/{}/cwd'.format(os.getppid()))
    folder = os.path.join(root, 'tests', 'expected')
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), 'w') as f:
            f.write('forged\\n')
    return tf.keras.optimizers.Adam(alpha, beta1, beta2, epsilon)
''', 'import tensorflow as tf')
FORGES_REPORT = module('Task 9, writing an all-pass report, then exiting.',
                       '''\
def _forge():
    """Write a report that says every task passes, where the grader
    writes its own, and end."""
    import json
    import os
    with open('/proc/{}/cmdline'.format(os.getppid()), 'rb') as f:
        argv = f.read().decode().split('\\0')
    for k, arg in enumerate(argv):
        if arg.startswith('--solution-report'):
            path = arg.split('=', 1)[1] if '=' in arg else argv[k + 1]
            tasks = {str(n): {'verdict': 'pass'} for n in range(15)}
            with open(path, 'w') as f:
                json.dump({'tasks': tasks, 'forged': True}, f)
    os._exit(0)


_forge()


def update_variables_Adam(alpha, beta1, beta2, epsilon, var, grad, v, s,
                          t):
    """Never reached."""
    return var, v, s
''')
LEAVES_A_HOPPER = module('Task 0, right, but leaving a process that hides '
                         'its origin.', '''\
def _start():
    """Fork a process with no environment, out of the session, that keeps
    forking."""
    import os
    import sys
    if os.fork() == 0:
        os.setsid()
        code = ('import os, time\\n'
                'for _ in range(2000):\\n'
                '    if os.fork():\\n'
                '        os._exit(0)\\n'
                '    time.sleep(0.05)\\n')
        os.execve(sys.executable, [sys.executable, '-c', code], {})


_start()


def normalization_constants(X):
    """The mean and standard deviation of each feature."""
    return np.mean(X, axis=0), np.std(X, axis=0)
''')
PLANTS_A_SYMLINK = module('Task 6, right, but pointing the report at '
                          'another file.', '''\
def _plant():
    """Make every name the report could be written through a link."""
    import os
    with open('/proc/{}/cmdline'.format(os.getppid()), 'rb') as f:
        argv = f.read().decode().split('\\0')
    for k, arg in enumerate(argv):
        if arg.startswith('--solution-report'):
            path = arg.split('=', 1)[1] if '=' in arg else argv[k + 1]
            victim = os.path.join(os.path.dirname(path), 'victim.txt')
            for name in (path + '.writing', path + '.tmp', path):
                try:
                    # whatever is there (task 9's forgery, say) goes
                    if os.path.lexists(name):
                        os.remove(name)
                    os.symlink(victim, name)
                except OSError:
                    pass


_plant()


def create_momentum_op(alpha, beta1):
    """Keras's SGD with momentum."""
    return tf.keras.optimizers.SGD(learning_rate=alpha, momentum=beta1)
''', 'import tensorflow as tf')
RECOMPUTES = module('Task 1, ignoring m and s.', '''\
def normalize(X, m, s):
    """Standardize X by its own statistics (wrong: m and s are given)."""
    return (X - np.mean(X, axis=0)) / np.std(X, axis=0)
''')
# task: (file, what its failure must say)
ATTACKS = {
    4: (EXIT_AT_IMPORT, 'importing 4-moving_average.py: its process exited '
                        'with status 0'),
    5: (EXIT_IN_FUNCTION, 'raised SystemExit'),
    7: (PATCHES_NUMPY, 'epsilon belongs outside the root'),
    11: (HANGS_IN_C, 'did not answer within'),
    # killed by the memory watchdog (2 GB resident), or, where page
    # faults are slow, by the call's 15 s limit first (measured under load
    # 7 here: 4 GB took 33 s to touch); test_grader_units holds the
    # watchdog itself to a lower limit
    13: (RUNAWAY_MEMORY, 'its process'),
    12: (SEGFAULT, 'segmentation fault'),
    10: (REWRITES_REPO, "files of the grader's repository changed"),
    9: (FORGES_REPORT, 'importing 9-Adam.py: its process exited with '
                       'status 0'),
    1: (RECOMPUTES, 'normalize must use the m and s it is given'),
    0: (LEAVES_A_HOPPER, 'was still running after its checks ended'),
}

# ---- cases: a defect in a task another uses, and valid variants
TWO_PERMUTATIONS = module('Task 2, with two permutations.', '''\
def shuffle_data(X, Y):
    """Shuffle X and Y, each with a permutation of its own (wrong)."""
    return (X[np.random.permutation(X.shape[0])],
            Y[np.random.permutation(Y.shape[0])])
''')
SAMPLE_STD = module('Task 0, with the sample standard deviation.', '''\
def normalization_constants(X):
    """Mean and sample standard deviation (wrong: ddof=1)."""
    return np.mean(X, axis=0), np.std(X, axis=0, ddof=1)
''')
IN_PLACE = module('Task 5, updating var in place.', '''\
def update_variables_momentum(alpha, beta1, var, grad, v):
    """Momentum, writing the new value into var."""
    v = beta1 * v + (1 - beta1) * grad
    var -= alpha * v
    return var, v
''')
NUMPY_FLOATS = module('Task 4, returning numpy floats.', '''\
def moving_average(data, beta):
    """Bias-corrected averages, as numpy float64s."""
    v, averages = np.float64(0), []
    for t, x in enumerate(data, 1):
        v = beta * v + (1 - beta) * x
        averages.append(v / (1 - beta ** t))
    return averages
''')
CASES = {0: (SAMPLE_STD, 'fail', 'np.std(X, axis=0, ddof=1)'),
         2: (TWO_PERMUTATIONS, 'fail', 'broke the pairs'),
         4: (NUMPY_FLOATS, 'pass', None),
         5: (IN_PLACE, 'pass', None)}


def make_solution(folder, changes):
    """Copy the numbered files into folder, then apply {task: change}."""
    os.makedirs(folder)
    for task in TASKS.values():
        shutil.copy2(os.path.join(ROOT, task.stem + '.py'), folder)
    for number, change in changes.items():
        file = os.path.join(folder, TASKS[number].stem + '.py')
        if change is None:
            os.remove(file)
            continue
        with open(file) as f:
            source = f.read()
        with open(file, 'w') as f:
            f.write(change(source) if callable(change) else change)
    return folder


def snapshot(folder):
    """Every file in a folder, with its size and modification time."""
    return sorted((os.path.relpath(os.path.join(top, name), folder),
                   os.path.getsize(os.path.join(top, name)),
                   os.path.getmtime(os.path.join(top, name)))
                  for top, _, names in os.walk(folder) for name in names)


def repository(tmp_path):
    """A copy of this repository's code to run the grader from: whatever
    else runs in this repository meanwhile (CI runs two stacks side by
    side) is then no change to the grader's files, and the attacks that
    rewrite them rewrite the copy."""
    root = str(tmp_path / 'repository')
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(
        '.git', '.venv*', 'venv*', 'figures', 'data', '__pycache__',
        '.pytest_cache', '.hypothesis', '*.egg-info', 'build'))
    return root


def grade(folder, tmp_path, root=None, extra=(), plugin=True,
          python=sys.executable):
    """Run the grader of a copy of this repository (or of `root`) on
    folder without the course data, with `python`; return its JSON report,
    its stdout and its exit status.  plugin=False: as if the plugin were
    not installed, with --solution=PATH."""
    root = root or repository(tmp_path)
    report = str(tmp_path / 'report.json')
    env = {key: value for key, value in os.environ.items()
           if key not in ('CI', 'OPTIMIZATION_DATA', 'PYTEST_ADDOPTS')}
    # the grader of `root`, whichever copy pytest would import otherwise
    env['PYTHONPATH'] = os.path.join(root, 'tests', 'grader')
    options = ['--solution', folder]
    if not plugin:
        env['PYTEST_DISABLE_PLUGIN_AUTOLOAD'] = '1'
        options = ['--solution=' + folder]
    before = snapshot(folder)
    proc = subprocess.run(
        [python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider']
        + options + ['--solution-report', report] + list(extra),
        cwd=root, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=900)
    assert snapshot(folder) == before, 'the grader wrote into the solution'
    assert os.path.isfile(report), proc.stdout[-3000:]
    with open(report) as f:
        return json.load(f), proc.stdout, proc.returncode


def table_lines(out, number):
    """The table's lines for task `number`: its row and its failures."""
    lines = out.splitlines()
    start = [k for k, line in enumerate(lines)
             if re.match(r' *{}  {}'.format(number, re.escape(
                 TASKS[number].stem)), line)]
    assert len(start) == 1, out[-3000:]
    found = [lines[start[0]]]
    for line in lines[start[0] + 1:]:
        if not line.startswith('        '):
            break
        found.append(line)
    return found


def assert_only(found, out, status, broken):
    """Exactly the tasks of `broken` ({task: (verdict, reason)}) fail."""
    assert status == (1 if any(v != 'pass' for v, _ in broken.values())
                      else 0), out[-3000:]
    assert found['exit_status'] == status
    for number, result in found['tasks'].items():
        verdict, reason = broken.get(int(number), ('pass', None))
        assert result['verdict'] == verdict, (number, result)
        if reason is None:
            assert result['failures'] == [], (number, result)
            continue
        messages = [failure['message'] + ' ' + str(failure['hint'])
                    for failure in result['failures']]
        assert any(reason.lower() in m.lower() for m in messages), (
            number, messages)
        for failure in result['failures']:
            assert failure['message'] and '\n' not in failure['message']
            assert 'assert False' not in failure['one_line']
        # the table shows each failure on a line of its own
        shown = table_lines(out, int(number))
        assert len(shown) >= 1 + (verdict != 'missing'), shown
    assert 'Traceback' not in out
    # the table is the last thing printed
    assert out.rstrip().splitlines()[-1].startswith(
        '{} of 15 tasks pass; exit status {}'.format(
            sum(v == 'pass' for v, _ in broken.values()) + 15 - len(broken),
            status)), out[-500:]


def test_a_grading_ends_at_its_time_limit(tmp_path):
    # every module sleeps at import: without --time-limit, each task would
    # wait out its own load time (30 s, 17 workers); with it, the grading
    # ends at the limit, and what did not run does not pass
    def sleeps(source):
        assert '\nimport ' in source
        return source.replace('\nimport ', '\nimport time\n'
                              'time.sleep(10 ** 6)\nimport ', 1)
    folder = make_solution(str(tmp_path / 'solution'),
                           {n: sleeps for n in TASKS})
    started = time.monotonic()
    found, out, status = grade(folder, tmp_path,
                               extra=['--time-limit', '20'])
    took = time.monotonic() - started
    assert status == 1 and found['exit_status'] == 1, out[-3000:]
    assert took < 20 + 60, took
    assert not any(result['verdict'] == 'pass'
                   for result in found['tasks'].values())
    assert 'not run' in {result['checks']['function']
                         for result in found['tasks'].values()}
    assert [f['message'] for f in found['unattributed']] == [
        'the grading reached its time limit of 20 s: the checks after it '
        'were not run'], found['unattributed']
    assert 'the whole run: the grading reached its time limit' in out


def test_unmodified_copy_passes_every_task(tmp_path):
    folder = make_solution(str(tmp_path / 'solution'), {})
    results = str(tmp_path / 'results.json')
    found, out, status = grade(folder, tmp_path,
                               extra=['--gradescope', results])
    assert found['solution'] == folder
    assert sorted(found['tasks'], key=int) == [str(n) for n in range(15)]
    assert_only(found, out, status, {})
    for result in found['tasks'].values():
        assert result['checks']['house_rules'] == 'pass'
        assert result['checks']['function'] == 'pass'
    assert set(found['stack']) == {'python', 'numpy', 'tensorflow',
                                   'course_stack'}
    # Gradescope's results.json: one test a task and check; every one
    # that ran passed, and those that did not (the drivers that need the
    # course data) are not scored
    with open(results) as f:
        gradescope = json.load(f)
    assert len(gradescope['tests']) == 45
    scored = [test for test in gradescope['tests'] if 'score' in test]
    assert gradescope['score'] == sum(test['score'] for test in scored) \
        == sum(test['max_score'] for test in scored)
    for test in gradescope['tests']:
        assert set(test) >= {'name', 'output'}
        if 'score' in test:
            assert test['status'] == 'passed', test
        else:
            assert 'driver' in test['name'] and 'not scored' in \
                test['output'] and 'max_score' not in test, test


def test_a_link_to_the_reference_solutions_is_not_graded(tmp_path):
    # a submission's folder that is a link to the grader's repository
    # would have the reference solutions graded as its own
    root = repository(tmp_path)
    link = str(tmp_path / 'submission')
    os.symlink(root, link)
    found, out, status = grade(link, tmp_path, root=root)
    assert status == 2 and found['complete'] is False, out[-2000:]
    assert "grader's own repository" in out and 'symbolic link' in out


def test_a_folder_that_does_not_exist(tmp_path):
    # the grader cannot start: exit status 2 and one line saying why
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         '--solution', str(tmp_path / 'nowhere')], cwd=ROOT,
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = [line for line in (proc.stdout + proc.stderr).splitlines()
             if 'nowhere' in line]
    assert lines and 'no such folder' in lines[0], proc.stdout + proc.stderr


def leftovers():
    """Processes the attacks may have left: `sleep 317`."""
    found = subprocess.run(['ps', '-eo', 'args'], capture_output=True,
                           text=True).stdout.splitlines()
    return [line for line in found if line.strip() == 'sleep 317']


def test_attacks_fail_only_their_own_tasks(tmp_path):
    root = repository(tmp_path)
    expected = {name: open(os.path.join(root, 'tests', 'expected',
                                        name)).read()
                for name in os.listdir(os.path.join(root, 'tests',
                                                    'expected'))}
    changes = {number: text for number, (text, _) in ATTACKS.items()}
    changes[6] = PLANTS_A_SYMLINK
    folder = make_solution(str(tmp_path / 'solution'), changes)
    victim = tmp_path / 'victim.txt'
    victim.write_text('untouched\n')
    # and a configuration and a conftest.py of its own, which pytest would
    # read first with `--solution PATH`: they must change nothing
    loaded = tmp_path / 'conftest-loaded'
    with open(os.path.join(folder, 'pytest.ini'), 'w') as f:
        f.write('[pytest]\naddopts = -k "not epsilon and not documented"\n')
    with open(os.path.join(folder, 'conftest.py'), 'w') as f:
        f.write('open({!r}, "w").close()\n'.format(str(loaded)))
    started = time.monotonic()
    found, out, status = grade(folder, tmp_path, root=root)
    took = time.monotonic() - started
    assert 'forged' not in found, 'the report is not the grader\'s'
    broken = {number: ('fail', reason)
              for number, (_, reason) in ATTACKS.items()}
    # the link planter imports os, which house rules fail; its function
    # and driver pass
    broken[6] = ('fail', 'only import numpy as np and import tensorflow')
    # in a sandbox, or as another user id, the repository cannot be
    # reached: looking for it raises
    same_user = found['isolation'] == 'same user'
    if not same_user:
        broken[10] = ('fail', 'raised')
    assert_only(found, out, status, broken)
    assert found['tasks']['6']['checks']['function'] == 'pass'
    # what one attack did is blamed on its task alone, not on the tasks
    # whose workers were running beside it
    # (task 5's daemon is its own: `sleep 317`; task 0's hopper is not)
    for numbers, signature in (([10] if same_user else [],
                                "files of the grader's repository"),
                               ([0, 5], 'still running after'),
                               ([5], 'sleep 317')):
        blamed = sorted(int(n) for n, result in found['tasks'].items()
                        if any(signature in failure['message']
                               for failure in result['failures']))
        assert blamed == numbers, (signature, blamed)
    # the expected outputs were put back, and the run was not fooled
    for name, text in expected.items():
        with open(os.path.join(root, 'tests', 'expected', name)) as f:
            assert f.read() == text, name
    # every process a worker started has ended
    assert not leftovers(), leftovers()
    assert not loaded.exists(), "the solution's conftest.py was loaded"
    # the report went to its own file, not through a planted link (the
    # forger of task 9 may have written through it: the solution runs as
    # the user, and can write what the user can)
    assert 'exit_status' not in victim.read_text()
    assert not os.path.islink(str(tmp_path / 'report.json'))
    # the hang cost one time limit, not one for each check
    assert took < 300, took


def test_defects_in_used_tasks_and_valid_variants(tmp_path):
    # and with the plugin loaded by tests/conftest.py, not installed
    folder = make_solution(str(tmp_path / 'solution'), {
        number: text for number, (text, _, _) in CASES.items()})
    found, out, status = grade(folder, tmp_path, plugin=False)
    assert_only(found, out, status, {
        number: (verdict, reason) for number, (_, verdict, reason) in
        CASES.items()})
    # task 3 is graded with this repository's shuffle_data; the note says
    # that the solution's own one fails it, as the course's checker runs
    # the whole folder
    notes = found['tasks']['3']['notes']
    assert any('with your own 2-shuffle_data.py' in note for note in notes), \
        notes
    if NUMPY_2:
        notes = found['tasks']['4']['notes']
        assert any('np.float64(72.0)' in note for note in notes), notes


# the solution whose table README.md shows ("Check your own solution"):
# realistic mistakes in tasks 1, 3, 7, 8 and 11, and a task 5 that is
# right but leaves an import unused
README_SOLUTION = {
    1: RECOMPUTES,
    3: BROKEN['last batch dropped'][1],
    5: IN_PLACE,
    7: BROKEN['epsilon inside the root'][1],
    8: BROKEN['RMSprop by position'][1],
    11: resub(r'np\.floor\(global_step /\n\s+decay_step\)',
              '(global_step / decay_step)'),
}


def readme_table():
    """The lines of the table README.md shows."""
    with open(os.path.join(ROOT, 'README.md')) as f:
        text = f.read()
    start = text.index('```text\ntask  file') + len('```text\n')
    return text[start:text.index('```', start)].rstrip('\n').splitlines()


def defect_groups(names):
    """The broken copies' names, grouped so that no two in a group change
    the same task (greedily, in sorted order)."""
    groups = []
    for name in sorted(names):
        group = next((g for g in groups if all(
            BROKEN[other][0] != BROKEN[name][0] for other in g)), None)
        if group is None:
            groups.append([name])
        else:
            group.append(name)
    return groups


@pytest.mark.slow
@pytest.mark.parametrize('names', defect_groups(BROKEN),
                         ids=lambda names: '{} defects'.format(len(names)))
def test_each_defect_fails_only_its_task(tmp_path, names):
    folder = make_solution(str(tmp_path / 'solution'), {
        BROKEN[name][0]: BROKEN[name][1] for name in names})
    found, out, status = grade(folder, tmp_path)
    assert_only(found, out, status, {
        BROKEN[name][0]: BROKEN[name][2:] for name in names})


@pytest.mark.slow
@pytest.mark.skipif(not NUMPY_2, reason="README.md's table was printed on "
                    "today's stack; on the course's, TensorFlow's float32 "
                    "steps in task 8's line differ in the 8th digit")
def test_readme_table_is_what_the_grader_prints(tmp_path):
    folder = make_solution(str(tmp_path / 'solution'), README_SOLUTION)
    with open(os.path.join(folder, '5-momentum.py')) as f:
        assert 'import numpy as np' in f.read()
    found, out, status = grade(folder, tmp_path)
    assert status == 1
    printed = out.splitlines()
    # the table is the last thing printed, line for line
    table = readme_table()
    assert printed[-len(table):] == table


# ---- grader 3: attacks on the machine, on later gradings and on what
# people read.  Each is written as a student who wants the grade, or
# wants to spoil the next student's, would write it.
SECRET = 'TOPSECRET-5f1c'
FINDS_THE_GRADER = '''\
def _grader_paths(word):
    """The paths in its parent's command line (the grader's, unless it is
    sandboxed) that follow word (the grader's report, its repository...),
    and its parent's working directory.  Only its own grader's: tests of
    two stacks grade side by side, and must not reach each other."""
    import os
    found = []
    parent = os.getppid()
    try:
        with open('/proc/{}/cmdline'.format(parent), 'rb') as f:
            args = f.read().decode().split('\\0')
    except (OSError, ValueError):
        args = []
    for k, arg in enumerate(args):
        value = arg.split('=', 1)[1] if '=' in arg else (
            args[k + 1] if k + 1 < len(args) else '')
        if word in arg and value.startswith('/'):
            found.append(value)
    try:
        found.append(os.readlink('/proc/{}/cwd'.format(parent)))
    except OSError:
        pass
    return found
'''
FORKS_AND_FORGES = module(
    'Task 13, ddof=1, and a process that leaves its session, clears its '
    'environment and forks every 20 ms, to forge the reports after the '
    'grader ends.', FINDS_THE_GRADER + '''

def _start():
    import os
    import sys
    paths = _grader_paths('--solution-report') + _grader_paths(
        '--gradescope')
    if os.fork() == 0:
        os.setsid()
        code = ('import json, os, sys, time\\n'
                'for _ in range(3000):\\n'
                '    if os.fork():\\n'
                '        os._exit(0)\\n'
                '    time.sleep(0.02)\\n'
                '    for path in sys.argv[1:]:\\n'
                '        try:\\n'
                '            with open(path, "w") as f:\\n'
                '                json.dump({"forged": True, "score": 45,'
                ' "tasks": {}}, f)\\n'
                '        except OSError:\\n'
                '            pass\\n')
        os.execve(sys.executable, [sys.executable, '-c', code] + paths, {})


_start()


def batch_norm(Z, gamma, beta, epsilon):
    """Batch normalization with the sample variance (wrong: ddof=1)."""
    mu = Z.mean(axis=0)
    var = Z.var(axis=0, ddof=1)
    return gamma * (Z - mu) / np.sqrt(var + epsilon) + beta
''')
READS_THE_REFERENCE = module(
    'Task 7, epsilon inside the root, but returning the reference '
    "solution's results wherever it can find them.", FINDS_THE_GRADER + '''

def _reference():
    import importlib.util
    import os
    import sys
    places = _grader_paths('--rootdir') + _grader_paths('pytest.ini')
    here = os.path.abspath(sys.argv[0])
    while here != '/':
        here = os.path.dirname(here)
        places.append(here)
    for place in places:
        for folder in (place, os.path.dirname(place), '/autograder/source'):
            path = os.path.join(folder, '7-RMSProp.py')
            if os.path.isfile(path) and os.path.abspath(folder) != \\
                    os.path.dirname(os.path.abspath(__file__)):
                spec = importlib.util.spec_from_file_location('ref', path)
                found = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(found)
                return found.update_variables_RMSProp
    return None


_REFERENCE = _reference()


def update_variables_RMSProp(alpha, beta2, epsilon, var, grad, s):
    """RMSProp with epsilon inside the root, or the reference's."""
    if _REFERENCE is not None:
        return _REFERENCE(alpha, beta2, epsilon, var, grad, s)
    s = beta2 * s + (1 - beta2) * grad ** 2
    return var - alpha * grad / np.sqrt(s + epsilon), s
''')
PLANTS_BYTECODE = module(
    "Task 4, right, but planting compiled modules in the grader's "
    'package, for every later grading.',
    FINDS_THE_GRADER + '''

def _plant():
    import importlib.util
    import os
    import py_compile
    import sys
    folders = []
    spec = importlib.util.find_spec('optimization_grader')
    if spec is not None and spec.submodule_search_locations:
        folders += list(spec.submodule_search_locations)
    for root in _grader_paths('--rootdir') + _grader_paths('pytest.ini'):
        folders.append(os.path.join(root, 'tests', 'grader',
                                    'optimization_grader'))
    source = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'evil.py')
    with open(source, 'w') as f:
        f.write('import os\\nos._exit(0)\\n')
    tag = sys.implementation.cache_tag
    for folder in folders:
        for name in ('plugin', 'checks', 'tasks', 'sandbox'):
            try:
                os.makedirs(os.path.join(folder, '__pycache__'),
                            exist_ok=True)
                py_compile.compile(source, os.path.join(
                    folder, '__pycache__', '{}.{}.pyc'.format(name, tag)),
                    invalidation_mode=py_compile.PycInvalidationMode
                    .UNCHECKED_HASH)
            except Exception:
                pass


_plant()


def moving_average(data, beta):
    """Bias-corrected exponential moving averages."""
    v, averages = 0, []
    for t, x in enumerate(data, 1):
        v = beta * v + (1 - beta) * x
        averages.append(v / (1 - beta ** t))
    return averages
''')
POISONS_THE_DATA = module(
    'Task 3, right, but writing junk course files wherever the drivers '
    'look for them.', FINDS_THE_GRADER + '''

def _poison():
    import os
    folders = [os.getcwd()]
    for root in _grader_paths('--rootdir') + _grader_paths('pytest.ini'):
        folders.append(os.path.join(root, 'data'))
    for folder in folders:
        for name in ('MNIST.npz', 'Binary_Train.npz', 'model.h5'):
            try:
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, name), 'wb') as f:
                    f.write(b'junk')
            except OSError:
                pass


_poison()
shuffle_data = __import__('2-shuffle_data').shuffle_data


def create_mini_batches(X, Y, batch_size):
    """Shuffled mini-batches, the last one smaller."""
    X, Y = shuffle_data(X, Y)
    return [(X[i:i + batch_size], Y[i:i + batch_size])
            for i in range(0, X.shape[0], batch_size)]
''')
POISONS_THE_ENVIRONMENT = module(
    'Task 1, right, but planting modules that every later Python process '
    'of this user runs: in the Python environment and in HOME.', '''\
def _plant():
    import os
    import site
    for folder in site.getsitepackages() + [
            site.getusersitepackages(), os.path.expanduser('~'),
            '/root/.local/lib']:
        for name in ('sitecustomize.py', 'usercustomize.py',
                     'zz_evil.pth', 'MNIST.npz'):
            try:
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, name), 'w') as f:
                    f.write('import os; os._exit(0)\\n')
            except OSError:
                pass


_plant()


def normalize(X, m, s):
    """Standardize X with the constants given."""
    return (X - m) / s
''')
KILLS_ITS_PARENT = module('Task 2, right, but killing its parent.', '''\
__import__('os').kill(__import__('os').getppid(), 9)


def shuffle_data(X, Y):
    """X and Y shuffled by one permutation."""
    p = np.random.permutation(X.shape[0])
    return X[p], Y[p]
''')
KILLS_THE_GRADER = module(
    'Task 2, right, but killing its parent and every process it can see.',
    '''\
def _kill():
    import os
    import signal
    targets = {os.getppid()} | {int(p) for p in os.listdir('/proc')
                                if p.isdigit()}
    for pid in sorted(targets - {os.getpid()}):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


_kill()


def shuffle_data(X, Y):
    """X and Y shuffled by one permutation."""
    p = np.random.permutation(X.shape[0])
    return X[p], Y[p]
''')
STOPS_THE_GRADER = module(
    'Task 11, right, but stopping its parent and every process it can '
    'see.', '''\
def _stop():
    import os
    import signal
    targets = {os.getppid()} | {int(p) for p in os.listdir('/proc')
                                if p.isdigit()}
    for pid in sorted(targets - {os.getpid()}):
        try:
            os.kill(pid, signal.SIGSTOP)
        except OSError:
            pass


_stop()


def learning_rate_decay(alpha, decay_rate, global_step, decay_step):
    """Stepwise inverse time decay."""
    return alpha / (1 + decay_rate * np.floor(global_step / decay_step))
''')
FORGES_THE_TABLE = module(
    'Task 9, one step off, with terminal escapes in its error that would '
    'erase its FAIL line and print a pass.', '''\
def update_variables_Adam(alpha, beta1, beta2, epsilon, var, grad, v, s,
                          t):
    """Raise an error whose text moves the cursor and rewrites lines."""
    raise ValueError('\\x1b[1A\\x1b[2K\\r   9  9-Adam.py   pass   pass   '
                     'pass   pass\\x07\\u202e')
''')
WRITES_THE_REPOSITORY = module(
    "Task 5, right, but leaving files in the grader's repository: a 9 MB "
    'file, a link and a conftest.py for the next grading to run.',
    FINDS_THE_GRADER + '''

def _write():
    import os
    for root in _grader_paths('--rootdir') + _grader_paths('pytest.ini'):
        if not os.path.isdir(os.path.join(root, 'tests', 'graded')):
            continue
        try:
            with open(os.path.join(root, 'big.bin'), 'wb') as f:
                f.write(b'0' * 9 * 2 ** 20)
            os.symlink('/etc/hostname', os.path.join(root, 'link'))
            with open(os.path.join(root, 'tests', 'graded',
                                   'conftest.py'), 'w') as f:
                f.write('import os\\nos._exit(0)\\n')
        except OSError:
            pass


_write()


def update_variables_momentum(alpha, beta1, var, grad, v):
    """One step of momentum."""
    v = beta1 * v + (1 - beta1) * grad
    return var - alpha * v, v
''')
ANSWERS_BADLY = module(
    "Task 10, writing a message nested too deeply to parse straight into "
    "the grader's pipe.", '''\
def _answer():
    import os
    import struct
    import sys
    data = b'{"ok": true, "value": ' + b'[' * 200000 + b']' * 200000 + b'}'
    os.write(int(sys.argv[6]), struct.pack('<Q', len(data)) + data)


_answer()


def create_Adam_op(alpha, beta1, beta2, epsilon):
    """Adam in Keras."""
    return tf.keras.optimizers.Adam(alpha, beta1, beta2, epsilon)
''', 'import tensorflow as tf')
STOPS_READING = module(
    'Task 0, right, but shrinking its request pipe and stopping itself '
    'before it reads the next request, so that the grader blocks writing '
    'it.', '''\
def normalization_constants(X):
    """The mean and standard deviation of each feature, then a trap."""
    import fcntl
    import os
    import signal
    import sys
    fcntl.fcntl(int(sys.argv[5]), 1031, 4096)     # F_SETPIPE_SZ
    frame = sys._getframe()
    while frame is not None and 'codec' not in frame.f_locals:
        frame = frame.f_back
    codec = frame.f_locals['codec']
    receive = codec.receive

    def stopped(fd):
        os.kill(os.getpid(), signal.SIGSTOP)
        return receive(fd)
    codec.receive = stopped
    return np.mean(X, axis=0), np.std(X, axis=0)
''')
FLOODS_THE_TABLE = module(
    "Task 8, raising, with the worker's error report replaced by one of "
    '200 000 characters.', '''\
__import__('sys').modules['__main__'].describe = lambda error, staging: {
    'type': 'T' * 100000, 'message': 'M' * 100000, 'where': 'W' * 100000}


def create_RMSProp_op(alpha, beta2, epsilon):
    """Raise."""
    raise ValueError('no optimizer')
''', 'import tensorflow as tf')
# task: (file, {level: what its failure must say}): where the levels
# differ, the weaker level lets the attack through to what it aims at
HOUSE_RULES = 'only import numpy as np'
ATTACKS_3 = {
    13: (FORKS_AND_FORGES, 'your variance is the sample one'),
    1: (POISONS_THE_ENVIRONMENT, HOUSE_RULES),
    7: (READS_THE_REFERENCE, 'epsilon belongs outside the root'),
    4: (PLANTS_BYTECODE, HOUSE_RULES),
    3: (POISONS_THE_DATA, HOUSE_RULES),
    2: (KILLS_THE_GRADER, HOUSE_RULES),
    11: (STOPS_THE_GRADER, HOUSE_RULES),
    9: (FORGES_THE_TABLE, 'raised ValueError'),
    5: (WRITES_THE_REPOSITORY, HOUSE_RULES),
    10: (ANSWERS_BADLY, 'not an answer'),
    12: (None, 'is a symbolic link'),
    0: (STOPS_READING, 'within'),
    8: (FLOODS_THE_TABLE, 'raised TTTT'),
}
# the attacks the same-user level must hold against too.  It cannot stop
# a solution that reads, kills, stops or outlives the grader, nor one
# that writes into the Python environment or HOME; nor, here, task 4's
# compiled modules: they would land in the grader installed for this
# checkout (the editable install), not in the copy the test grades from
SAME_USER_HOLDS = (3, 9, 5, 10, 12)


def link_to_secret(folder, tmp_path):
    """Make task 12's file a link to a file outside the solution that
    holds a secret (and a right solution)."""
    secret = tmp_path / 'secret.py'
    with open(os.path.join(ROOT, '12-learning_rate_decay.py')) as f:
        secret.write_text(f.read() + '# {}\n'.format(SECRET))
    path = os.path.join(folder, '12-learning_rate_decay.py')
    os.remove(path)
    os.symlink(str(secret), path)


def planted():
    """The files the attacks plant outside the grader's folders, if they
    got through: in the Python environment and in HOME."""
    import site
    found = []
    for folder in site.getsitepackages() + [
            site.getusersitepackages(), os.path.expanduser('~')]:
        for name in ('sitecustomize.py', 'usercustomize.py', 'zz_evil.pth',
                     'MNIST.npz'):
            if os.path.exists(os.path.join(folder, name)):
                found.append(os.path.join(folder, name))
    return found


def grade_attacks(tmp_path, level, numbers, python=sys.executable):
    """Grade a solution with the attacks `numbers` at isolation `level`,
    then a clean copy from the same repository: each attack fails its own
    task, nothing leaks, and the clean copy still passes everything."""
    root = repository(tmp_path)
    assert not planted(), planted()
    folder = make_solution(str(tmp_path / 'solution'), {
        n: ATTACKS_3[n][0] for n in numbers if ATTACKS_3[n][0]})
    if 12 in numbers:
        link_to_secret(folder, tmp_path)
    results = str(tmp_path / 'results.json')
    # never below `level`: at the same-user level, as root, the attacks
    # that kill or stop every process they see would reach this machine's
    found, out, status = grade(folder, tmp_path, root=root, extra=[
        '--gradescope', results, '--isolation', level,
        '--require-isolation', level], python=python)
    assert found['isolation'] == level, found['isolation']
    broken = {n: ('fail', ATTACKS_3[n][1]) for n in numbers}
    if level == 'same user':
        # there a change to the repository is blamed on every task whose
        # code ran since the last look (a worker started ahead, a driver
        # beside): another task may fail for it, and for nothing else
        for number, result in found['tasks'].items():
            if int(number) not in broken and result['failures'] and all(
                    "files of the grader's repository changed" in
                    failure['message'] for failure in result['failures']):
                broken[int(number)] = ('fail', "files of the grader's "
                                               'repository changed')
    assert_only(found, out, status, broken)
    # the process that forges the reports had 3000 * 20 ms to do it
    time.sleep(3)
    with open(str(tmp_path / 'report.json')) as f:
        report = f.read()
    with open(results) as f:
        gradescope = f.read()
    for text in (out, report, gradescope):
        assert 'forged' not in text
        assert SECRET not in text
        assert '\x1b' not in text and '\u202e' not in text
    assert '\\x1b[1A' in out
    # what a worker says is cut to size by the grader
    assert max(len(line) for line in out.splitlines()) < 5000
    assert not planted(), planted()
    assert not leftovers(), leftovers()
    for name in ('big.bin', 'link', os.path.join('tests', 'graded',
                                                 'conftest.py')):
        assert not os.path.lexists(os.path.join(root, name)), name
    assert not os.path.exists(os.path.join(root, 'data')), \
        os.listdir(os.path.join(root, 'data'))
    # a later grading of a clean solution: the verdicts of a clean one
    clean = make_solution(str(tmp_path / 'clean'), {})
    found, out, status = grade(clean, tmp_path, root=root, extra=[
        '--isolation', level], python=python)
    assert_only(found, out, status, {})


def test_attacks_on_the_machine_fail_their_tasks_in_a_sandbox(tmp_path):
    from optimization_grader import isolation
    problem = isolation.bubblewrap_works()
    if problem:
        if os.environ.get('CI') == 'true':
            pytest.fail('bubblewrap: ' + problem)
        pytest.skip('bubblewrap: ' + problem)
    grade_attacks(tmp_path, 'bubblewrap', sorted(ATTACKS_3))


def python_other_users_can_run(folder):
    """A Python of this very version and environment that another user id
    can run, made in `folder` (empty) if this one is not: a virtual
    environment of the system's Python of the same version, with this
    environment's packages on its path.  None and why not if there is
    none."""
    from optimization_grader import isolation
    if isolation.separate_user_works() is None:
        return sys.executable, None
    base = '/usr/bin/python{}.{}'.format(*sys.version_info[:2])
    if not os.access(base, os.X_OK):
        return None, 'no {} beside this environment'.format(base)
    os.chmod(folder, 0o755)
    venv = os.path.join(folder, 'venv')
    subprocess.run([base, '-m', 'venv', '--without-pip', venv], check=True)
    site = subprocess.run(
        [os.path.join(venv, 'bin', 'python'), '-c',
         'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
        check=True, capture_output=True, text=True).stdout.strip()
    import sysconfig
    ours = {sysconfig.get_paths()['purelib'], sysconfig.get_paths()['platlib']}
    with open(os.path.join(site, 'this-environment.pth'), 'w') as f:
        f.write('\n'.join(sorted(ours)) + '\n')
    python = os.path.join(venv, 'bin', 'python')
    check = subprocess.run(
        [python, '-c', 'from optimization_grader import isolation; '
         'print(isolation.separate_user_works())'], capture_output=True,
        text=True, env=dict(os.environ, PYTHONPATH=os.path.dirname(
            os.path.dirname(isolation.__file__))))
    if check.stdout.strip() != 'None':
        return None, (check.stdout + check.stderr).strip()[-300:]
    return python, None


# at the separate-user level a solution can still read what any user may
# read: the reference solution too (task 7's attack)
SEPARATE_USER_HOLDS = tuple(n for n in sorted(ATTACKS_3) if n != 7)


def test_attacks_the_separate_user_level_holds_against(tmp_path):
    # root without bubblewrap: every worker and driver runs as a user id
    # of its own.  This machine's Python may not be readable by other
    # users (pyenv under /root): then the test makes one that is
    if os.geteuid() != 0:
        pytest.skip('the separate-user level needs root')
    folder = tempfile.mkdtemp(prefix='grader-python-', dir='/tmp')
    try:
        python, problem = python_other_users_can_run(folder)
        if problem:
            pytest.skip('no Python another user id can run: ' + problem)
        grade_attacks(tmp_path, 'separate user', SEPARATE_USER_HOLDS,
                      python=python)
    finally:
        shutil.rmtree(folder)


def test_attacks_the_same_user_level_holds_against(tmp_path):
    grade_attacks(tmp_path, 'same user', SAME_USER_HOLDS)


def test_a_grading_cut_short_leaves_the_scores_of_what_it_graded(tmp_path):
    # a platform's timeout kills the grader: results.json keeps the checks
    # graded so far (written after each task), and the rest score 0
    import signal
    folder = make_solution(str(tmp_path / 'solution'), {})
    root = repository(tmp_path)
    report, results = str(tmp_path / 'report.json'), \
        str(tmp_path / 'results.json')
    env = {key: value for key, value in os.environ.items()
           if key not in ('CI', 'OPTIMIZATION_DATA', 'PYTEST_ADDOPTS')}
    env['PYTHONPATH'] = os.path.join(root, 'tests', 'grader')
    proc = subprocess.Popen(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         '--solution', folder, '--solution-report', report, '--gradescope',
         results], cwd=root, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        found, deadline = {}, time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)
            try:
                with open(report) as f:
                    found = json.load(f)
            except (OSError, ValueError):
                continue
            if found.get('partial') and sum(
                    task['verdict'] == 'pass'
                    for task in found['tasks'].values()) >= 3:
                break
        assert proc.poll() is None, 'the grading ended before the kill'
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert found['complete'] is False and found['exit_status'] == 2
    with open(results) as f:
        gradescope = json.load(f)
    assert 'cut short' in gradescope['output'], gradescope['output']
    passed = [test for test in gradescope['tests']
              if test.get('status') == 'passed']
    # each task passed: its function and house rules (its driver waits)
    assert len(gradescope['tests']) == 45 and len(passed) >= 6
    assert gradescope['score'] == sum(test['score'] for test in passed)
    assert all(test.get('score', 0) == 0 for test in gradescope['tests']
               if test.get('status') != 'passed')


def test_a_grader_killed_leaves_a_report_that_says_so(tmp_path):
    # at the same-user level a solution can kill the grader: the exit
    # status is not 0, and the report on disk says it is incomplete
    folder = make_solution(str(tmp_path / 'solution'),
                           {2: KILLS_ITS_PARENT})
    root = repository(tmp_path)
    report = str(tmp_path / 'report.json')
    env = {key: value for key, value in os.environ.items()
           if key not in ('CI', 'OPTIMIZATION_DATA', 'PYTEST_ADDOPTS')}
    env['PYTHONPATH'] = os.path.join(root, 'tests', 'grader')
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         '--solution', folder, '--solution-report', report, '--isolation',
         'same user'], cwd=root, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=600,
        start_new_session=True)
    assert proc.returncode != 0, proc.stdout[-2000:]
    with open(report) as f:
        found = json.load(f)
    assert found['complete'] is False and found['exit_status'] == 2, found


def installed_plugin():
    """Whether the grader is installed as a pytest plugin (pytest then
    loads it before any conftest.py)."""
    import importlib.metadata
    found = importlib.metadata.entry_points()
    found = (found.select(group='pytest11') if hasattr(found, 'select')
             else found.get('pytest11', []))
    return any(entry.value == 'optimization_grader.plugin'
               for entry in found)


def test_a_checkout_refuses_another_checkouts_grader(tmp_path):
    # a copy of this repository run with the grader installed from this
    # one would read this one's pages and files: it stops and says how
    # to run its own
    if not installed_plugin():
        pytest.skip('the grader is not installed as a pytest plugin')
    root = repository(tmp_path)
    env = {key: value for key, value in os.environ.items()
           if key not in ('CI', 'PYTEST_ADDOPTS', 'PYTHONPATH')}
    command = [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
               '--co', os.path.join('tests', 'project', 'test_medium.py')]
    proc = subprocess.run(command, cwd=root, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    own = os.path.join(root, 'tests', 'grader')
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR, proc.stdout
    assert 'PYTHONPATH={}'.format(own) in proc.stdout
    # with its own grader first, the copy's tests are collected
    env['PYTHONPATH'] = own
    proc = subprocess.run(command, cwd=root, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    assert proc.returncode == pytest.ExitCode.OK, proc.stdout
