"""The course's house rules, as its checker applies them.

Every numbered file and driver: first line `#!/usr/bin/env python3`, a
newline at the end, executable, pycodestyle 2.11.1 clean, docstrings on
the module and on every function and class.  Numbered files: the spec's
file, function and argument names, and imports of numpy as np and/or
tensorflow as tf only, each used.
"""
import ast
import glob
import inspect
import os

import pycodestyle
import pytest

from conftest import ROOT, task

# file: (function, arguments), as the spec writes them
SPEC = {
    '0-norm_constants': ('normalization_constants', 'X'),
    '1-normalize': ('normalize', 'X, m, s'),
    '2-shuffle_data': ('shuffle_data', 'X, Y'),
    '3-mini_batch': ('create_mini_batches', 'X, Y, batch_size'),
    '4-moving_average': ('moving_average', 'data, beta'),
    '5-momentum': ('update_variables_momentum', 'alpha, beta1, var, grad, v'),
    '6-momentum': ('create_momentum_op', 'alpha, beta1'),
    '7-RMSProp': ('update_variables_RMSProp',
                  'alpha, beta2, epsilon, var, grad, s'),
    '8-RMSProp': ('create_RMSProp_op', 'alpha, beta2, epsilon'),
    '9-Adam': ('update_variables_Adam',
               'alpha, beta1, beta2, epsilon, var, grad, v, s, t'),
    '10-Adam': ('create_Adam_op', 'alpha, beta1, beta2, epsilon'),
    '11-learning_rate_decay': ('learning_rate_decay',
                               'alpha, decay_rate, global_step, decay_step'),
    '12-learning_rate_decay': ('learning_rate_decay',
                               'alpha, decay_rate, decay_step'),
    '13-batch_norm': ('batch_norm', 'Z, gamma, beta, epsilon'),
    '14-batch_norm': ('create_batch_norm_layer', 'prev, n, activation'),
}
ALLOWED = {'numpy': 'np', 'tensorflow': 'tf'}
# what the documented drivers import, plus the drivers' helper module
DRIVER_IMPORTS = {'numpy', 'tensorflow', 'matplotlib.pyplot', 'random', 'os',
                  'course'}
NUMBERED = sorted(glob.glob(os.path.join(ROOT, '[0-9]*-*.py')))
DRIVERS = sorted(glob.glob(os.path.join(ROOT, 'mains', '*.py')))
ALL = NUMBERED + DRIVERS


def name(path):
    return os.path.relpath(path, ROOT)


def test_every_task_has_its_file():
    assert sorted(os.path.basename(p)[:-3] for p in NUMBERED) == sorted(SPEC)
    assert sorted(os.path.basename(p) for p in DRIVERS) == sorted(
        ['{}-main.py'.format(n) for n in range(15)] + ['course.py'])


@pytest.mark.parametrize('path', ALL, ids=name)
def test_shebang_newline_executable(path):
    with open(path, 'rb') as f:
        content = f.read()
    assert content.split(b'\n', 1)[0] == b'#!/usr/bin/env python3'
    assert content.endswith(b'\n')
    assert os.access(path, os.X_OK)


def test_pycodestyle():
    style = pycodestyle.StyleGuide(quiet=True)
    assert pycodestyle.__version__ == '2.11.1'
    report = style.check_files(ALL)
    assert report.total_errors == 0, report.get_statistics()


@pytest.mark.parametrize('path', ALL, ids=name)
def test_docstrings(path):
    with open(path) as f:
        tree = ast.parse(f.read())
    assert ast.get_docstring(tree), 'module docstring'
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            assert ast.get_docstring(node), node.name


@pytest.mark.parametrize('module', sorted(SPEC))
def test_spec_names_and_docstrings_as_the_checker_reads_them(module):
    function, arguments = SPEC[module]
    imported = task(module)
    assert len(imported.__doc__.strip()) > 10
    assert len(getattr(imported, function).__doc__.strip()) > 10
    assert str(inspect.signature(getattr(imported, function))) == \
        '({})'.format(arguments)


@pytest.mark.parametrize('path', NUMBERED, ids=name)
def test_numbered_file_imports(path):
    with open(path) as f:
        source = f.read()
    tree = ast.parse(source)
    imports = [node for node in ast.walk(tree)
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    for node in imports:
        assert isinstance(node, ast.Import), ast.dump(node)
        for alias in node.names:
            assert ALLOWED.get(alias.name) == alias.asname, alias.name
            used = {n.value.id for n in ast.walk(tree)
                    if isinstance(n, ast.Attribute)
                    and isinstance(n.value, ast.Name)}
            assert alias.asname in used, 'unused import ' + alias.name
    if os.path.basename(path) == '3-mini_batch.py':
        assert ("shuffle_data = __import__('2-shuffle_data').shuffle_data"
                in source)


@pytest.mark.parametrize('path', [p for p in DRIVERS if p.endswith('main.py')],
                         ids=name)
def test_driver_imports(path):
    with open(path) as f:
        tree = ast.parse(f.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            pytest.fail('from-import in ' + name(path))
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name in DRIVER_IMPORTS, alias.name
