#!/usr/bin/env python3
"""Measure optimization-grader batch on a folder of submissions: the wall
time of a fresh batch (nothing to resume) with --jobs 1 and --jobs 2,
without and with the course data, and of a second run (all resumed).

    python3 bench/batch_times.py SUBMISSIONS [--data DIR] [--data-only]
        [--jobs 1 2] [--out DIR]

Prints one line of JSON per run: data, jobs, submissions, seconds,
seconds per submission, the share of the machine's cores busy meanwhile
(from /proc/stat, Linux; anything else running counts too, so measure on
a quiet machine), and the seconds of the resumed run.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def busy():
    """(busy, total) clock ticks of all cores so far, or None."""
    try:
        with open('/proc/stat') as f:
            ticks = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + ticks[4]          # idle and iowait
    return sum(ticks[:8]) - idle, sum(ticks[:8])


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
    parser.add_argument('--data-only', action='store_true',
                        help='skip the runs without the data')
    parser.add_argument('--jobs', type=int, nargs='+', default=[1, 2])
    parser.add_argument('--out', help='keep the outputs here')
    args = parser.parse_args()
    count = sum(os.path.isdir(os.path.join(args.submissions, e))
                and not e.startswith('.')
                for e in os.listdir(args.submissions))
    base = args.out or tempfile.mkdtemp(prefix='batch-times-')
    runs = [None] if not (args.data and args.data_only) else []
    for data in runs + ([args.data] if args.data else []):
        for jobs in args.jobs:
            out = os.path.join(base, '{}-jobs{}'.format(
                'data' if data else 'nodata', jobs))
            shutil.rmtree(out, ignore_errors=True)
            before = busy()
            seconds = batch(args.submissions, out, jobs, data)
            after = busy()
            cores = len(os.sched_getaffinity(0)) if hasattr(
                os, 'sched_getaffinity') else os.cpu_count()
            resumed = batch(args.submissions, out, jobs, data)
            print(json.dumps({
                'data': bool(data), 'jobs': jobs, 'submissions': count,
                'seconds': round(seconds, 1),
                'per_submission': round(seconds / max(count, 1), 1),
                'cores_busy': round(cores * (after[0] - before[0]) / max(
                    after[1] - before[1], 1), 2) if before and after
                else None,
                'resumed_seconds': round(resumed, 1)}), flush=True)
    if not args.out:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == '__main__':
    main()
