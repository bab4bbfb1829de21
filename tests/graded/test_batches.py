#!/usr/bin/env python3
"""Tasks 2 and 3: shuffling and mini-batches.

The solution runs in its worker with numpy's global random state seeded
there (call(..., seed=n)); the expected permutation is drawn here with the
same seed, as the spec's hint says: np.random.permutation(m).
"""
import numpy as np
import pytest

from optimization_grader.checks import show


def paired(m, nx=3, ny=2):
    """X and Y whose row i both encode i, so pairs can be told apart."""
    i = np.arange(m)
    X = i[:, None] * 10.0 + np.arange(nx)
    Y = -i[:, None] * 100 - np.arange(ny)
    return X, Y


def permutation(m, seed):
    np.random.seed(seed)
    return np.random.permutation(m)


@pytest.mark.task(2)
def test_shuffle_documented(solution):
    # the spec's output of 2-main
    X = np.arange(1, 11).reshape(5, 2)
    Y = np.arange(11, 21).reshape(5, 2)
    solution.call(X, Y, seed=0).equal(
        (np.array([[5, 6], [1, 2], [3, 4], [7, 8], [9, 10]]),
         np.array([[15, 16], [11, 12], [13, 14], [17, 18], [19, 20]])),
        hint='use p = np.random.permutation(m), then X[p] and Y[p]')


@pytest.mark.task(2)
@pytest.mark.parametrize('m', [1, 2, 5, 300, 1001])
def test_shuffle_is_one_shared_permutation(solution, m):
    X, Y = paired(m)
    result = solution.call(X, Y, seed=m, about='X, Y: {} rows whose row i '
                                               'both encode i'.format(m))
    X_s, Y_s = (result.array(shape=X.shape, index=0),
                result.array(shape=Y.shape, index=1))
    rows_x, rows_y = X_s[:, 0] / 10, -Y_s[:, 0] / 100
    if sorted(rows_x.tolist()) != list(range(m)):
        result.fail('returned an X whose rows are not a permutation of '
                    "X's rows", hint='index X with one permutation of '
                                     'np.arange(m)')
    if not np.array_equal(rows_x, rows_y):
        k = int(np.flatnonzero(rows_x != rows_y)[0])
        result.fail('broke the pairs: row {} of X came from row {:.0f}, '
                    'row {} of Y from row {:.0f}'.format(k, rows_x[k], k,
                                                         rows_y[k]),
                    hint='shuffle X and Y with the same permutation p: '
                         'X[p], Y[p]')
    result.equal((X[permutation(m, m)], Y[permutation(m, m)]),
                 hint='use p = np.random.permutation(m), drawn once')


@pytest.mark.task(2)
@pytest.mark.parametrize('dtypes', [(np.int64, np.int64),
                                    (np.float32, np.uint8)])
def test_shuffle_keeps_the_dtypes(solution, dtypes):
    # driver 2 prints integers: a shuffle of np.hstack((X, Y)) would
    # print floats
    X = np.arange(10).reshape(5, 2).astype(dtypes[0])
    Y = np.arange(5).reshape(5, 1).astype(dtypes[1])
    result = solution.call(X, Y, seed=4)
    X_s, Y_s = result.array(index=0), result.array(index=1)
    if (X_s.dtype, Y_s.dtype) != (X.dtype, Y.dtype):
        result.fail('changed the dtypes',
                    expected='X {}, Y {}'.format(X.dtype, Y.dtype),
                    actual='X {}, Y {}'.format(X_s.dtype, Y_s.dtype),
                    hint='shuffle X and Y separately with one permutation; '
                         'joining them into one array converts both')


@pytest.mark.task(2)
def test_shuffle_follows_numpy_seed(solution):
    X, Y = paired(50)
    p = permutation(50, 3)      # the spec's hint
    solution.call(X, Y, seed=3, about='X, Y of 50 rows, after '
                                      'np.random.seed(3)').equal(
        (X[p], Y[p]), hint='draw the permutation from numpy\'s global '
                           'random state: np.random.permutation(m)')


