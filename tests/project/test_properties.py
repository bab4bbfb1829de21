#!/usr/bin/env python3
"""Property tests over random shapes and values: no numpy task mutates
its arguments (task 9 only writes to var, as its docstring says), and the
results keep their defining properties."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from repo import module


normalization_constants = module('0-norm_constants').normalization_constants
normalize = module('1-normalize').normalize
shuffle_data = module('2-shuffle_data').shuffle_data
create_mini_batches = module('3-mini_batch').create_mini_batches
moving_average = module('4-moving_average').moving_average
update_variables_momentum = module('5-momentum').update_variables_momentum
update_variables_RMSProp = module('7-RMSProp').update_variables_RMSProp
update_variables_Adam = module('9-Adam').update_variables_Adam
batch_norm = module('13-batch_norm').batch_norm

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def elements(dtype, bound):
    """Finite values of dtype within [-bound, bound]."""
    return hnp.from_dtype(np.dtype(dtype), min_value=-bound, max_value=bound,
                          allow_nan=False, allow_infinity=False)


@st.composite
def matrices(draw):
    """(m, n) float64, float32 or int64 data with m, n in 1..12."""
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64]))
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=2, max_side=12))
    return draw(hnp.arrays(dtype, shape, elements=elements(dtype, 10 ** 6)))


settings.register_profile('project', max_examples=60, deadline=None)
settings.load_profile('project')


def frozen(*arrays):
    """Copies of the arrays, to compare with after a call."""
    return [np.array(a, copy=True) for a in arrays]


def unchanged(arrays, copies):
    for a, c in zip(arrays, copies):
        np.testing.assert_array_equal(a, c)


@given(matrices())
def test_normalization_does_not_mutate(X):
    copies = frozen(X)
    m, s = normalization_constants(X)
    mc = frozen(m, s)
    Z = normalize(X, m, s)
    unchanged([X, m, s], copies + mc)
    assert Z.shape == X.shape and np.all(np.isfinite(Z))


@given(matrices(), st.integers(1, 5), st.integers(1, 20), st.integers(0, 99))
def test_batches_do_not_mutate_and_partition(X, ny, batch_size, seed):
    Y = np.arange(X.shape[0] * ny).reshape(X.shape[0], ny)
    copies = frozen(X, Y)
    np.random.seed(seed)
    batches = create_mini_batches(X, Y, batch_size)
    unchanged([X, Y], copies)
    assert sum(len(x) for x, _ in batches) == X.shape[0]
    assert all(len(x) == batch_size for x, _ in batches[:-1])
    order = np.concatenate([y[:, 0] for _, y in batches]) // ny
    np.testing.assert_array_equal(np.sort(order), np.arange(X.shape[0]))
    np.testing.assert_array_equal(np.concatenate([x for x, _ in batches]),
                                  X[order])


@given(st.lists(finite, max_size=50), st.floats(0, 0.999))
def test_moving_average_does_not_mutate(data, beta):
    copy = list(data)
    averages = moving_average(data, beta)
    assert data == copy and len(averages) == len(data)
    if data:   # a weighted average stays within the data's range
        assert min(data) - 1e-6 * (1 + abs(min(data))) <= min(averages)
        assert max(averages) <= max(data) + 1e-6 * (1 + abs(max(data)))


shapes = hnp.array_shapes(min_dims=0, max_dims=3, max_side=5)


@st.composite
def states(draw):
    """var, grad, first and second moments of one shape."""
    shape = draw(shapes)
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    var, grad, v, s = (draw(hnp.arrays(dtype, shape,
                                       elements=elements(dtype, 1000)))
                       for _ in range(4))
    return var, grad, v, np.abs(s)


@given(states(), st.floats(0, 1), st.floats(0, 0.999))
def test_momentum_does_not_mutate(state, alpha, beta1):
    var, grad, v, _ = state
    copies = frozen(var, grad, v)
    update_variables_momentum(alpha, beta1, var, grad, v)
    unchanged([var, grad, v], copies)


@given(states(), st.floats(0, 1), st.floats(0, 0.999), st.floats(1e-8, 1))
def test_rmsprop_does_not_mutate(state, alpha, beta2, epsilon):
    var, grad, _, s = state
    copies = frozen(var, grad, s)
    update_variables_RMSProp(alpha, beta2, epsilon, var, grad, s)
    unchanged([var, grad, s], copies)


@given(states(), st.floats(0, 1), st.floats(0, 0.999), st.floats(0, 0.999),
       st.floats(1e-8, 1), st.integers(1, 10 ** 6))
def test_adam_writes_only_to_var(state, alpha, beta1, beta2, epsilon, t):
    var, grad, v, s = state
    copies = frozen(grad, v, s)
    new, _, _ = update_variables_Adam(alpha, beta1, beta2, epsilon, var,
                                      grad, v, s, t)
    unchanged([grad, v, s], copies)
    # a float array of the update's shape is the documented in-place case
    assert new is var


@given(matrices(), st.floats(0, 1))
def test_batch_norm_does_not_mutate(Z, epsilon):
    gamma = np.linspace(0.5, 2, Z.shape[1])[None, :]
    beta = np.linspace(-1, 1, Z.shape[1])[None, :]
    copies = frozen(Z, gamma, beta)
    out = batch_norm(Z, gamma, beta, epsilon)
    unchanged([Z, gamma, beta], copies)
    assert out.shape == Z.shape and np.all(np.isfinite(out))
