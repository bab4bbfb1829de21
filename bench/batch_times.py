#!/usr/bin/env python3
"""Measure optimization-grader batch on a folder of submissions: the wall
time of a fresh batch (nothing to resume) with --jobs 1 and --jobs 2,
without and with the course data, and of a second run (all resumed).

    python3 bench/batch_times.py SUBMISSIONS [--data DIR] [--jobs 1 2]
        [--out DIR]

Prints one line of JSON per run: data, jobs, submissions, seconds,
seconds per submission, and the seconds of the resumed run.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def batch(submissions, out, jobs, data):
    argv = [sys.executable, '-m', 'optimization_grader', 'batch',
            submissions, '--out', out, '--jobs', str(jobs)]
    argv += ['--data', data] if data else ['--data', '']
    started = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('submissions')
    parser.add_argument('--data', help='also measure with the course data')
    parser.add_argument('--jobs', type=int, nargs='+', default=[1, 2])
    parser.add_argument('--out', help='keep the outputs here')
    args = parser.parse_args()
    count = sum(os.path.isdir(os.path.join(args.submissions, e))
                and not e.startswith('.')
                for e in os.listdir(args.submissions))
    base = args.out or tempfile.mkdtemp(prefix='batch-times-')
    for data in [None] + ([args.data] if args.data else []):
        for jobs in args.jobs:
            out = os.path.join(base, '{}-jobs{}'.format(
                'data' if data else 'nodata', jobs))
            shutil.rmtree(out, ignore_errors=True)
            seconds = batch(args.submissions, out, jobs, data)
            resumed = batch(args.submissions, out, jobs, data)
            print(json.dumps({
                'data': bool(data), 'jobs': jobs, 'submissions': count,
                'seconds': round(seconds, 1),
                'per_submission': round(seconds / max(count, 1), 1),
                'resumed_seconds': round(resumed, 1)}), flush=True)
    if not args.out:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == '__main__':
    main()
