#!/usr/bin/env python3
"""The outcomes of a grading's checks, and the verdicts made of them.

Outcomes records, as the checks run, each check's outcome with its
failure (failure.Failure, the one a check raised), the notes and
warnings of each task, what a task's code left running or changed, and
the grader's own errors; verdicts() turns them into the tasks' verdicts
that report.py writes.  It knows nothing of pytest or of processes: the
plugin's hooks feed it.
"""
import dataclasses

from .failure import CheckFailed, Failure
from .tasks import CHECKS, TASKS


def one_line(command, width=100):
    """A command line on one line, cut to `width` characters."""
    text = ' '.join(command.split())
    return text if len(text) <= width else text[:width - 3] + '...'


def failure_of(error):
    """(failure, whether it is the grader's own error) for what a check
    raised: a CheckFailed is the solution's failure; an AssertionError or
    anything else is a bug of the grader's, reported as such."""
    if isinstance(error, CheckFailed):
        return error.failure, False
    if isinstance(error, AssertionError):
        return Failure(' '.join(str(error).split())[:2000] or
                       'assertion failed'), True
    return Failure('the grader could not check this: {}: {}'.format(
        type(error).__name__, error)[:2000],
        hint='this is a bug in the grader; please report it with your '
             'file'), True


class Outcomes:
    """Every check's outcome so far, by task."""

    def __init__(self):
        self.entries = {}           # task -> check -> [entry]
        self.own = {}               # test key -> (outcome, failure)
        self.graded_outcome = {}    # test key -> (outcome, failure)
        self.notes, self.warnings = {}, {}
        self.tampered = {}          # task (None: unknown) -> [paths]
        self.left = {}              # task (None: unknown) -> [failure]
        self.errors = []            # the grader's own failures
        self.time_up = None         # the time limit, once reached

    def left_running(self, task, check, commands, test=None):
        """Record the processes a task's code left running (killed)."""
        if not commands:
            return
        found = self.left.setdefault(task, [])
        if any(f.check == check for f in found):
            return      # one line a check is enough
        found.append(Failure(
            '{} started process{} that {} still running after its {} '
            'ended, and {} killed: {}'.format(
                TASKS[task].stem + '.py' if task is not None
                else 'the solution', 'es' * (len(commands) > 1),
                'were' if len(commands) > 1 else 'was',
                'checks' if check == 'function' else 'driver',
                'were' if len(commands) > 1 else 'was',
                ', '.join(one_line(c) for c in commands[:3])),
            expected='no process left running',
            actual='{} left'.format(len(commands)),
            hint='a solution must not start processes',
            check=check, test=test or 'it leaves nothing running'))

    def record(self, task, check, test, outcome, failure=None,
               variant='graded', test_id=None):
        if variant == 'own':
            self.own[test_id] = (outcome, failure)
            return
        self.graded_outcome[test_id] = (outcome, failure)
        self.entries.setdefault(task, {}).setdefault(check, []).append(
            {'test': test, 'outcome': outcome, 'failure': failure})

    def unattributed(self):
        """Failures of the run that no one task could be blamed for, in
        the report's form (Failure.as_dict())."""
        found = list(self.left.get(None, []))
        if None in self.tampered:
            found.append(Failure(
                "files of the grader's repository changed while the "
                'solution ran: {} (put back)'.format(', '.join(sorted(set(
                    self.tampered[None]))[:5]))))
        if self.time_up is not None:
            found.append(Failure(
                'the grading reached its time limit of {:g} s: the checks '
                'after it were not run'.format(self.time_up),
                hint='a solution whose functions and drivers take about as '
                     'long as the reference ones is graded in a few '
                     'minutes; look for slow loops, or ask for a longer '
                     'limit'))
        return [f.as_dict() for f in found]

    def outcome_of(self, task):
        """'fail' if any check of task failed so far, else 'pass'."""
        return 'fail' if any(
            entry['outcome'] == 'fail'
            for entries in self.entries.get(task, {}).values()
            for entry in entries) else 'pass'

    def note(self, task, text):
        if text not in self.notes.setdefault(task, []):
            self.notes[task].append(text)

    def warn(self, task, text):
        if text not in self.warnings.setdefault(task, []):
            self.warnings[task].append(text)

    def verdicts(self, present, unreadable, solution_mode):
        """Each task's verdict, statuses, failures (in the report's form,
        Failure.as_dict()), warnings and notes.
        present: the tasks whose files were read; unreadable: those whose
        file is a link or not a plain file; solution_mode: whether a
        missing file is a 'missing' verdict."""
        tasks = {}
        for n, task in sorted(TASKS.items()):
            found = self.entries.get(n, {})
            statuses, failures = {}, []
            for check in CHECKS:
                entries = found.get(check, [])
                failed = [e for e in entries if e['outcome'] == 'fail']
                # a check the time limit cut off is not run, though some
                # of its tests passed: what it did not test may be wrong
                statuses[check] = 'fail' if failed else 'not run' if any(
                    e['outcome'] == 'cut off' for e in entries) else \
                    'pass' if any(e['outcome'] == 'pass' for e in entries) \
                    else 'not run'
                # one entry for a failure that a test's parameters share
                # (the same error with other arguments): the first, counted
                seen = {}
                for e in failed:
                    failure = e['failure']
                    key = (e['test'].split(' [')[0], failure.hint or
                           failure.message.replace(failure.called or '\0',
                                                   ''))
                    seen.setdefault(key, []).append(
                        failure.found(check, e['test']))
                failures += [dataclasses.replace(same[0],
                                                 also_failed=len(same) - 1)
                             for same in seen.values()]
            for failure in self.left.get(n, []):
                failures.append(failure)
                statuses[failure.check] = 'fail'
            if n in self.tampered:
                paths = sorted(set(self.tampered[n]))
                failures.append(Failure(
                    "while {}.py ran, files of the grader's repository "
                    'changed: {} (put back)'.format(
                        task.stem, ', '.join(paths[:5])),
                    expected='no file changed',
                    actual='{} changed'.format(len(paths)),
                    hint='a solution must not write outside its own folder',
                    check='function', test='this repository is left alone'))
                statuses['function'] = 'fail'
            errors = [e for e in self.errors if e['task'] == n]
            if n not in present and n not in unreadable and \
                    solution_mode:
                verdict = 'missing'
            elif errors:
                verdict = 'error'
            elif failures:
                verdict = 'fail'
            elif statuses['function'] == 'pass':
                verdict = 'pass'
            else:
                verdict = 'not run'
            tasks[str(n)] = {
                'file': task.stem + '.py', 'verdict': verdict,
                'checks': {k: statuses[k] for k in ('house_rules',
                                                    'function', 'driver')},
                'failures': [f.as_dict() for f in failures],
                'warnings': self.warnings.get(n, []),
                'notes': self.notes.get(n, [])}
        return tasks

    def own_notes(self):
        """Notes where the solution's own modules change an outcome: one a
        task, with the first such check as its example."""
        changed = {}
        for test_id, (outcome, failure) in sorted(self.own.items()):
            graded = self.graded_outcome.get(test_id)
            if graded is None or outcome in ('not run', 'cut off') or \
                    graded[0] == outcome:
                continue
            task, name = test_id
            changed.setdefault(task, []).append((name, outcome, failure))
        for task, found in changed.items():
            uses = ', '.join(TASKS[u].stem + '.py' for u in TASKS[task].uses)
            failing = [f for f in found if f[1] == 'fail']
            example = failing[0] if failing else found[0]
            self.note(task, 'with your own {} (the course\'s checker runs '
                            'your whole folder), {} check{} of this task '
                            'would {}, e.g. "{}"{}'.format(
                                uses, len(found), 's' * (len(found) > 1),
                                'fail' if failing else 'pass', example[0],
                                ': ' + example[2].message
                                if example[2] else ''))

    def exit_status(self, tasks):
        """0 only when every task passes; 2 if the grader failed."""
        if self.errors:
            return 2
        if None in self.tampered or None in self.left or \
                self.time_up is not None or any(
                found['verdict'] in ('fail', 'missing')
                for found in tasks.values()):
            return 1
        if all(found['verdict'] == 'pass' for found in tasks.values()):
            return 0
        return 1
