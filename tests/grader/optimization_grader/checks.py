#!/usr/bin/env python3
"""What a graded test calls, and the messages a failed check gives.

A graded test gets a `solution` (plugin.py's fixture) bound to its task:

    result = solution.call(0.1, 0.9, var, grad, v)      # in the worker
    result.close((var_expected, v_expected), rtol=1e-15)

call() and probe() send the arguments to the task's worker and return
what it sent back, as plain data; every comparison happens here, in the
grader's process.  A failed check raises CheckFailed, which says, in the
manner of check50: what was called and with what, what was expected and
what came back (for arrays: the first differing element, its index, both
values, and how many elements differ), and a hint: the known mistake the
result matches (its task's mistakes, tasks.TASKS), else the test's own
hint.
"""
import math

import numpy as np

from .codec import Opaque, type_name
from .failure import CheckFailed
from .tasks import TASKS, required_inputs


def escape(text):
    """text with every character that is not printable (controls such as
    ESC, CR, NUL, BEL; format characters such as U+202E; line and
    paragraph separators) written as an escape, \\x1b: what a solution
    produced can then neither move the cursor, erase a line nor reorder
    the text it is shown in."""
    text = str(text)
    if text.isprintable():
        return text
    found = []
    for c in text:
        if c.isprintable():
            found.append(c)
        elif ord(c) < 0x100:
            found.append('\\x{:02x}'.format(ord(c)))
        elif ord(c) < 0x10000:
            found.append('\\u{:04x}'.format(ord(c)))
        else:
            found.append('\\U{:08x}'.format(ord(c)))
    return ''.join(found)


def escaped(tree):
    """A copy of a report's tree (dicts, lists, strings...) with every
    string escape()d."""
    if isinstance(tree, str):
        return escape(tree)
    if isinstance(tree, dict):
        return {escape(k): escaped(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return [escaped(v) for v in tree]
    return tree


# -------------------------------------------------------------- showing

def show(value, limit=12):
    """A value in a few words: small arrays in full, large ones by shape."""
    if isinstance(value, Opaque):
        return 'a {}'.format(value.type_name) if value.type_name != \
            'generator' else 'a generator'
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return repr(value.item())
        if value.size <= limit:
            text = np.array2string(value, precision=10, separator=', ',
                                   max_line_width=10 ** 6)
            return 'array({}{})'.format(' '.join(text.split()), '' if (
                value.dtype == float or value.dtype == int) else
                ', dtype={}'.format(value.dtype))
        return 'a {} array of shape {}'.format(value.dtype, value.shape)
    if isinstance(value, np.generic):
        return 'np.{}({!r})'.format(type(value).__name__, value.item())
    if isinstance(value, (list, tuple)):
        brackets = '[]' if isinstance(value, list) else '()'
        if len(value) > limit or any(isinstance(v, np.ndarray) and v.size >
                                     limit for v in value):
            return 'a {} of {} {}'.format(
                type(value).__name__, len(value), 'items')
        inner = ', '.join(show(v, limit) for v in value)
        if isinstance(value, tuple) and len(value) == 1:
            inner += ','
        return brackets[0] + inner + brackets[1]
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return '{' + ', '.join('{}: {}'.format(k, show(v, limit))
                               for k, v in list(value.items())[:8]) + '}'
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + '...'


def kind(value):
    """The type of a value as a student would name it."""
    if isinstance(value, Opaque):
        return value.type_name
    if isinstance(value, np.ndarray):
        return 'numpy.ndarray'
    if isinstance(value, np.generic):
        return 'numpy.' + type(value).__name__
    return type_name(value)


def called(task, args, about=None):
    """'normalize(X=..., m=..., s=...)': a call in words."""
    names = TASKS[task].arguments
    shown = about or ', '.join('{}={}'.format(name, show(arg))
                               for name, arg in zip(names, args))
    return '{}({})'.format(TASKS[task].function, shown)


# ----------------------------------------------------------- comparing

def _numeric(value):
    """value as a numeric ndarray, or None if it is not one."""
    if isinstance(value, Opaque) or isinstance(value, (str, bytes, dict)):
        return None
    if isinstance(value, (list, tuple)) and any(
            isinstance(v, (list, tuple, np.ndarray)) for v in value):
        try:
            value = np.array(value, dtype=float)
        except (ValueError, TypeError):
            return None
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        return None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number)
                                     or array.dtype == bool):
        return None
    return array


