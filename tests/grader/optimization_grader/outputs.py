#!/usr/bin/env python3
"""Compare a driver's output with its documented output, number by number.

The documented outputs (tests/expected/N-main.txt) are the spec's text,
copied verbatim.  A line of just '...' there stands for lines the spec
left out; blank lines are ignored.  Every other line must appear in the
actual output, in order, with each block between two '...' lines
contiguous.  Two lines match when their text is the same once the
numbers and white space are taken out (an integer and a float literal
differ), and each pair of numbers is within the tolerance:
|actual - expected| <= atol + rtol * |expected| (nan matches nan).
"""
import re

import numpy as np

# numpy 2 prints a numpy scalar as np.float64(72.0) where numpy 1.25.2,
# the course's, prints 72.0
NUMPY_REPR = re.compile(
    r'\bnp\.(?:float|int|uint|complex)(?:16|32|64|128)?\(([^()]*)\)'
    r'|\bnp\.(?:bool|bool_|str_)\(([^()]*)\)')

NUMBER = re.compile(r'[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf')


def kind(match):
    """'#' for an integer literal, '#.' for a float: numpy prints 5 and 5.
    for the same value in an int and a float array."""
    return '#.' if re.search(r'[.eEna]', match.group()) else '#'


def split(line):
    """Return the text of a line without numbers or spaces, and its numbers.

    Each number stands in the text as its kind, so that an integer printed
    as a float (5. for 5) does not match.
    """
    text = re.sub(r'\s+', '', NUMBER.sub(kind, line))
    return text, [float(x) for x in NUMBER.findall(line)]


def blocks(text):
    """Split documented output into blocks of non-blank lines at '...'."""
    found = [[]]
    for line in text.splitlines():
        if line.strip() == '...':
            found.append([])
        elif line.strip():
            found[-1].append(line)
    return found


def plain_numbers(text):
    """text with numpy 2's reprs of numpy scalars (np.float64(72.0)) as
    numpy 1.25.2 prints them (72.0); and whether there were any."""
    plain, count = NUMPY_REPR.subn(
        lambda m: m.group(1) if m.group(1) is not None else m.group(2),
        text)
    return plain, bool(count)


def line_errors(actual, expected, rtol, atol):
    """Return why line `actual` does not match `expected` ([] if it does)."""
    (text_a, nums_a), (text_e, nums_e) = split(actual), split(expected)
    if text_a != text_e or len(nums_a) != len(nums_e):
        return ['printed {!r} where the spec prints {!r}'.format(
            short(actual.strip()), short(expected.strip()))]
    errors = []
    for a, e in zip(nums_a, nums_e):
        if np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True):
            continue
        relative = ' (relative difference {:.2g})'.format(
            abs(a - e) / abs(e)) if e and np.isfinite(e) and \
            np.isfinite(a) else ''
        errors.append('printed {!r} where the spec prints {!r}, in {!r}{}; '
                      'tolerance {}'.format(a, e, short(expected.strip()),
                                            relative, tolerance(rtol, atol)))
    return errors


def short(line, limit=70):
    return line if len(line) <= limit else line[:limit - 3] + '...'


def tolerance(rtol, atol):
    if not rtol and not atol:
        return 'none (exact)'
    return ', '.join((['rtol {:g}'.format(rtol)] if rtol else [])
                     + (['atol {:g}'.format(atol)] if atol else []))


def cut(text, stop):
    """Return text up to its `stop[1]`-th line that matches `stop[0]`."""
    kept, seen = [], 0
    for line in text.splitlines():
        kept.append(line)
        if re.search(stop[0], line):
            seen += 1
            if seen == stop[1]:
                break
    return '\n'.join(kept) + '\n'


def block_errors(actual, start, block, rtol, atol):
    """Return why block does not stand at actual[start:] ([] if it does)."""
    window = actual[start:start + len(block)]
    if len(window) < len(block):
        return ['the output ends after {} lines, before {!r}'.format(
            len(actual), short(block[len(window)].strip()))]
    return [error for a, e in zip(window, block)
            for error in line_errors(a, e, rtol, atol)]


def compare(actual_text, expected_text, rtol, atol=0.0):
    """Return the differences between actual and documented output.

    An empty list means the output matches.
    """
    actual = [line for line in actual_text.splitlines() if line.strip()]
    parts = blocks(expected_text)
    open_start, open_end = not parts[0], not parts[-1]
    pos = 0
    for k, block in enumerate(part for part in parts if part):
        if k == 0 and not open_start:
            starts = [0]
        else:
            starts = range(pos, max(pos, len(actual) - len(block)) + 1)
        tries = [(start, block_errors(actual, start, block, rtol, atol))
                 for start in starts]
        found = [start for start, errors in tries if not errors]
        if not found:
            closest = min((errors for _, errors in tries), key=len)
            return [closest[0] + ('' if len(closest) == 1 else
                                  ' (and {} more differences)'.format(
                                      len(closest) - 1))]
        pos = found[0] + len(block)
    if not open_end and pos != len(actual):
        return ['printed {} lines more than the spec, from {!r}'.format(
            len(actual) - pos, short(actual[pos].strip()))]
    return []
