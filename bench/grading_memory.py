#!/usr/bin/env python3
"""Measure one grading as course staff would run it: its wall time and
the peak memory of the grader and everything it starts, sampled every
half second (the sum of the processes' resident and proportional set
sizes: PSS counts shared pages once, close to what a container's memory
limit charges).

    python3 bench/grading_memory.py PATH [--data DIR] [-- GRADE OPTIONS]

Prints one line of JSON: seconds, exit status, peak_rss_mb, peak_pss_mb,
peak_processes.
"""
import argparse
import json
import subprocess
import sys
import time

import psutil


def tree(process):
    try:
        return [process] + process.children(recursive=True)
    except psutil.Error:
        return []


def sample(processes):
    """(rss, pss) in bytes summed over processes that still exist."""
    rss = pss = 0
    for p in processes:
        try:
            info = p.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, 'pss', info.rss)
    return rss, pss


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('path')
    parser.add_argument('--data')
    parser.add_argument('rest', nargs='*')
    args = parser.parse_args()
    argv = [sys.executable, '-m', 'optimization_grader', 'grade', args.path]
    if args.data:
        argv += ['--data', args.data]
    started = time.monotonic()
    process = psutil.Popen(argv + args.rest, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    peak = {'rss': 0, 'pss': 0, 'processes': 0}
    while process.poll() is None:
        found = tree(process)
        rss, pss = sample(found)
        peak['rss'], peak['pss'] = max(peak['rss'], rss), max(peak['pss'],
                                                              pss)
        peak['processes'] = max(peak['processes'], len(found))
        time.sleep(0.5)
    print(json.dumps({'seconds': round(time.monotonic() - started, 1),
                      'exit_status': process.returncode,
                      'peak_rss_mb': round(peak['rss'] / 2 ** 20),
                      'peak_pss_mb': round(peak['pss'] / 2 ** 20),
                      'peak_processes': peak['processes']}))


if __name__ == '__main__':
    main()
