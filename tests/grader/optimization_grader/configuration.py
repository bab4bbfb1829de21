#!/usr/bin/env python3
"""The grader runs with this repository's pytest configuration, wherever
it is started from."""
import os
import sys

import pytest

from .paths import ROOT


REEXEC = 'OPTIMIZATION_GRADER_REEXEC'
PATH_OPTIONS = ('--solution', '--solution-report', '--gradescope')


def reexec_args(args):
    """The command line again, with this repository's configuration and
    the solution's folder as an option's value, not a path to collect."""
    found, k = [], 0
    while k < len(args):
        arg = args[k]
        if arg in PATH_OPTIONS and k + 1 < len(args):
            found.append('{}={}'.format(arg, os.path.abspath(args[k + 1])))
            k += 2
            continue
        name, equals, value = arg.partition('=')
        if name in PATH_OPTIONS and equals:
            arg = '{}={}'.format(name, os.path.abspath(value))
        found.append(arg)
        k += 1
    return ['-c', os.path.join(ROOT, 'pytest.ini'), '--rootdir', ROOT] + found


def ensure_our_configuration(config):
    """With `--solution PATH`, pytest looked for its configuration file
    around PATH before any plugin could say that PATH is an option's
    value, so a pytest.ini, tox.ini, setup.cfg or pyproject.toml there
    (or above it) would decide how the grader runs.  Start again, at once,
    with this repository's pytest.ini and --solution=PATH."""
    ours = os.path.join(ROOT, 'pytest.ini')
    inipath = str(config.inipath) if config.inipath else None
    if inipath == ours and str(config.rootpath) == ROOT:
        return
    if os.environ.get(REEXEC):
        pytest.exit('the grader could not use its own configuration '
                    '({}, rootdir {}): run it from {} as python3 -m pytest '
                    '--solution=PATH'.format(inipath, config.rootpath, ROOT),
                    2)
    sys.stdout.flush()
    sys.stderr.flush()
    os.environ[REEXEC] = '1'
    os.execv(sys.executable, [sys.executable, '-m', 'pytest'] + reexec_args(
        list(config.invocation_params.args)))
