#!/usr/bin/env python3
"""What an isolation level adds to the start of a worker or driver.

For each level this machine allows, it starts /bin/true the way the
grader starts a run (isolation.Isolation.command: bubblewrap's mounts and
namespaces, or setpriv to a user id of its own), and prints the median
wall time of `--repeat` starts against plain /bin/true.

Run from the repository root: python3 bench/sandbox_start.py [--repeat N]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'grader'))

from optimization_grader import isolation  # noqa: E402


def median_start(argv, repeat):
    """The median seconds to run argv to its end."""
    spent = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdin=subprocess.DEVNULL)
        spent.append(time.perf_counter() - start)
    return statistics.median(spent)


def main():
    repeat = int(sys.argv[sys.argv.index('--repeat') + 1]) \
        if '--repeat' in sys.argv else 30
    true = shutil.which('true')
    plain = median_start([true], repeat)
    print('plain /bin/true: {:.1f} ms (median of {})'.format(
        plain * 1e3, repeat))
    # what each level needs to start a program (the Python environment
    # being readable by other users does not matter to /bin/true)
    problems = {'bubblewrap': isolation.bubblewrap_works(),
                'separate user': None if os.geteuid() == 0 and
                shutil.which('setpriv') else 'needs root and setpriv'}
    for level, problem in problems.items():
        if problem:
            print('{}: not on this machine ({})'.format(level, problem))
            continue
        box = isolation.Isolation(level)
        folder = tempfile.mkdtemp()
        os.chmod(folder, 0o755)
        try:
            argv = box.command([true], box.new_uid(), folder, (), ())
            took = median_start(argv, repeat)
        finally:
            shutil.rmtree(folder)
        print('{}: {:.1f} ms, {:.1f} ms more than plain'.format(
            level, took * 1e3, (took - plain) * 1e3))


if __name__ == '__main__':
    main()
