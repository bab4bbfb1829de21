#!/usr/bin/env python3
"""Confine this process before it runs a solution's code.

Copied, with worker.py and launch.py, into the folder a worker or driver
sees (isolation.py), and loaded from there by file name: it imports
nothing of the grader.  confine(settings) does, in order:

1. resource limits that a process without privileges cannot raise again:
   address space, the size of any file it writes, no core files, and
   the number of processes of its user id (given only when the run has
   a user id of its own: isolation.py starts it as that user);
2. no_new_privs: nothing it executes can gain privileges;
3. imports `preload` (numpy, TensorFlow...), so that their import time
   is not the solution's.

settings is a dict: {'address_space', 'file_size', 'processes',
'preload'}, each optional.
"""
import ctypes
import importlib
import resource

PR_SET_NO_NEW_PRIVS = 38


def _limit(which, value):
    if value is not None and hasattr(resource, which):
        value = int(value)
        resource.setrlimit(getattr(resource, which), (value, value))


def _touch(name):
    """Import a module, or reach an attribute path (tensorflow.keras...),
    so that what it loads lazily is loaded now."""
    head, _, rest = name.partition(':')
    found = importlib.import_module(head)
    for part in rest.split('.') if rest else ():
        found = getattr(found, part)
    return found


def confine(settings):
    _limit('RLIMIT_CORE', 0)
    _limit('RLIMIT_AS', settings.get('address_space'))
    _limit('RLIMIT_FSIZE', settings.get('file_size'))
    _limit('RLIMIT_NPROC', settings.get('processes'))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    for name in settings.get('preload', ()):
        try:
            _touch(name)
        except Exception:
            pass            # the solution's own import will say what fails
