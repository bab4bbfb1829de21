"""Load the numbered modules of the folder under test, safely.

The folder under test is this repository, or a student's solution given
with `python3 -m pytest --solution PATH`.  Tests reach its functions only
through `function(module, name)`, a stand-in that imports the module on
first call, so that a broken file fails the checks of its own task and
nothing else:
- a missing file, a syntax or import error, a missing function, a module
  or function that never returns (past TIME_LIMIT seconds), or one that
  returns None or a generator raises GradingError with a one-line reason;
- a module or function that hangs once is not called again.

`reference(module)` is this repository's module, the independent
reference that some checks compare a solution with (task 12 against 11,
task 14 against 13, the Keras optimizers against the numpy rules).
"""
import contextlib
import importlib.util
import inspect
import io
import os
import signal
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIME_LIMIT = 30         # seconds, for one import or one call

# task: (file stem, function, arguments), as the spec writes them
SPEC = {
    0: ('0-norm_constants', 'normalization_constants', 'X'),
    1: ('1-normalize', 'normalize', 'X, m, s'),
    2: ('2-shuffle_data', 'shuffle_data', 'X, Y'),
    3: ('3-mini_batch', 'create_mini_batches', 'X, Y, batch_size'),
    4: ('4-moving_average', 'moving_average', 'data, beta'),
    5: ('5-momentum', 'update_variables_momentum',
        'alpha, beta1, var, grad, v'),
    6: ('6-momentum', 'create_momentum_op', 'alpha, beta1'),
    7: ('7-RMSProp', 'update_variables_RMSProp',
        'alpha, beta2, epsilon, var, grad, s'),
    8: ('8-RMSProp', 'create_RMSProp_op', 'alpha, beta2, epsilon'),
    9: ('9-Adam', 'update_variables_Adam',
        'alpha, beta1, beta2, epsilon, var, grad, v, s, t'),
    10: ('10-Adam', 'create_Adam_op', 'alpha, beta1, beta2, epsilon'),
    11: ('11-learning_rate_decay', 'learning_rate_decay',
         'alpha, decay_rate, global_step, decay_step'),
    12: ('12-learning_rate_decay', 'learning_rate_decay',
         'alpha, decay_rate, decay_step'),
    13: ('13-batch_norm', 'batch_norm', 'Z, gamma, beta, epsilon'),
    14: ('14-batch_norm', 'create_batch_norm_layer', 'prev, n, activation'),
}
TASK = {stem: n for n, (stem, _, _) in SPEC.items()}

# the folder under test; conftest sets it before the tests are collected
folder = ROOT
_modules = {}           # stem -> module, or GradingError
_hung = {}              # stem -> reason, for a module or function that hung


class GradingError(Exception):
    """A solution's file or function cannot be checked; the one-line why."""


class TimedOut(GradingError):
    """A module or function of the solution did not return in time."""


class TimeLimit(BaseException):
    """Raised by the alarm; a BaseException so that `except Exception` in
    the code under test cannot swallow it."""


@contextlib.contextmanager
def time_limit(seconds, what):
    """Raise TimedOut if the block runs longer than `seconds`."""
    if not hasattr(signal, 'setitimer'):        # no alarms: no limit
        yield
        return

    def alarm(signum, frame):
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TimeLimit:
        raise TimedOut('{} did not return within {} s'.format(
            what, seconds)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def path(stem):
    """The path of numbered file `stem` in the folder under test."""
    return os.path.join(folder, stem + '.py')


def _import(stem):
    file = path(stem)
    if not os.path.isfile(file):
        raise GradingError('{}.py: no such file in {}'.format(stem, folder))
    with open(file, 'rb') as f:
        source = f.read()
    if b'tensorflow' in source:
        # TensorFlow's own first import takes seconds: not the solution's
        import tensorflow  # noqa: F401
    try:
        with time_limit(TIME_LIMIT, 'importing {}.py'.format(stem)):
            return importlib.import_module(stem)
    except GradingError:
        raise
    except SyntaxError as e:
        raise GradingError('{}.py does not compile: {} (line {})'.format(
            stem, e.msg, e.lineno)) from None
    except BaseException as e:
        if isinstance(e, KeyboardInterrupt):
            raise
        raise GradingError('importing {}.py raised {}'.format(
            stem, one_line(e))) from None


def load(stem):
    """Import and return module `stem` of the folder under test.

    Raises GradingError, the same one each time, if it cannot be loaded.
    """
    if stem not in _modules:
        try:
            _modules[stem] = _import(stem)
        except GradingError as e:
            _modules[stem] = e
            if isinstance(e, TimedOut):
                _hung[stem] = '{} (not imported again)'.format(e)
    if isinstance(_modules[stem], GradingError):
        raise _modules[stem]
    return _modules[stem]


class Function:
    """Stand-in for function `name` of module `stem` of the folder under
    test: imports on first call, limits the time, checks the result."""

    def __init__(self, stem, name):
        self.stem, self.name = stem, name

    def resolve(self):
        """The real function, or GradingError."""
        module = load(self.stem)
        found = getattr(module, self.name, None)
        if not callable(found):
            raise GradingError('{}.py has no function {}'.format(
                self.stem, self.name))
        return found

    def __call__(self, *args, **kwargs):
        if self.stem in _hung:
            raise GradingError(_hung[self.stem])
        real = self.resolve()
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed), \
                    time_limit(TIME_LIMIT, self.name):
                result = real(*args, **kwargs)
        except TimedOut as e:
            _hung[self.stem] = '{} (not called again)'.format(e)
            raise
        if result is None:
            raise GradingError('{} returned None{}'.format(
                self.name, ' and printed instead: {!r}'.format(
                    printed.getvalue()[:60]) if printed.getvalue() else ''))
        if inspect.isgenerator(result):
            raise GradingError('{} returned a generator, not the values '
                               'themselves'.format(self.name))
        return result


def hung(stem):
    """Why module `stem` is not imported or called again (it hung), or
    None."""
    return _hung.get(stem)


def function(stem, name=None):
    """The function of numbered module `stem` in the folder under test
    (by default the spec's function of that module), loaded lazily."""
    return Function(stem, name or SPEC[TASK[stem]][1])


def reference(stem):
    """This repository's module `stem`, under a private name, so that it
    never stands in for the solution's module of the same name."""
    name = 'reference_' + stem.replace('-', '_')
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, os.path.join(ROOT, stem + '.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return sys.modules[name]


def one_line(error, limit=200):
    """An exception as one line: its type, the first lines of its text,
    and the last line of a numbered file under test that it came from."""
    if isinstance(error, GradingError):
        text = str(error)
    else:
        # numpy's assertion texts end with the arrays: keep the summary
        lines = [line.strip() for line in str(error).splitlines()
                 if line.strip() and not line.lstrip().startswith(
                     ('First ', 'x:', 'y:', 'ACTUAL', 'DESIRED', '[', '+'))]
        if len(lines) > 1 and lines[1].startswith('assert '):
            lines = lines[:1]       # pytest's rewrite of a messaged assert
        text = ': '.join([type(error).__name__, '; '.join(lines[:3])][
            :1 + bool(lines)])
        tb, where = error.__traceback__, None
        while tb is not None:
            file = tb.tb_frame.f_code.co_filename
            if (os.path.dirname(os.path.abspath(file)) == folder
                    and os.path.basename(file)[:1].isdigit()):
                where = '{}, line {}'.format(os.path.basename(file),
                                             tb.tb_lineno)
            tb = tb.tb_next
        if where:
            text += ' (in {})'.format(where)
    return text if len(text) <= limit else text[:limit - 3] + '...'