def difference(actual, desired, rtol, atol=0.0):
    """Why `actual` is not `desired` within the tolerance, in words, or
    None if it is.  `desired` is an array or a number."""
    desired = np.asarray(desired)
    got = _numeric(actual)
    if got is None:
        return 'a {}, not numbers'.format(kind(actual))
    if got.shape != desired.shape:
        return '{} of shape {}, not {}'.format(
            'an array' if isinstance(actual, np.ndarray) else
            'a ' + kind(actual), got.shape, desired.shape)
    if np.iscomplexobj(got) and not np.iscomplexobj(desired):
        return 'complex numbers'
    with np.errstate(invalid='ignore', over='ignore'):
        ok = np.isclose(got.astype(float), desired.astype(float), rtol=rtol,
                        atol=atol, equal_nan=True)
    if ok.all():
        return None
    bad = np.argwhere(~ok)
    index = tuple(int(i) for i in bad[0])
    a, d = got[index] if got.ndim else got, \
        desired[index] if desired.ndim else desired
    where = ' at index {}'.format(list(index)) if got.ndim else ''
    text = '{!r} where {!r} was expected{}'.format(
        _number(a), _number(d), where)
    if got.size > 1:
        text += '; {} of {} elements differ'.format(len(bad), got.size)
    if d != 0 and np.isfinite(d) and np.isfinite(a):
        text += ' (relative difference {:.2g})'.format(abs(a - d) / abs(d))
    return text


def _number(x):
    x = x.item() if isinstance(x, (np.generic, np.ndarray)) else x
    return float(x) if isinstance(x, (int, float)) and not isinstance(
        x, bool) else x


def _tolerance(rtol, atol):
    if not rtol and not atol:
        return 'exactly'
    parts = (['rtol {:g}'.format(rtol)] if rtol else []) + (
        ['atol {:g}'.format(atol)] if atol else [])
    return 'within ' + ', '.join(parts)


def structure(actual, count, names):
    """Why `actual` is not `count` returned values (None if it is)."""
    if count == 1:
        return None
    if not isinstance(actual, (tuple, list)) or isinstance(actual, str):
        return 'a {}, not {} values ({})'.format(
            kind(actual), count, ', '.join(names))
    if len(actual) != count:
        return '{} values, not {} ({})'.format(len(actual), count,
                                               ', '.join(names))
    return None


def matches(actual, wrong, rtol, atol):
    """Whether actual equals a mistake's result (same structure)."""
    if wrong is None:
        return False
    if isinstance(wrong, (tuple, list)) and not _flat(wrong):
        if not isinstance(actual, (tuple, list)) or \
                len(actual) != len(wrong):
            return False
        return all(matches(a, w, rtol, atol) for a, w in zip(actual, wrong))
    try:
        return difference(actual, wrong, rtol, atol) is None
    except (ValueError, TypeError):
        return False


def _flat(values):
    return all(isinstance(v, (int, float, np.number)) for v in values)


def known_mistake(task, inputs, actual, rtol, atol, part=None,
                  desired=None):
    """The hint of the first known mistake of task that actual matches
    and the right result (desired) does not: a mistake that gives the
    right answer on these inputs says nothing.  Exact matches are tried
    first (a mistake of the last digit), then within the check's
    tolerance or 1e-6.  `part` picks from a mistake's result what actual
    is."""
    results = []
    for mistake in TASKS[task].mistakes:
        if not set(required_inputs(mistake)) <= set(inputs):
            continue        # this check cannot tell: it lacks an input
        try:
            with np.errstate(all='ignore'):
                wrong = mistake.result(**inputs)
                if part is not None and wrong is not None:
                    wrong = part(wrong)
        except (TypeError, KeyError, ValueError, ZeroDivisionError,
                IndexError, AttributeError, OverflowError):
            continue
        results.append((mistake.hint, wrong))
    for tolerance in ((0, 0), (max(rtol, 1e-6), max(atol, 1e-12))):
        for hint, wrong in results:
            if matches(actual, wrong, *tolerance) and not (
                    desired is not None and matches(desired, wrong,
                                                    *tolerance)):
                return hint
    return None