@pytest.mark.task(3)
@pytest.mark.parametrize('m, batch_size', [(70, 32), (10, 3), (301, 64)])
def test_last_smaller_batch_is_kept(solution, m, batch_size):
    X, Y = paired(m)
    result = solution.call(X, Y, batch_size, seed=0, about=(
        'X, Y of {} rows, batch_size={}'.format(m, batch_size)))
    batches = batch_list(result)
    kept = sum(len(x) for x, _ in batches)
    if kept != m:
        result.fail('returned {} batches holding {} of the {} points'.format(
            len(batches), kept, m),
            expected='{} batches, the last one of {} points'.format(
                -(-m // batch_size), m % batch_size or batch_size),
            actual='sizes {}'.format([len(x) for x, _ in batches]),
            hint='keep the last, smaller batch: range(0, m, batch_size)')


def batch_list(result):
    """The batches as a list of (X_batch, Y_batch) tuples of arrays."""
    value = result.value
    if not isinstance(value, list):
        result.fail('returned {}'.format(show(value)),
                    expected='a list of (X_batch, Y_batch) tuples',
                    actual='a ' + type(value).__name__,
                    hint='return a list: mini_batches = [], then append')
    for k, batch in enumerate(value):
        if not isinstance(batch, tuple):
            result.fail('returned batch {} as a {}'.format(
                k, type(batch).__name__), expected='a tuple (X_batch, '
                'Y_batch), as the spec says', actual=show(batch),
                hint='append (X_batch, Y_batch), a tuple')
        if len(batch) != 2:
            result.fail('returned batch {} with {} items'.format(
                k, len(batch)), expected='2: (X_batch, Y_batch)',
                actual=str(len(batch)))
        for part, name in zip(batch, ('X_batch', 'Y_batch')):
            if not isinstance(part, np.ndarray):
                result.fail('returned a {} of batch {} as a {}'.format(
                    name, k, type(part).__name__),
                    expected='a numpy.ndarray', actual=show(part))
    return value


@pytest.mark.task(3)
@pytest.mark.parametrize('m, batch_size, sizes', [
    (10, 3, [3, 3, 3, 1]),
    (10, 5, [5, 5]),
    (10, 10, [10]),
    (10, 32, [10]),
    (1, 1, [1]),
    (300, 64, [64, 64, 64, 64, 44]),          # the notebook's moons data
    (50000, 32, [32] * 1562 + [16]),          # driver 3's MNIST
])
def test_mini_batches_partition_the_shuffled_data(solution, m, batch_size,
                                                  sizes):
    X, Y = paired(m)
    p = permutation(m, 1)       # what shuffle_data must do
    result = solution.call(X, Y, batch_size, seed=1, about=(
        'X, Y of {} rows, batch_size={}, after np.random.seed(1)'.format(
            m, batch_size)))
    batches = batch_list(result)
    found = [len(x) for x, _ in batches]
    if found != sizes or [len(y) for _, y in batches] != sizes:
        result.fail('returned batches of the wrong sizes',
                    expected=_sizes(sizes), actual=_sizes(found),
                    hint='slice [i:i + batch_size] for i in range(0, m, '
                         'batch_size)')
    # in order, with nothing lost or repeated
    result.close((X[p], Y[p]), rtol=0, names=(
        'X batches, joined', 'Y batches, joined'), part=joined,
        hint='shuffle once with shuffle_data, then slice the shuffled X '
             'and Y in order')


def joined(batches):
    """The X batches and the Y batches, each joined into one array."""
    return (np.concatenate([x for x, _ in batches]),
            np.concatenate([y for _, y in batches]))


def _sizes(sizes):
    if len(sizes) <= 6:
        return 'sizes {}'.format(sizes)
    return '{} batches: {} ... {}'.format(len(sizes), sizes[:3], sizes[-2:])
