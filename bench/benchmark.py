#!/usr/bin/env python3
"""Benchmark the numpy tasks against the plainest numpy for the same result.

For each task it prints the median time of the task, the median time of
the plain expression, their ratio, the peak memory the task allocates
beyond its inputs (tracemalloc, which sees numpy's buffers), and, where
the operation is bound by memory traffic, the time that traffic takes at
the speed of one np.copyto of the same bytes, measured here.

Run from the repository root: python3 bench/benchmark.py [--quick]
(--quick: inputs 10 times smaller, for a check that it runs).
"""
import os
import platform
import sys
import time
import tracemalloc

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def load(module, function):
    """The function of a numbered module."""
    return getattr(__import__(module), function)


def median_times(thunks, repeat):
    """Median wall time of each thunk over `repeat` rounds, after a warm-up.

    The thunks take turns within each round, so that a slow spell of the
    machine weighs on all of them alike.
    """
    times = [[] for _ in thunks]
    for round_ in range(repeat + 1):
        for thunk, spent in zip(thunks, times):
            start = time.perf_counter()
            thunk()
            if round_:
                spent.append(time.perf_counter() - start)
    return [float(np.median(spent)) for spent in times]


def peak_memory(thunk):
    """Peak bytes allocated while thunk() runs, results included."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    result = thunk()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del result
    return peak


def copy_time(nbytes, repeat):
    """Median time of one copy of nbytes: reading and writing them once."""
    src = np.ones(nbytes // 8)
    dst = np.empty_like(src)
    return median_times([lambda: np.copyto(dst, src)], repeat)[0]


def main(scale):
    rng = np.random.default_rng(0)
    rows = []

    def row(name, size, task, plain, repeat, traffic=None, data_bytes=None):
        """Time one task; traffic: bytes it must read plus write."""
        t_task, t_plain = median_times([task, plain], repeat)
        bound = (copy_time(traffic // 2, repeat) if traffic else None)
        rows.append((name, size, t_task, t_plain, bound,
                     peak_memory(task), data_bytes))

    X = rng.normal(2, 3, size=(1_000_000 // scale, 100))
    nbytes = X.nbytes
    norm_constants = load('0-norm_constants', 'normalization_constants')
    row('0 normalization_constants', '(1e6, 100) f64',
        lambda: norm_constants(X), lambda: (X.mean(axis=0), X.std(axis=0)),
        7, data_bytes=nbytes)
    m, s = X.mean(axis=0), X.std(axis=0)
    normalize = load('1-normalize', 'normalize')
    row('1 normalize', '(1e6, 100) f64', lambda: normalize(X, m, s),
        lambda: (X - m) / s, 7, traffic=2 * nbytes, data_bytes=nbytes)
    batch_norm = load('13-batch_norm', 'batch_norm')
    gamma, beta = rng.uniform(size=(1, 100)), rng.uniform(size=(1, 100))
    row('13 batch_norm', '(1e6, 100) f64',
        lambda: batch_norm(X, gamma, beta, 1e-7),
        lambda: gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + 1e-7)
        + beta, 7, data_bytes=nbytes)
    del X

    m = 50_000 // scale
    images = rng.uniform(size=(m, 784)).astype(np.float32)
    labels = np.eye(10)[rng.integers(0, 10, m)]
    data_bytes = images.nbytes + labels.nbytes
    shuffle_data = load('2-shuffle_data', 'shuffle_data')

    def gather():
        p = np.random.permutation(m)
        return images[p], labels[p]
    row('2 shuffle_data', '(5e4, 784) f32', lambda: shuffle_data(
        images, labels), gather, 9, traffic=2 * data_bytes,
        data_bytes=data_bytes)
    create_mini_batches = load('3-mini_batch', 'create_mini_batches')
    row('3 create_mini_batches (32)', '(5e4, 784) f32',
        lambda: create_mini_batches(images, labels, 32), gather, 9,
        traffic=2 * data_bytes, data_bytes=data_bytes)
    del images, labels

    n = 10_000_000 // scale
    var, grad, v = (rng.normal(size=n) for _ in range(3))
    s = rng.uniform(size=n)
    a = var.nbytes
    momentum = load('5-momentum', 'update_variables_momentum')

    def plain_momentum():
        v_new = 0.9 * v + 0.1 * grad
        return var - 0.01 * v_new, v_new
    row('5 update_variables_momentum', '1e7 f64',
        lambda: momentum(0.01, 0.9, var, grad, v), plain_momentum,
        5, traffic=5 * a, data_bytes=a)
    rmsprop = load('7-RMSProp', 'update_variables_RMSProp')

    def plain_rmsprop():
        s_new = 0.9 * s + 0.1 * grad ** 2
        return var - 0.001 * grad / (np.sqrt(s_new) + 1e-8), s_new
    row('7 update_variables_RMSProp', '1e7 f64',
        lambda: rmsprop(0.001, 0.9, 1e-8, var, grad, s), plain_rmsprop,
        5, traffic=5 * a, data_bytes=a)
    adam = load('9-Adam', 'update_variables_Adam')

    def plain_adam():
        v_new = 0.9 * v + 0.1 * grad
        s_new = 0.999 * s + 0.001 * grad ** 2
        step = (0.001 * (v_new / (1 - 0.9 ** 5))
                / (np.sqrt(s_new / (1 - 0.999 ** 5)) + 1e-8))
        return var - step, v_new, s_new
    # var is updated in place: give each call a fresh copy, in both columns
    row('9 update_variables_Adam', '1e7 f64',
        lambda: adam(0.001, 0.9, 0.999, 1e-8, var.copy(), grad, v, s, 5),
        lambda: (var.copy(), plain_adam()), 5, traffic=8 * a, data_bytes=a)
    del var, grad, v, s

    points = (rng.normal(60, 10, size=1_000_000 // scale)).tolist()
    moving_average = load('4-moving_average', 'moving_average')

    def plain_average():
        out, value, beta = [], 0.0, 0.9
        for t, x in enumerate(points, 1):
            value = beta * value + (1 - beta) * x
            out.append(value / (1 - beta ** t))
        return out
    row('4 moving_average', '1e6 points', lambda: moving_average(points, 0.9),
        plain_average, 9)

    print('Machine: {}, {} cores, Python {}, numpy {}'.format(
        platform.processor() or platform.machine(), os.cpu_count(),
        platform.python_version(), np.__version__))
    print()
    print('| task | input | task (ms) | plain numpy (ms) | ratio | '
          'traffic bound (ms) | task / bound | peak extra memory |')
    print('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    for name, size, t_task, t_plain, bound, peak, data in rows:
        print('| {} | {} | {:.1f} | {:.1f} | {:.2f} | {} | {} | {} |'.format(
            name, size, 1e3 * t_task, 1e3 * t_plain, t_task / t_plain,
            '{:.1f}'.format(1e3 * bound) if bound else '-',
            '{:.2f}'.format(t_task / bound) if bound else '-',
            '{:.0f} MB ({:.2f}x data)'.format(peak / 1e6, peak / data)
            if data else '{:.0f} MB'.format(peak / 1e6)))
    t_avg = rows[-1][2]
    print()
    print('moving_average: {:.2f} us per point'.format(
        1e6 * t_avg / len(points)))


if __name__ == '__main__':
    main(10 if '--quick' in sys.argv[1:] else 1)
