#!/usr/bin/env python3
"""Tasks 0 and 1: normalization constants and normalization.

Expected values: the spec's printed outputs (within half a unit of the
8th printed decimal), hand computations, and exactly rounded sums
(math.fsum), all computed here in the grader's process.
"""
import math

import numpy as np
import pytest

PRINTED = 5.1e-9      # half a unit in numpy's 8th printed decimal


def driver_data():
    """The (100, 3) matrix that drivers 0, 1 and 13 build."""
    np.random.seed(0)
    a = np.random.normal(0, 2, size=(100, 1))
    b = np.random.normal(2, 1, size=(100, 1))
    c = np.random.normal(-3, 10, size=(100, 1))
    return np.concatenate((a, b, c), axis=1)


def reference_constants(X):
    """Mean and population std per column, with exactly rounded sums."""
    columns = np.asarray(X, dtype=float).T.tolist()
    mean = [math.fsum(col) / len(col) for col in columns]
    std = [math.sqrt(math.fsum((x - mu) ** 2 for x in col) / len(col))
           for col, mu in zip(columns, mean)]
    return np.array(mean), np.array(std)


@pytest.mark.task(0)
@pytest.mark.parametrize('X, mean, std', [
    # hand-checkable: columns {1, 3} and {2, 6}
    ([[1, 2], [3, 6]], [2, 4], [1, 2]),
    # one data point: the mean is the point, the spread is 0
    ([[5.0, -1.0, 0.0]], [5, -1, 0], [0, 0, 0]),
    # a constant column next to a varying one
    ([[7, 0], [7, 3], [7, 6]], [7, 3], [0, math.sqrt(6)]),
])
def test_constants_by_hand(solution, X, mean, std):
    solution.call(np.array(X)).close((np.array(mean, float),
                                      np.array(std, float)), rtol=1e-15)


@pytest.mark.task(0)
@pytest.mark.parametrize('dtype, rtol', [
    (np.float64, 1e-13),        # numpy's pairwise sums vs exact sums
    (np.float32, 1e-5),         # float32 sums of 1000 values
    (np.int64, 1e-13),
])
def test_constants_against_exact_sums(solution, dtype, rtol):
    rng = np.random.default_rng(1)
    X = (rng.normal(3, 5, size=(1000, 4)) * 10).astype(dtype)
    solution.call(X, about='X=a (1000, 4) {} array'.format(
        np.dtype(dtype))).close(reference_constants(X), rtol=rtol)


@pytest.mark.task(0)
def test_constants_documented(solution):
    # the spec's output of 0-main; numpy printed 8 decimals
    solution.call(driver_data(), about="X=driver 0's (100, 3) data").close(
        (np.array([0.11961603, 2.08201297, -3.59232261]),
         np.array([2.01576449, 1.034667, 9.52002619])), rtol=0,
        atol=PRINTED)


@pytest.mark.task(1)
def test_normalize_by_hand(solution):
    X = np.array([[1.0, 2.0], [3.0, 6.0]])
    solution.call(X, np.array([2.0, 4.0]), np.array([1.0, 2.0])).close(
        np.array([[-1.0, -1.0], [1.0, 1.0]]), rtol=1e-15)


@pytest.mark.task(1)
def test_normalize_uses_the_constants_it_is_given(solution):
    # a validation set normalized with a training set's constants: not
    # its own, so recomputing them from X gives other numbers
    X = np.array([[1.0, 10.0], [2.0, 30.0], [6.0, 20.0]])
    m, s = np.array([2.0, 10.0]), np.array([4.0, 5.0])
    # (X - m) / s, by hand
    solution.call(X, m, s).close(
        np.array([[-0.25, 0.0], [0.0, 4.0], [1.0, 2.0]]), rtol=1e-15)


@pytest.mark.task(1)
def test_normalize_integer_data(solution):
    # integer data gives float results: (3 - 2) / 4 = 0.25, not 0
    X = np.array([[3, 7], [1, 9], [2, 8]])
    m, s = np.array([2.0, 8.0]), np.array([4.0, 2.0])
    solution.call(X, m, s).close(
        np.array([[0.25, -0.5], [-0.25, 0.5], [0.0, 0.0]]), rtol=1e-15)


@pytest.mark.task(1)
@pytest.mark.parametrize('shape', [(2, 1), (100, 3), (1000, 7)])
def test_normalized_columns_have_mean_0_and_std_1(solution, shape):
    rng = np.random.default_rng(2)
    X = rng.normal(rng.normal(0, 10, shape[1]), rng.uniform(0.1, 9, shape[1]),
                   size=shape)
    mean, std = reference_constants(X)
    # (X - m) / s with exactly rounded constants: mean 0 and std 1 to
    # rounding noise, ~1e-16 times the data's scale (<= 100)
    solution.call(X, mean, std, about='X=a {} array, m and s its own '
                                      'constants'.format(shape)).close(
        (X - mean) / std, rtol=1e-12, atol=1e-13)


@pytest.mark.task(1)
def test_normalize_documented(solution):
    # the spec's output of 1-main: its first 3 normalized rows
    X = driver_data()
    result = solution.call(X, X.mean(axis=0), X.std(axis=0),
                           about="X=driver 1's (100, 3) data, m and s its "
                                 "constants")
    result.array(shape=(100, 3))
    result.close(np.array([[1.69091612, 1.74078977, -0.32557639],
                           [0.33768746, -1.38186686, -0.18922943],
                           [0.91174338, -1.3071819, 1.21732003]]),
                 rtol=0, atol=PRINTED, part=lambda Z: np.asarray(Z)[:3],
                 names=('first 3 rows',))