class Result:
    """What a call of the solution's function returned, and its inputs.

    For a probe, value is the probe's report, and `extra` the probe's own
    inputs (e.g. the variable and gradients an optimizer was given)."""

    def __init__(self, task, args, value, printed, about=None, extra=None):
        self.task, self.args, self.value = task, args, value
        self.printed, self.about = printed, about
        self.extra = extra or {}

    @property
    def inputs(self):
        return dict(zip(TASKS[self.task].arguments, self.args), **self.extra)

    def called(self):
        return called(self.task, self.args, self.about)

    def fail(self, message, expected=None, actual=None, hint=None):
        """Raise CheckFailed for this call."""
        raise CheckFailed('{} {}'.format(self.called(), message),
                          expected, actual, hint, self.called())

    def parts(self, count):
        """The returned values as a list of `count`; fail if they are
        not."""
        names = TASKS[self.task].returns
        wrong = structure(self.value, count, names)
        if wrong:
            self.fail('returned {}'.format(wrong),
                      expected='{} values: {}'.format(count, ', '.join(
                          names)), actual=show(self.value),
                      hint='return them as a tuple, in the order of the '
                           'spec: return {}'.format(', '.join(names)))
        return [self.value] if count == 1 else list(self.value)

    def close(self, desired, rtol, atol=0.0, hint=None, names=None,
              actual=None, part=None):
        """Check the result against desired, a tuple for several values,
        within rtol and atol; name a known mistake if the result matches
        one.  `actual` replaces the result by what a probe measured;
        `part` picks what is compared from the result (and from each
        mistake's result), e.g. its first rows."""
        several = isinstance(desired, tuple)
        desired_parts = list(desired) if several else [desired]
        if actual is None and part is not None:
            actual = part(self.value)
        if actual is None:
            got, whole = self.parts(len(desired_parts) if several else 1), \
                self.value
        else:
            got, whole = list(actual) if several else [actual], actual
        names = names or TASKS[self.task].returns
        for i, (a, d) in enumerate(zip(got, desired_parts)):
            wrong = difference(a, d, rtol, atol)
            if wrong is None:
                continue
            name = names[i] if i < len(names) else 'value {}'.format(i + 1)
            mistake = known_mistake(
                self.task, self.inputs, whole, rtol, atol, part,
                tuple(desired_parts) if several else desired_parts[0])
            self.fail('returned a wrong {}'.format(name),
                      expected='{} = {} ({})'.format(
                          name, show(np.asarray(d)), _tolerance(rtol, atol)),
                      actual='{} = {}: {}'.format(name, show(a), wrong),
                      hint=mistake or hint)

    def array(self, shape=None, index=None):
        """The returned value (or value number `index` of several) as a
        numeric array, of `shape` if given; fail if it is not one."""
        names = TASKS[self.task].returns
        value = self.value if index is None else self.parts(len(names))[
            index]
        name = names[index or 0]
        array = _numeric(value)
        if array is None:
            self.fail('returned {} = {}, not numbers'.format(
                name, show(value)), hint='return a numpy.ndarray')
        if shape is not None and array.shape != tuple(shape):
            self.fail('returned {} of shape {}'.format(name, array.shape),
                      expected='shape {}'.format(tuple(shape)),
                      actual='shape {}'.format(array.shape))
        return array

    def equal(self, desired, hint=None):
        """Check the result is desired, exactly."""
        self.close(desired, 0, 0, hint)


def check_float(value):
    """Whether value is a real number (a Python or numpy float/int)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and \
        not isinstance(value, bool) and math.isfinite(float(value))
