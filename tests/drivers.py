"""Run a driver as its users do: `python3 mains/N-main.py` from the root."""
import os
import re
import subprocess
import sys
import tempfile
import threading

from conftest import ROOT

EXPECTED = os.path.join(ROOT, 'tests', 'expected')


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
    kept, seen = [], 0
    for line in text.splitlines():
        kept.append(line)
        if re.search(stop[0], line):
            seen += 1
            if seen == stop[1]:
                break
    return '\n'.join(kept) + '\n'
