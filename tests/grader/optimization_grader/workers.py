#!/usr/bin/env python3
"""The workers: the processes that run a solution's modules for the
function checks, one for each (task, variant), in the sandbox.

Workers stages each task's file (with this repository's files for the
tasks it uses, or the solution's own for the 'own' variant), starts its
worker (the next one early, so that its import of numpy or TensorFlow
overlaps this task's checks), and turns what a worker answers into a
checks.Result or a CheckFailed that says what happened.
"""
import os

from . import checks, sandbox
from .checks import Result
from .codec import Opaque
from .failure import CheckFailed, NotChecked
from .paths import ROOT
from .tasks import TASKS

LOAD_TIME = 30          # seconds to import a task's module
CALL_TIME = {'numpy': 15, 'tensorflow': 60}     # seconds a call
READY_TIME = 180        # seconds for a worker to import numpy/TensorFlow
TIME_UP = 'the grading reached its time limit (--time-limit)'


class Workers:
    """The workers of one grading, and what their modules loaded as.

    box: a callable giving the run's sandbox.Sandbox; folder: the solution
    folder; sources, unreadable: its files as read before anything ran
    (task -> bytes, task -> why not); ran: the run's set of tasks whose
    code ran since the repository was last looked at (added to here);
    remaining(): the seconds the grading has left."""

    def __init__(self, box, folder, sources, unreadable, ran,
                 remaining=lambda: float('inf')):
        self.box, self.folder = box, folder
        self.sources, self.unreadable, self.ran = sources, unreadable, ran
        self.remaining = remaining
        self.staging, self.workers, self.loaded = {}, {}, {}
        self.pending = {}           # (task, variant) -> checks left to run
        self.order = []             # (task, variant), as the tests run
        self.gone_reported = set()  # (task, variant) whose worker died

    def schedule(self, task, variant):
        """One more function or house-rules check of (task, variant)."""
        key = (task, variant)
        self.pending[key] = self.pending.get(key, 0) + 1
        if key not in self.order:
            self.order.append(key)

    def check_done(self, task, variant):
        """One check of (task, variant) ran; whether it was the last."""
        key = (task, variant)
        if key not in self.pending:
            return False
        self.pending[key] -= 1
        return self.pending[key] == 0

    def close(self, task, variant):
        """End the worker of (task, variant); what it left running, and
        why the task's driver should not run (or None)."""
        worker = self.workers.get((task, variant))
        left = []
        if worker is not None:
            worker.close()
            left = worker.left
        loaded = self.loaded.get((task, variant))
        if isinstance(loaded, CheckFailed):
            return left, 'in the function checks, its module did not load'
        if worker is not None and worker.gone and worker.gone != 'closed' \
                and ('did not answer' in worker.gone or 'memory' in
                     worker.gone):
            # it would hang or run out of memory there too
            return left, 'in the function checks, its process ' + \
                worker.gone
        return left, None

    def running(self):
        """The tasks whose worker is running code of the solution."""
        return {task for (task, _), worker in self.workers.items()
                if worker.proc is not None and not worker.gone
                and worker.ran_code}

    def close_all(self):
        for worker in self.workers.values():
            worker.close()

    def stage(self, task, variant):
        """The staging folder of (task, variant), or a CheckFailed."""
        key = (task, variant)
        if key not in self.staging:
            own = {task} | (set(TASKS[task].uses) if variant == 'own'
                            else set())
            # the task's file and those of the tasks it uses: no other
            # reference solution is there to be read
            path = self.box().folder('stage-')
            problem = None
            for number in (task,) + tuple(TASKS[task].uses):
                other = TASKS[number]
                if number in own:
                    data = self.sources.get(number)
                    if data is None:
                        problem = problem or CheckFailed(
                            self.unreadable.get(number) or
                            '{}.py: no such file in {}'.format(
                                other.stem, self.folder),
                            hint='name the file exactly {}.py'.format(
                                other.stem)
                            if number not in self.unreadable else
                            'make it a plain file in the solution folder')
                        continue
                    if len(data) > sandbox.MAX_SOURCE:
                        problem = problem or CheckFailed(
                            '{}.py is larger than 1 MB'.format(other.stem))
                        continue
                else:
                    with open(os.path.join(ROOT, other.stem + '.py'),
                              'rb') as f:
                        data = f.read()
                target = os.path.join(path, other.stem + '.py')
                with open(target, 'wb') as f:
                    f.write(data)
                os.chmod(target, 0o444)
            self.staging[key] = problem or path
        found = self.staging[key]
        if isinstance(found, CheckFailed):
            raise found
        return found

    def worker(self, task, variant):
        key = (task, variant)
        if key not in self.workers:
            staging = self.stage(task, variant)
            info = TASKS[task]
            source = self.sources.get(task, b'')
            if info.kind == 'numpy' and b'tensorflow' in source:
                # its own TensorFlow import is not the module's time
                info = info._replace(kind='tensorflow')
            self.workers[key] = sandbox.Worker(self.box(), info, staging,
                                               '{}-{}'.format(task, variant))
        return self.workers[key]

    def request(self, task, variant, message, timeout):
        """Send a message to the worker of (task, variant), started if it
        is not; its answer.  Every wait ends when the grading's time does:
        past it, nothing more is asked (NotChecked)."""
        worker = self.worker(task, variant)
        if worker.proc is None:
            worker.start()
        if not worker.ready:
            self.prefetch(task, variant)
            worker.request({'op': 'ready'}, self.time_left(READY_TIME))
            worker.ready = True
        # from here on, what changes in the repository may be its doing
        worker.ran_code = True
        self.ran.add(task)
        return worker.request(message, self.time_left(timeout))

    def time_left(self, timeout):
        """timeout, cut to what the grading has left; NotChecked if
        nothing is left."""
        left = self.remaining()
        if left <= 0:
            raise NotChecked(TIME_UP)
        return min(timeout, left)

    def prefetch(self, task, variant):
        """Start the worker of the task graded next, so that its numpy or
        TensorFlow import overlaps this task's checks.  It imports nothing
        of the solution until it is asked to."""
        order = [key for key in self.order if self.pending.get(key)]
        if (task, variant) in order[:-1]:
            key = order[order.index((task, variant)) + 1]
            try:
                worker = self.worker(*key)
            except CheckFailed:
                return
            if worker.proc is None:
                worker.start()

    def load(self, task, variant='graded'):
        """What the course's checker reads of the module (a dict); the
        same CheckFailed each time if it does not load."""
        key = (task, variant)
        if key not in self.loaded:
            self.loaded[key] = self._load(task, variant)
        found = self.loaded[key]
        if isinstance(found, CheckFailed):
            raise CheckFailed(found.failure)
        return found

    def _load(self, task, variant):
        stem, function = TASKS[task].stem, TASKS[task].function
        try:
            info, printed = self.request(task, variant, {'op': 'load'},
                                         LOAD_TIME)
        except CheckFailed as e:
            return e
        except sandbox.Answered as e:
            error = e.error
            if error.get('type') == 'SyntaxError':
                text = '{}.py does not compile: {}'.format(
                    stem, error.get('message'))
            else:
                text = 'importing {}.py raised {}: {}{}'.format(
                    stem, error.get('type'), error.get('message'),
                    ' ({})'.format(error['where']) if error.get('where')
                    else '')
            return CheckFailed(text, hint=(
                'run python3 -c "__import__(\'{}\')" in your folder to see '
                'the whole error'.format(stem)))
        except sandbox.Gone as e:
            return CheckFailed('importing {}.py: its process {}'.format(
                stem, e), hint=gone_hint(str(e)))
        expected = {'module_doc': (str, type(None)), 'doc': (str, type(None)),
                    'exists': bool, 'callable': bool,
                    'parameters': (int, type(None))}
        if not isinstance(info, dict) or set(info) != set(expected) or any(
                not isinstance(info[k], kind) or
                (kind is not bool and isinstance(info[k], bool))
                for k, kind in expected.items()):
            return CheckFailed(
                'importing {}.py: its process sent an answer that is not '
                "the worker's".format(stem),
                hint='does the module change the process it runs in?')
        if not info.get('callable'):
            return CheckFailed(
                '{}.py has no function {}'.format(stem, function),
                hint='define it as def {}({}):'.format(
                    function, ', '.join(TASKS[task].arguments)))
        return info

    def call(self, task, variant, message, args, about=None, extra=None):
        """Send a call or probe; return a Result or raise CheckFailed."""
        info = self.load(task, variant)
        timeout = CALL_TIME[TASKS[task].kind]
        description = checks.called(task, args, about)
        try:
            value, printed = self.request(task, variant, message, timeout)
        except sandbox.Answered as e:
            error = e.error
            raise CheckFailed(
                '{} raised {}: {}{}'.format(
                    description, error.get('type'), error.get('message'),
                    ' ({})'.format(error['where']) if error.get('where')
                    else ''), called=description,
                hint=signature_hint(task, info, error) or
                raised_hint(error)) from None
        except sandbox.Gone as e:
            key = (task, variant)
            if key in self.gone_reported:
                raise NotChecked('not called again: {}'.format(e)) from None
            self.gone_reported.add(key)
            raise CheckFailed('{}: its process {}'.format(description, e),
                              called=description,
                              hint=gone_hint(str(e))) from None
        if value is None and message['op'] == 'call':
            raise CheckFailed(
                '{} returned None{}'.format(
                    description, ' and printed: {!r}'.format(printed[:80])
                    if printed else ''), called=description,
                hint='return the result instead of printing it'
                if printed else 'end the function with a return statement')
        if isinstance(value, Opaque) and value.type_name == 'generator':
            raise CheckFailed(
                '{} returned a generator, not the values themselves'.format(
                    description), called=description,
                hint='return a list: [... for ...] instead of (... for ...),'
                     ' or return instead of yield')
        return Result(task, args, value, printed, about, extra)


