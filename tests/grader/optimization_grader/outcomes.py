"""The outcomes of a grading's checks, and the verdicts made of them.

Outcomes records, as the checks run, each check's outcome with its
failure (a dict of CheckFailed.fields() and its one line), the notes and
warnings of each task, what a task's code left running or changed, and
the grader's own errors; verdicts() turns them into the tasks' verdicts
that report.py writes.  It knows nothing of pytest or of processes: the
plugin's hooks feed it.
"""
from .checks import CheckFailed
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
        failure, grader_error = error.fields(), False
    elif isinstance(error, AssertionError):
        failure = {'message': ' '.join(str(error).split())[:2000] or
                   'assertion failed', 'called': None, 'expected': None,
                   'actual': None, 'hint': None}
        grader_error = True
    else:
        failure = {'message': 'the grader could not check this: '
                   '{}: {}'.format(type(error).__name__, error)[:2000],
                   'called': None, 'expected': None, 'actual': None,
                   'hint': 'this is a bug in the grader; please report '
                           'it with your file'}
        grader_error = True
    failure['one_line'] = CheckFailed(**{
        k: failure[k] for k in ('message', 'expected', 'actual', 'hint',
                                'called')}).one_line()
    return failure, grader_error


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

    def left_running(self, task, check, commands, test=None):
        """Record the processes a task's code left running (killed)."""
        if not commands:
            return
        found = self.left.setdefault(task, [])
        if any(f['check'] == check for f in found):
            return      # one line a check is enough
        found.append({
            'check': check, 'test': test or 'it leaves nothing running',
            'message': '{} started process{} that {} still running after '
                       'its {} ended, and {} killed: {}'.format(
                           TASKS[task].stem + '.py' if task is not None
                           else 'the solution',
                           'es' * (len(commands) > 1),
                           'were' if len(commands) > 1 else 'was',
                           'checks' if check == 'function' else 'driver',
                           'were' if len(commands) > 1 else 'was',
                           ', '.join(one_line(c) for c in commands[:3])),
            'called': None, 'expected': 'no process left running',
            'actual': '{} left'.format(len(commands)),
            'hint': 'a solution must not start processes'})

    def record(self, task, check, test, outcome, failure=None,
               variant='graded', test_id=None):
        if variant == 'own':
            self.own[test_id] = (outcome, failure)
            return
        self.graded_outcome[test_id] = (outcome, failure)
        self.entries.setdefault(task, {}).setdefault(check, []).append(
            {'test': test, 'outcome': outcome, 'failure': failure})

    def unattributed(self):
        """Failures of the run that no one task could be blamed for."""
        found = list(self.left.get(None, []))
        if None in self.tampered:
            found.append({'message': "files of the grader's repository "
                          'changed while the solution ran: {} (put '
                          'back)'.format(', '.join(sorted(set(
                              self.tampered[None]))[:5]))})
        return found

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
        """Each task's verdict, statuses, failures, warnings and notes.
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
                statuses[check] = 'fail' if failed else 'pass' if any(
                    e['outcome'] == 'pass' for e in entries) else 'not run'
                # one entry for a failure that a test's parameters share
                # (the same error with other arguments): the first, counted
                seen = {}
                for e in failed:
                    failure = e['failure']
                    key = (e['test'].split(' [')[0], failure.get('hint')
                           or failure['message'].replace(
                               failure.get('called') or '\0', ''))
                    if key in seen:
                        seen[key]['also_failed'] += 1
                        continue
                    seen[key] = dict(failure, check=check, test=e['test'],
                                     also_failed=0)
                    failures.append(seen[key])
            for failure in self.left.get(n, []):
                failures.append(dict(failure))
                statuses[failure['check']] = 'fail'
            if n in self.tampered:
                paths = sorted(set(self.tampered[n]))
                failures.append({
                    'check': 'function', 'test': 'this repository is left '
                    'alone', 'message': 'while {}.py ran, files of the '
                    "grader's repository changed: {} (put back)".format(
                        task.stem, ', '.join(paths[:5])),
                    'called': None, 'expected': 'no file changed',
                    'actual': '{} changed'.format(len(paths)),
                    'hint': 'a solution must not write outside its own '
                            'folder'})
                statuses['function'] = 'fail'
            for failure in failures:
                if 'one_line' not in failure:
                    failure['one_line'] = CheckFailed(**{
                        k: failure.get(k) for k in (
                            'message', 'expected', 'actual', 'hint',
                            'called')}).one_line()
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
                'failures': failures, 'warnings': self.warnings.get(n, []),
                'notes': self.notes.get(n, [])}
        return tasks

    def own_notes(self):
        """Notes where the solution's own modules change an outcome: one a
        task, with the first such check as its example."""
        changed = {}
        for test_id, (outcome, failure) in sorted(self.own.items()):
            graded = self.graded_outcome.get(test_id)
            if graded is None or outcome == 'not run' or \
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
                                ': ' + example[2]['message']
                                if example[2] else ''))

    def exit_status(self, tasks):
        """0 only when every task passes; 2 if the grader failed."""
        if self.errors:
            return 2
        if None in self.tampered or None in self.left or any(
                found['verdict'] in ('fail', 'missing')
                for found in tasks.values()):
            return 1
        if all(found['verdict'] == 'pass' for found in tasks.values()):
            return 0
        return 1
