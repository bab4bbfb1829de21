"""Tasks 2 and 3: shuffling and mini-batches."""
import numpy as np
import pytest

from grading import function

shuffle_data = function('2-shuffle_data')
create_mini_batches = function('3-mini_batch')


def paired(m, nx=3, ny=2):
    """X and Y whose row i both encode i, so pairs can be told apart."""
    i = np.arange(m)
    X = i[:, None] * 10.0 + np.arange(nx)
    Y = -i[:, None] * 100 - np.arange(ny)
    return X, Y


@pytest.mark.task(2)
def test_shuffle_documented():
    # the spec's output of 2-main
    X = np.arange(1, 11).reshape(5, 2)
    Y = np.arange(11, 21).reshape(5, 2)
    np.random.seed(0)
    X_shuffled, Y_shuffled = shuffle_data(X, Y)
    np.testing.assert_array_equal(X_shuffled, [[5, 6], [1, 2], [3, 4],
                                               [7, 8], [9, 10]])
    np.testing.assert_array_equal(Y_shuffled, [[15, 16], [11, 12], [13, 14],
                                               [17, 18], [19, 20]])


@pytest.mark.task(2)
@pytest.mark.parametrize('m', [1, 2, 5, 300, 1001])
def test_shuffle_is_one_shared_permutation(m):
    X, Y = paired(m)
    np.random.seed(m)
    X_s, Y_s = shuffle_data(X, Y)
    order = (X_s[:, 0] // 10).astype(int)
    # a permutation of the rows ...
    np.testing.assert_array_equal(np.sort(order), np.arange(m))
    np.testing.assert_array_equal(X_s, X[order])
    # ... applied to Y too, so every pair stays together
    np.testing.assert_array_equal(Y_s, Y[order])


@pytest.mark.task(2)
@pytest.mark.parametrize('dtypes', [(np.int64, np.int64),
                                    (np.float32, np.uint8)])
def test_shuffle_keeps_the_dtypes(dtypes):
    # driver 2 prints integers: a shuffle of np.hstack((X, Y)) would print
    # floats
    X = np.arange(10).reshape(5, 2).astype(dtypes[0])
    Y = np.arange(5).reshape(5, 1).astype(dtypes[1])
    X_s, Y_s = shuffle_data(X, Y)
    assert (X_s.dtype, Y_s.dtype) == (X.dtype, Y.dtype), (
        'shuffle_data changed the dtypes: X {} -> {}, Y {} -> {}'.format(
            X.dtype, X_s.dtype, Y.dtype, Y_s.dtype))


@pytest.mark.task(2)
def test_shuffle_follows_numpy_seed():
    X, Y = paired(50)
    np.random.seed(3)
    first = shuffle_data(X, Y)
    np.random.seed(3)
    again = shuffle_data(X, Y)
    np.random.seed(3)
    p = np.random.permutation(50)      # the documented hint
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[0], X[p])


@pytest.mark.task(3)
@pytest.mark.parametrize('m, batch_size', [(70, 32), (10, 3), (301, 64)])
def test_last_smaller_batch_is_kept(m, batch_size):
    X, Y = paired(m)
    batches = create_mini_batches(X, Y, batch_size)
    kept = sum(len(x) for x, _ in batches)
    assert kept == m, (
        'create_mini_batches drops the last, smaller batch: {} points in, '
        '{} out with batch_size={}'.format(m, kept, batch_size))


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
def test_mini_batches_partition_the_shuffled_data(m, batch_size, sizes):
    X, Y = paired(m)
    np.random.seed(1)
    p = np.random.permutation(m)        # what shuffle_data must do
    X_s, Y_s = X[p], Y[p]
    np.random.seed(1)
    batches = create_mini_batches(X, Y, batch_size)
    assert [len(x) for x, _ in batches] == sizes
    assert [len(y) for _, y in batches] == sizes
    # in order, with nothing lost or repeated
    np.testing.assert_array_equal(np.concatenate([x for x, _ in batches]),
                                  X_s)
    np.testing.assert_array_equal(np.concatenate([y for _, y in batches]),
                                  Y_s)


@pytest.mark.project
def test_mini_batches_are_views_of_one_copy():
    X, Y = paired(100)
    batches = create_mini_batches(X, Y, 32)
    assert len({id(x.base) for x, _ in batches}) == 1
    assert len({id(y.base) for _, y in batches}) == 1
    assert not np.shares_memory(batches[0][0], X)


@pytest.mark.project
@pytest.mark.parametrize('batch_size', [np.int64(4), 4])
def test_mini_batch_size_may_be_numpy_int(batch_size):
    X, Y = paired(10)
    assert len(create_mini_batches(X, Y, batch_size)) == 3


@pytest.mark.project
def test_inputs_not_mutated():
    X, Y = paired(20)
    X0, Y0 = X.copy(), Y.copy()
    shuffle_data(X, Y)
    create_mini_batches(X, Y, 3)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
