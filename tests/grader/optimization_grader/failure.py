#!/usr/bin/env python3
"""One failed check, as it travels from the check that found it to every
report (as check50's Failure and Mismatch payloads do).

A check raises CheckFailed, which carries a Failure; outcomes.py records
that same Failure, adding only where it was found (check, test) and how
many checks failed like it; report.py's writers read its fields and its
one_line(), and json_report() is the only place it becomes a dict.
"""
import dataclasses
from typing import Optional


@dataclasses.dataclass(frozen=True)
class Failure:
    """What was called, what was expected and what came back, and a hint:
    the known mistake the numbers show, or what to look at."""
    message: str
    called: Optional[str] = None
    expected: Optional[str] = None
    actual: Optional[str] = None
    hint: Optional[str] = None
    # where it was found, set when it is recorded
    check: Optional[str] = None
    test: Optional[str] = None
    also_failed: int = 0

    def one_line(self):
        """The failure as one line, nothing cut before the difference."""
        text = self.message
        if self.expected is not None or self.actual is not None:
            text += ': expected {}, got {}'.format(self.expected, self.actual)
        if self.hint:
            text += '. Hint: ' + self.hint
        return ' '.join(text.split())

    def found(self, check, test):
        """The same failure, found by `test`, a check of kind `check`."""
        return dataclasses.replace(self, check=check, test=test)

    def as_dict(self):
        """Its fields and its one line: the JSON report's form."""
        found = dataclasses.asdict(self)
        found['one_line'] = self.one_line()
        return found


class CheckFailed(Exception):
    """A check of a solution failed; its Failure says how."""

    def __init__(self, message, expected=None, actual=None, hint=None,
                 called=None):
        self.failure = message if isinstance(message, Failure) else Failure(
            message, called=called, expected=expected, actual=actual,
            hint=hint)
        super().__init__(self.failure.message)

    def __getattr__(self, name):
        # message, called, expected, actual, hint: the failure's
        if name != 'failure' and name in Failure.__dataclass_fields__:
            return getattr(self.failure, name)
        raise AttributeError(name)

    def one_line(self):
        return self.failure.one_line()

    def __str__(self):
        return self.failure.one_line()


class NotChecked(Exception):
    """A check could not be run because of an earlier failure (one line)."""
