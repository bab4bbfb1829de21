"""The course's house rules, as its checker applies them.

Every numbered file (graded, task by task) and every driver (this
project's): first line `#!/usr/bin/env python3`, a newline at the end,
executable, pycodestyle 2.11.1 clean, docstrings on the module and on
every function and class.  Numbered files: the spec's function, with the
spec's number of arguments, docstrings as the checker reads them
(`__import__('N-name').__doc__`), and imports of numpy as np and/or
tensorflow as tf only, each used; task 3 gets shuffle_data through
`__import__('2-shuffle_data')`.
"""
import ast
import glob
import inspect
import os

import pycodestyle
import pytest

from grading import ROOT, SPEC, GradingError, load, path

ALLOWED = {'numpy': 'np', 'tensorflow': 'tf'}
# what the documented drivers import, plus the drivers' helper module
DRIVER_IMPORTS = {'numpy', 'tensorflow', 'matplotlib.pyplot', 'random', 'os',
                  'course'}
DRIVERS = sorted(glob.glob(os.path.join(ROOT, 'mains', '*.py')))


def per_task():
    """One parameter a task, marked with it: the file's stem."""
    return [pytest.param(stem, id=stem, marks=pytest.mark.task(n))
            for n, (stem, _, _) in sorted(SPEC.items())]


def per_driver():
    return [pytest.param(p, id=os.path.relpath(p, ROOT),
                         marks=pytest.mark.project) for p in DRIVERS]


def source(file):
    """The bytes of a file; GradingError if it is missing."""
    if not os.path.isfile(file):
        raise GradingError('{}: no such file in {}'.format(
            os.path.basename(file), os.path.dirname(file)))
    with open(file, 'rb') as f:
        return f.read()


def parse(file):
    """The syntax tree of a file; GradingError if it does not compile."""
    try:
        return ast.parse(source(file).decode('utf-8'))
    except (SyntaxError, UnicodeDecodeError) as e:
        raise GradingError('{} does not compile: {}'.format(
            os.path.basename(file), e)) from None


def check_file(file):
    content = source(file)
    name = os.path.basename(file)
    assert content.split(b'\n', 1)[0].rstrip(b'\r') == \
        b'#!/usr/bin/env python3' and not content.startswith(
            b'#!/usr/bin/env python3\r'), \
        '{}: the first line must be exactly #!/usr/bin/env python3'.format(
            name)
    assert content.endswith(b'\n'), '{}: no newline at the end'.format(name)
    assert os.access(file, os.X_OK), '{} is not executable'.format(name)


def check_style(file):
    source(file)
    assert pycodestyle.__version__ == '2.11.1'
    found = []

    class Report(pycodestyle.BaseReport):
        def error(self, line, offset, text, check):
            code = super().error(line, offset, text, check)
            if code:
                found.append('line {}: {}'.format(line, text))
            return code

    style = pycodestyle.StyleGuide(quiet=True, reporter=Report)
    report = style.check_files([file])
    assert report.total_errors == 0, 'pycodestyle: {}, {}'.format(
        os.path.basename(file), '; '.join(found[:3]))


def check_docstrings(file):
    tree = parse(file)
    name = os.path.basename(file)
    assert ast.get_docstring(tree), '{}: no module docstring'.format(name)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            assert ast.get_docstring(node), '{}: {} has no docstring'.format(
                name, node.name)


@pytest.mark.parametrize('stem', per_task())
def test_shebang_newline_executable(stem):
    check_file(path(stem))


@pytest.mark.parametrize('stem', per_task())
def test_pycodestyle(stem):
    check_style(path(stem))


@pytest.mark.parametrize('stem', per_task())
def test_docstrings(stem):
    check_docstrings(path(stem))


@pytest.mark.parametrize('stem', per_task())
def test_function_and_docstrings_as_the_checker_reads_them(stem):
    function, arguments = {s: (f, a) for s, f, a in SPEC.values()}[stem]
    module = load(stem)
    assert (module.__doc__ or '').strip(), \
        '{}.py: no module docstring'.format(stem)
    found = getattr(module, function, None)
    assert callable(found), '{}.py has no function {}'.format(stem, function)
    assert (found.__doc__ or '').strip(), \
        '{}: no function docstring'.format(function)
    # the checker calls it positionally: the number of arguments counts
    count = len(inspect.signature(found).parameters)
    assert count == len(arguments.split(', ')), \
        '{} takes {} arguments; the spec has ({})'.format(
            function, count, arguments)


@pytest.mark.parametrize('stem', per_task())
def test_imports(stem):
    tree = parse(path(stem))
    used = {n.value.id for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    allowed = 'only import numpy as np and tensorflow as tf are allowed'
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            raise AssertionError('{}.py: from {} import ...: {}'.format(
                stem, node.module, allowed))
        for alias in node.names if isinstance(node, ast.Import) else []:
            assert (alias.name in ALLOWED
                    and ALLOWED[alias.name] == alias.asname), \
                '{}.py: import {}{}: {}'.format(
                    stem, alias.name,
                    ' as ' + alias.asname if alias.asname else '', allowed)
            assert alias.asname in used, \
                '{}.py: unused import {}'.format(stem, alias.name)
    if stem == '3-mini_batch':
        assert ("shuffle_data = __import__('2-shuffle_data').shuffle_data"
                in source(path(stem)).decode('utf-8')), \
            "3-mini_batch.py must get shuffle_data through " \
            "__import__('2-shuffle_data')"


@pytest.mark.project
def test_every_task_has_its_file():
    numbered = glob.glob(os.path.join(ROOT, '[0-9]*-*.py'))
    assert sorted(os.path.basename(p)[:-3] for p in numbered) == sorted(
        stem for stem, _, _ in SPEC.values())
    assert sorted(os.path.basename(p) for p in DRIVERS) == sorted(
        ['{}-main.py'.format(n) for n in range(15)] + ['course.py'])


@pytest.mark.parametrize('file', per_driver())
def test_driver_file(file):
    check_file(file)
    check_style(file)
    check_docstrings(file)


@pytest.mark.parametrize('file', [p for p in per_driver()
                                  if p.values[0].endswith('main.py')])
def test_driver_imports(file):
    for node in ast.walk(parse(file)):
        assert not isinstance(node, ast.ImportFrom), 'from-import'
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name in DRIVER_IMPORTS, alias.name
