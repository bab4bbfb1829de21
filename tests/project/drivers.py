#!/usr/bin/env python3
"""Run a driver as its users do, `python3 mains/N-main.py` from the root,
for the project's own tests of the drivers (tests/graded/ runs them in
the grader's sandbox)."""
import os
import re
import subprocess
import sys
import tempfile
import threading

from optimization_grader import outputs
from optimization_grader.paths import EXPECTED, ROOT
from optimization_grader.tasks import TASKS


def documented(n):
    """Return the spec's output of driver n (tests/expected/N-main.txt)."""
    with open(os.path.join(EXPECTED, '{}-main.txt'.format(n))) as f:
        return f.read()


def run(n, data=None, stop=None, timeout=1800, cwd=ROOT, script=None,
        env=None):
    """Run mains/N-main.py (or `script`); return (stdout, stderr, status).

    `env` adds variables to the driver's environment.

    With stop=(pattern, count), the driver is killed as soon as `count`
    lines of its stdout have matched `pattern`: the rest of a long run is
    not needed to check its first checkpoints.
    """
    script = script or os.path.join(ROOT, 'mains', '{}-main.py'.format(n))
    env = dict(os.environ, MPLBACKEND='Agg', **(env or {}))
    env.pop('OPTIMIZATION_DATA', None)
    if data is not None:
        env['OPTIMIZATION_DATA'] = data
    with tempfile.TemporaryFile('w+') as err:
        proc = subprocess.Popen(
            [sys.executable, '-u', script],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=err,
            stdin=subprocess.DEVNULL, text=True)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        lines, seen = [], 0
        try:
            for line in proc.stdout:
                lines.append(line)
                if stop and re.search(stop[0], line):
                    seen += 1
                    if seen == stop[1]:
                        proc.kill()
                        break
        finally:
            timer.cancel()
            proc.stdout.close()
            status = proc.wait()
        err.seek(0)
        return ''.join(lines), err.read(), status


def cut(text, stop):
    """Return text up to its `stop[1]`-th line that matches `stop[0]`."""
    return outputs.cut(text, stop)


def check(n, out, expected, tolerance=None):
    """Assert that output `out` of driver n matches `expected` within the
    tolerance of its task's row (tasks.TASKS), or `tolerance` (rtol, atol,
    why)."""
    facts = TASKS[n].driver
    rtol, atol = tolerance[:2] if tolerance else (facts.rtol, facts.atol)
    differences = outputs.compare(outputs.plain_numbers(out)[0], expected,
                                  rtol, atol)
    assert not differences, '\n'.join(differences)
