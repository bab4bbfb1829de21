#!/usr/bin/env python3
"""Run a driver, mains/N-main.py, confined: the driver's launcher.

    python3 -I -u launch.py SETTINGS SCRIPT

SETTINGS is confine.py's settings as JSON.  The launcher confines this
process, then runs SCRIPT as __main__ in it, with SCRIPT's folder first
on sys.path, as `python3 -u SCRIPT` would.
"""
import importlib.util
import json
import os
import runpy
import sys


def main():
    settings, script = json.loads(sys.argv[1]), sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        '_grader_confine', os.path.join(here, 'confine.py'))
    confine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(confine)
    confine.confine(settings)
    sys.argv = [script]
    sys.path[:] = [os.path.dirname(script)] + [
        p for p in sys.path if p and os.path.abspath(p) != here]
    runpy.run_path(script, run_name='__main__')


if __name__ == '__main__':
    main()
