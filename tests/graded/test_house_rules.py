#!/usr/bin/env python3
"""The course's house rules, as its checker applies them, on every task.

What counts: first line exactly `#!/usr/bin/env python3`, a newline at
the end, executable, pycodestyle 2.11.1 clean, docstrings on the module
and on every function and class (also as `__import__('N-name').__doc__`
reads them), the spec's function with the spec's number of arguments,
only `import numpy as np` and `import tensorflow as tf`, and task 3's
`shuffle_data = __import__('2-shuffle_data').shuffle_data`.

What only warns: an import that is not used.  The course states that
rule, but its checker evidently does not enforce it (public solutions
break it almost everywhere), so the grader shows it and does not count
it.

The file is read once, before any solution code runs; only the
docstrings "as the checker reads them" import it, in its worker.
"""
import ast
import stat

import pycodestyle
import pytest

from optimization_grader.checks import CheckFailed
from optimization_grader.tasks import TASKS

ALLOWED = {'numpy': 'np', 'tensorflow': 'tf'}
SHUFFLE = "shuffle_data = __import__('2-shuffle_data').shuffle_data"


def per_task():
    return [pytest.param(n, id=TASKS[n].stem,
                         marks=pytest.mark.task(n, check='house_rules'))
            for n in sorted(TASKS)]


def text(solution):
    """The file as text; CheckFailed if it is not UTF-8."""
    data = solution.source()
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as e:
        raise CheckFailed('{}.py is not UTF-8 text (byte {})'.format(
            TASKS[solution.task].stem, e.start),
            hint='save the file as UTF-8') from None


def tree(solution):
    """The file's syntax tree; CheckFailed if it does not compile."""
    source = text(solution)
    try:
        return ast.parse(source)
    except SyntaxError as e:
        raise CheckFailed('{}.py does not compile: {} (line {})'.format(
            TASKS[solution.task].stem, e.msg, e.lineno),
            hint='run python3 {}.py to see the error'.format(
                TASKS[solution.task].stem)) from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise CheckFailed('{}.py cannot be parsed: {}'.format(
            TASKS[solution.task].stem, type(e).__name__)) from None


@pytest.mark.parametrize('n', per_task())
def test_shebang(n, solution):
    first = solution.source().split(b'\n', 1)[0]
    if first != b'#!/usr/bin/env python3':
        raise CheckFailed(
            '{}.py: the first line must be exactly #!/usr/bin/env '
            'python3'.format(TASKS[n].stem), expected='#!/usr/bin/env '
            'python3', actual=repr(first.decode('utf-8', 'replace')[:60]),
            hint='no spaces, no \\r (save with Unix line endings)'
            if first.rstrip(b'\r') == b'#!/usr/bin/env python3' else None)


@pytest.mark.parametrize('n', per_task())
def test_newline_at_the_end(n, solution):
    if not solution.source().endswith(b'\n'):
        raise CheckFailed('{}.py does not end with a newline'.format(
            TASKS[n].stem), hint='add an empty line at the end')


@pytest.mark.parametrize('n', per_task())
def test_executable(n, solution):
    solution.source()
    if not solution.mode() & stat.S_IXUSR:
        raise CheckFailed('{}.py is not executable'.format(TASKS[n].stem),
                          hint='chmod +x {}.py'.format(TASKS[n].stem))


@pytest.mark.parametrize('n', per_task())
def test_pycodestyle(n, solution):
    lines = text(solution).splitlines(True)
    assert pycodestyle.__version__ == '2.11.1', (
        'the grader needs pycodestyle 2.11.1, the course\'s; this is '
        + pycodestyle.__version__)
    found = []

    class Collect(pycodestyle.BaseReport):
        def error(self, line, offset, message, check):
            code = super().error(line, offset, message, check)
            if code:
                found.append('line {}: {}'.format(line, message))
            return code

    style = pycodestyle.StyleGuide(quiet=True, reporter=Collect)
    style.input_file(TASKS[n].stem + '.py', lines=lines)
    if found:
        raise CheckFailed('pycodestyle 2.11.1 reports {} problem{} in '
                          '{}.py: {}'.format(len(found), 's' * (
                              len(found) > 1), TASKS[n].stem,
                              '; '.join(found[:3]) + (
                                  '; ...' if len(found) > 3 else '')),
                          hint='run pycodestyle {}.py'.format(TASKS[n].stem))


