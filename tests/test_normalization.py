"""Tasks 0 and 1: normalization constants and normalization."""
import math

import numpy as np
import pytest

from grading import function

normalization_constants = function('0-norm_constants')
normalize = function('1-normalize')


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
def test_constants_by_hand(X, mean, std):
    m, s = normalization_constants(np.array(X))
    np.testing.assert_allclose(m, mean, rtol=1e-15)
    np.testing.assert_allclose(s, std, rtol=1e-15)


@pytest.mark.task(0)
@pytest.mark.parametrize('dtype, rtol', [
    (np.float64, 1e-13),        # numpy's pairwise sums vs exact sums
    (np.float32, 1e-5),         # float32 sums of 1000 values
    (np.int64, 1e-13),
])
def test_constants_against_exact_sums(dtype, rtol):
    rng = np.random.default_rng(1)
    X = (rng.normal(3, 5, size=(1000, 4)) * 10).astype(dtype)
    m, s = normalization_constants(X)
    mean, std = reference_constants(X)
    np.testing.assert_allclose(m, mean, rtol=rtol)
    np.testing.assert_allclose(s, std, rtol=rtol)


@pytest.mark.task(0)
def test_constants_documented():
    # the spec's output of 0-main; numpy printed 8 decimals, so each value
    # is within half a unit of the 8th decimal (5e-9) of the true one
    m, s = normalization_constants(driver_data())
    np.testing.assert_allclose(m, [0.11961603, 2.08201297, -3.59232261],
                               atol=PRINTED)
    np.testing.assert_allclose(s, [2.01576449, 1.034667, 9.52002619],
                               atol=PRINTED)


@pytest.mark.task(1)
def test_normalize_by_hand():
    X = np.array([[1.0, 2.0], [3.0, 6.0]])
    expected = [[-1, -1], [1, 1]]
    np.testing.assert_allclose(normalize(X, np.array([2.0, 4.0]),
                                         np.array([1.0, 2.0])), expected)


@pytest.mark.task(1)
@pytest.mark.parametrize('shape', [(2, 1), (100, 3), (1000, 7)])
def test_normalized_columns_have_mean_0_and_std_1(shape):
    rng = np.random.default_rng(2)
    X = rng.normal(rng.normal(0, 10, shape[1]), rng.uniform(0.1, 9, shape[1]),
                   size=shape)
    Z = normalize(X, X.mean(axis=0), X.std(axis=0))
    # rounding noise of the mean is ~1e-16 times the data's scale (<= 100)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-13)
    np.testing.assert_allclose(Z.std(axis=0), 1, rtol=1e-13)


@pytest.mark.task(1)
def test_normalize_documented():
    # the spec's output of 1-main: its first 3 normalized rows
    X = driver_data()
    Z = normalize(X, X.mean(axis=0), X.std(axis=0))
    np.testing.assert_allclose(Z[:3], [[1.69091612, 1.74078977, -0.32557639],
                                       [0.33768746, -1.38186686, -0.18922943],
                                       [0.91174338, -1.3071819, 1.21732003]],
                               atol=PRINTED)


@pytest.mark.project
def test_zero_variance_feature_becomes_zero():
    X = np.array([[7.0, 1.0], [7.0, 3.0]])
    m, s = normalization_constants(X)
    Z = normalize(X, m, s)
    assert np.all(np.isfinite(Z))
    np.testing.assert_array_equal(Z[:, 0], 0)
    np.testing.assert_allclose(Z[:, 1], [-1, 1])


@pytest.mark.project
def test_inputs_not_mutated():
    X = driver_data()
    X_copy = X.copy()
    m, s = normalization_constants(X)
    m_copy, s_copy = m.copy(), s.copy()
    normalize(X, m, s)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(m, m_copy)
    np.testing.assert_array_equal(s, s_copy)