def gone_hint(text):
    """The hint for a worker that ended without answering."""
    if 'memory' in text:
        return 'the solution allocates far more memory than the task needs'
    if 'did not answer' in text or 'did not finish' in text:
        return 'look for an infinite loop, or work that never ends'
    if 'status' in text:
        return ('the process ended: look for exit(), sys.exit() or '
                'os._exit() in the module')
    return 'the process crashed: look for code that can crash the ' \
           'interpreter (ctypes, a C extension)'


def signature_hint(task, info, error):
    """The hint for a call that raised a TypeError because the function
    takes other arguments than the spec's (often an earlier version of
    the project's), or None."""
    spec = TASKS[task]
    found = info.get('parameters')
    if error.get('type') != 'TypeError' or found is None or \
            found == len(spec.arguments):
        return None
    return ('your {} takes {} argument{}, the spec\'s {}: def {}({}): (the '
            'arguments are passed in this order; an earlier version of '
            'the project had other ones)'.format(
                spec.function, found, 's' * (found != 1),
                len(spec.arguments), spec.function,
                ', '.join(spec.arguments)))


def raised_hint(error):
    """The hint for a function that raised `error` (a dict)."""
    kind = error.get('type')
    if kind == 'SystemExit':
        return 'the function must return its result, not call exit()'
    if kind in ('NameError', 'AttributeError'):
        return 'a name is not defined or misspelled: see the message'
    return 'run the spec\'s driver to see the whole error'