@pytest.mark.parametrize('n', per_task())
def test_docstrings(n, solution):
    module = tree(solution)
    if not ast.get_docstring(module):
        raise CheckFailed('{}.py has no module docstring'.format(
            TASKS[n].stem), hint='start the file, after the shebang, with '
                                 'a """string""" that says what it is')
    for node in ast.walk(module):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)) and not ast.get_docstring(node):
            raise CheckFailed('{}.py: {} has no docstring'.format(
                TASKS[n].stem, node.name),
                hint='begin its body with a """string""" that says what it '
                     'does')


@pytest.mark.parametrize('n', per_task())
def test_function_and_docstrings_as_the_checker_reads_them(n, solution):
    info = solution.load()
    stem, function = TASKS[n].stem, TASKS[n].function
    if not str(info.get('module_doc') or '').strip():
        raise CheckFailed("__import__('{}').__doc__ is empty".format(stem),
                          hint='the module docstring must be the first '
                               'statement of the file')
    if not str(info.get('doc') or '').strip():
        raise CheckFailed("__import__('{}').{}.__doc__ is empty".format(
            stem, function), hint='the docstring must be the first '
                                  'statement of the function')
    count = len(TASKS[n].arguments)
    if info.get('parameters') is not None and info['parameters'] != count:
        raise CheckFailed('{} takes {} arguments; the spec has {} ({})'
                          .format(function, info['parameters'], count,
                                  ', '.join(TASKS[n].arguments)),
                          hint='the checker calls it with the spec\'s '
                               'arguments, in order')


@pytest.mark.parametrize('n', per_task())
def test_imports(n, solution):
    module = tree(solution)
    stem = TASKS[n].stem
    used = {node.id for node in ast.walk(module)
            if isinstance(node, ast.Name)}
    allowed = 'only import numpy as np and import tensorflow as tf'
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom):
            raise CheckFailed('{}.py: from {} import {}: {}'.format(
                stem, '.' * node.level + (node.module or ''),
                ', '.join(a.name for a in node.names), allowed),
                hint='write tf.keras.layers.Dense, not from ... import')
        for alias in node.names if isinstance(node, ast.Import) else []:
            if alias.name not in ALLOWED or \
                    alias.asname != ALLOWED[alias.name]:
                raise CheckFailed('{}.py: import {}{}: {}'.format(
                    stem, alias.name, ' as ' + alias.asname
                    if alias.asname else '', allowed),
                    hint='use numpy or tensorflow for what {} did'.format(
                        alias.name) if alias.name not in ALLOWED else
                    'write import {} as {}'.format(alias.name,
                                                   ALLOWED[alias.name]))
            if alias.asname not in used:
                solution.warn('{}.py: import {} as {} is not used (a '
                              'course rule its checker does not '
                              'enforce)'.format(stem, alias.name,
                                                alias.asname))
    if n == 3 and not any(imports_shuffle_data(node)
                          for node in ast.walk(module)):
        raise CheckFailed('3-mini_batch.py must get shuffle_data through '
                          "__import__('2-shuffle_data')",
                          expected=SHUFFLE, actual='no such line',
                          hint='the spec asks for that line (in the module '
                               'or in the function)')


def imports_shuffle_data(node):
    """Whether node is __import__('2-shuffle_data').shuffle_data, with
    either quotes."""
    return (isinstance(node, ast.Attribute) and node.attr == 'shuffle_data'
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == '__import__'
            and len(node.value.args) == 1
            and isinstance(node.value.args[0], ast.Constant)
            and node.value.args[0].value == '2-shuffle_data')
