#!/usr/bin/env python3
"""The drivers: each task's main file, run on the solution's module in
the sandbox, in the background while the function checks go on.

Drivers start one run of each lane at a time (tasks.Driver.lane: the
TensorFlow ones use both cores, the numpy ones that need the course data
run beside them), each as soon as its task's function checks are done,
the longest first; a quick ('light') one runs at once, alone, so that
anything it does is blamed on its own task.
"""
import time

from . import outputs, sandbox
from .checks import escape
from .failure import CheckFailed
from .tasks import TASKS
from .workers import TIME_UP

# threads of a driver, by lane: TensorFlow's matrix products use both
# cores while the numpy drivers, bound by memory traffic, run beside them
THREADS = {'light': 1, 'numpy': 1, 'tensorflow': 2}


def driver_plan(selected):
    """(full, wanted) for a session's selected driver tests, given as
    (task, run) pairs, run 'full' or 'checkpoint': the tasks whose driver
    runs in full, and the runs to start, in order, without repeats.  A
    run up to the first checkpoint only where the same driver does not
    also run in full, which checks that checkpoint too."""
    full = {task for task, run in selected if run == 'full'}
    wanted = []
    for task, run in selected:
        if (run == 'full' or task not in full) and \
                (task, run) not in wanted:
            wanted.append((task, run))
    return full, wanted


class Drivers:
    """The driver runs of one grading.

    box: a callable giving the run's sandbox.Sandbox; stage(task, variant)
    its staging folder (or raise CheckFailed); course_data(): the checked
    copy of the course files, or None; expected: task -> the spec's
    output; show(line): a progress line on the terminal; after(): called
    after each run ends (the run's look at the repository); ran: the run's
    set of tasks whose code ran (added to here); outcomes: the run's
    outcomes.Outcomes, told what a driver left running; quick: whether
    'light' drivers run at once, alone (when grading a solution);
    remaining(): the seconds the grading has left."""

    def __init__(self, box, stage, course_data, expected, show, after, ran,
                 outcomes, quick, remaining=lambda: float('inf')):
        self.box, self.stage, self.course_data = box, stage, course_data
        self.expected, self.show, self.after = expected, show, after
        self.ran, self.outcomes, self.quick = ran, outcomes, quick
        self.remaining = remaining
        self.runs = {}          # (task, mode, variant) -> DriverRun
        self.ready = set()      # (task, variant) whose checks are done
        self.hung = {}          # (task, variant) -> why it cannot run
        self.wanted = []        # (task, mode, variant), by priority
        self.last_progress = 0.0

    def running(self):
        """The tasks whose driver is running."""
        return {run.number for run in self.runs.values()
                if run.started is not None and not run.done.is_set()}

    def want(self, task, mode, variant):
        key = (task, mode, variant)
        if key not in self.wanted:
            self.wanted.append(key)

    def pump(self):
        """Start the drivers that may start now: one of each lane at a
        time (tasks.Driver.lane)."""
        busy = {TASKS[run.number].driver.lane for run in
                self.runs.values()
                if run.started is not None and not run.done.is_set()}
        for key in list(self.wanted):
            task, mode, variant = key
            lane = TASKS[task].driver.lane
            if key in self.runs or lane in busy or \
                    (task, variant) not in self.ready:
                continue
            if not self.start(key):
                continue
            if lane == 'light' and self.quick:
                # a quick one: run it now, alone with the function checks,
                # so that anything it does is blamed on its task only
                while not self.wait(self.runs[key], mode):
                    pass
                self.after()
                continue
            busy.add(lane)

    def start(self, key):
        task, mode, variant = key
        facts = TASKS[task].driver
        data = self.course_data() if facts.needs_data else None
        if facts.needs_data and data is None:
            return False
        try:
            staging = self.stage(task, variant)
        except CheckFailed:
            return False
        stop = facts.checkpoint if mode == 'checkpoint' else None
        limit = min(facts.early_time_limit if stop else facts.time_limit,
                    self.remaining())
        if limit <= 0:
            return False
        run = sandbox.DriverRun(self.box(), task, staging, data, limit,
                                stop, THREADS[facts.lane],
                                'driver-{}-{}-{}'.format(task, mode, variant),
                                tensorflow=facts.lane == 'tensorflow')
        # cut to what the grading has left: a kill then is the grading's
        run.cut_short = limit < (facts.early_time_limit if stop
                                 else facts.time_limit)
        self.runs[key] = run
        run.start()
        self.ran.add(task)
        return True

    def result(self, task, mode, variant):
        """Wait for a driver's run; show its progress on the way.  A string
        saying why if it cannot run: its module did not load, or a
        function hung or ran out of memory in the function checks, or the
        grading has no time left."""
        key = (task, mode, variant)
        if (task, variant) in self.hung:
            return self.hung[(task, variant)]
        self.want(task, mode, variant)
        self.ready.add((task, variant))
        while True:
            self.pump()
            run = self.runs.get(key)
            if run is not None and self.wait(run, mode):
                break
            if run is None:
                if self.remaining() <= 0:
                    return TIME_UP
                time.sleep(0.5)
        self.outcomes.left_running(task, 'driver', run.left)
        self.after()
        self.pump()
        if run.cut_short and run.killed_for and 'within' in run.killed_for:
            return TIME_UP
        return run

    def wait(self, run, mode, seconds=1.0):
        """Wait for a run up to `seconds`; show how far it has got every
        15 s once it has run for 5.  Whether it has ended."""
        if run.done.wait(seconds):
            return True
        now = time.monotonic()
        if run.elapsed() > 5 and now - self.last_progress > 15:
            self.last_progress = now
            self.show(self.progress(run, mode))
        return False

    def progress(self, run, mode):
        expected = self.expected[run.number]
        if mode == 'checkpoint':
            expected = outputs.cut(expected, TASKS[run.number].driver
                                   .checkpoint)
        total = len([line for line in expected.splitlines()
                     if line.strip() and line.strip() != '...'])
        lines = [line.rstrip() for line in run.lines if line.strip()]
        last = lines[-1].strip() if lines else '(nothing yet)'
        return ('  {}-main.py: {:.0f} s, {} of the {} documented lines '
                'printed{}; last: {}'.format(
                    run.number, run.elapsed(), min(len(lines), total), total,
                    ' (up to its first checkpoint)' if mode == 'checkpoint'
                    else '', escape(last[:90])))
