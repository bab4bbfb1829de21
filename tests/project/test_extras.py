#!/usr/bin/env python3
"""What this project adds beyond the spec, on its own numbered files.

Not graded (a student's solution need not do any of it): zero-variance
guards, no mutation of the arguments, mini-batches as views, plain
Python floats from moving_average, task 9's in-place update, a bias-free
Dense layer in task 14, and factories that accept a schedule.
"""
import numpy as np
import pytest

from repo import function, module

normalization_constants = function('0-norm_constants')
normalize = function('1-normalize')
shuffle_data = function('2-shuffle_data')
create_mini_batches = function('3-mini_batch')
moving_average = function('4-moving_average')
update_variables_momentum = function('5-momentum')
update_variables_RMSProp = function('7-RMSProp')
update_variables_Adam = function('9-Adam')
batch_norm = function('13-batch_norm')
TEMPERATURES = [72, 78, 71, 68, 66, 69, 79, 79, 65, 64, 66, 78, 64, 64, 81,
                71, 69, 65, 72, 64, 60, 61, 62, 66, 72, 72, 67, 67, 67, 68,
                75]


def paired(m, nx=3, ny=2):
    i = np.arange(m)
    return i[:, None] * 10.0 + np.arange(nx), -i[:, None] * 100 - np.arange(
        ny)


def test_zero_variance_feature_becomes_zero():
    X = np.array([[7.0, 1.0], [7.0, 3.0]])
    m, s = normalization_constants(X)
    Z = normalize(X, m, s)
    assert np.all(np.isfinite(Z))
    np.testing.assert_array_equal(Z[:, 0], 0)
    np.testing.assert_allclose(Z[:, 1], [-1, 1])


@pytest.mark.parametrize('epsilon', [0, 1e-7])
def test_zero_variance_feature_becomes_beta(epsilon):
    Z = np.array([[4.0, 1.0], [4.0, 2.0], [4.0, 6.0]])
    out = batch_norm(Z, np.array([[3.0, 1.0]]), np.array([[0.5, 0.0]]),
                     epsilon)
    assert np.all(np.isfinite(out))
    np.testing.assert_array_equal(out[:, 0], 0.5)


def test_normalization_inputs_not_mutated():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    X_copy = X.copy()
    m, s = normalization_constants(X)
    m_copy, s_copy = m.copy(), s.copy()
    normalize(X, m, s)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(m, m_copy)
    np.testing.assert_array_equal(s, s_copy)


def test_batch_norm_inputs_not_mutated():
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(100, 3))
    gamma, beta = np.ones((1, 3)), np.zeros((1, 3))
    copies = [a.copy() for a in (Z, gamma, beta)]
    batch_norm(Z, gamma, beta, 1e-7)
    for a, c in zip((Z, gamma, beta), copies):
        np.testing.assert_array_equal(a, c)


def test_mini_batches_are_views_of_one_copy():
    X, Y = paired(100)
    batches = create_mini_batches(X, Y, 32)
    assert len({id(x.base) for x, _ in batches}) == 1
    assert len({id(y.base) for _, y in batches}) == 1
    assert not np.shares_memory(batches[0][0], X)


@pytest.mark.parametrize('batch_size', [np.int64(4), 4])
def test_mini_batch_size_may_be_numpy_int(batch_size):
    X, Y = paired(10)
    assert len(create_mini_batches(X, Y, batch_size)) == 3


def test_shuffle_and_batches_do_not_mutate():
    X, Y = paired(20)
    X0, Y0 = X.copy(), Y.copy()
    shuffle_data(X, Y)
    create_mini_batches(X, Y, 3)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


def test_moving_average_of_nothing():
    assert moving_average([], 0.9) == []


@pytest.mark.parametrize('data, beta', [
    (TEMPERATURES, np.float64(0.9)),
    (np.array(TEMPERATURES), 0.9),
    (np.array(TEMPERATURES, dtype=np.float32), np.float32(0.9)),
])
def test_moving_average_returns_plain_python_floats(data, beta):
    averages = moving_average(data, beta)
    assert isinstance(averages, list)
    assert all(type(a) is float for a in averages)
    assert 'np.' not in repr(averages)


def test_moving_average_data_not_mutated():
    data = list(TEMPERATURES)
    moving_average(data, 0.9)
    assert data == TEMPERATURES


@pytest.mark.parametrize('update, args', [
    (update_variables_momentum, (0.01, 0.9)),
    (update_variables_RMSProp, (0.001, 0.9, 1e-8)),
])
def test_updates_do_not_mutate(update, args):
    rng = np.random.default_rng(3)
    var, grad = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    moment = rng.uniform(0, 1, size=(4, 3))     # a valid second moment too
    copies = [a.copy() for a in (var, grad, moment)]
    update(*args, var, grad, moment)
    for a, c in zip((var, grad, moment), copies):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize('t', [1, 2, 5, 100])
def test_adam_step_t_matters(t):
    # the graded test_adam_bias_correction_at_step_t uses these inputs:
    # with them, t + 1 gives another update, so an off-by-one shows
    rng = np.random.default_rng(t)
    var, grad = rng.normal(size=6), rng.normal(size=6)
    v, s = rng.normal(scale=0.1, size=6), rng.uniform(0.01, 0.1, size=6)
    args = (0.001, 0.9, 0.999, 1e-8)
    at_t = update_variables_Adam(*args, var.copy(), grad, v, s, t)[0]
    after = update_variables_Adam(*args, var.copy(), grad, v, s, t + 1)[0]
    assert not np.allclose(at_t, after, rtol=1e-9, atol=0)


class TestAdamInPlace:
    """Where var can hold the update, task 9 writes it in place."""

    args = (0.01, 0.9, 0.999, 1e-8)

    def step(self, var, grad=None):
        grad = np.full(np.shape(var), 0.5) if grad is None else grad
        v, s = np.full(np.shape(grad), 0.1), np.full(np.shape(grad), 0.2)
        v0, s0 = v.copy(), s.copy()
        result = update_variables_Adam(*self.args, var, grad, v, s, 3)
        # the moments passed in are never written to
        np.testing.assert_array_equal(v, v0)
        np.testing.assert_array_equal(s, s0)
        return result

    @pytest.mark.parametrize('dtype', [np.float64, np.float32])
    def test_float_array_is_updated_in_place(self, dtype):
        var = np.ones((3, 2), dtype=dtype)
        new, v, s = self.step(var)
        assert new is var
        assert var.dtype == dtype
        assert np.all(var < 1)

    @pytest.mark.parametrize('var', [0, 0.0, np.float64(1.0)])
    def test_number_gives_new_array(self, var):
        new, v, s = self.step(var, grad=np.full((4, 1), 0.5))
        assert isinstance(new, np.ndarray) and new.shape == (4, 1)

    def test_integer_array_is_left_alone(self):
        var = np.array([1, 2, 3])
        new, _, _ = self.step(var)
        np.testing.assert_array_equal(var, [1, 2, 3])
        assert new.dtype == np.float64 and np.all(new < var)

    def test_broadcast_var_is_left_alone(self):
        var = np.zeros((1, 1))
        new, _, _ = self.step(var, grad=np.full((5, 1), 0.5))
        assert new.shape == (5, 1)
        np.testing.assert_array_equal(var, 0)

    def test_read_only_array_is_left_alone(self):
        var = np.ones(3)
        var.flags.writeable = False
        new, _, _ = self.step(var)
        assert new is not var
        np.testing.assert_array_equal(var, 1)


def test_factories_accept_a_schedule():
    pytest.importorskip('tensorflow')
    schedule = function('12-learning_rate_decay')(0.1, 1, 10)
    for optimizer in (function('6-momentum')(schedule, 0.9),
                      function('8-RMSProp')(schedule, 0.9, 1e-7),
                      function('10-Adam')(schedule, 0.9, 0.999, 1e-7)):
        assert optimizer.get_config()['learning_rate']['class_name'] == \
            'InverseTimeDecay'


def test_dense_has_no_bias(monkeypatch):
    # beta takes its place; a bias would be removed by the normalization
    tf = pytest.importorskip('tensorflow')
    created = []

    class RecordingDense(tf.keras.layers.Dense):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            created.append(self)

    monkeypatch.setattr(tf.keras.layers, 'Dense', RecordingDense)
    module('14-batch_norm').create_batch_norm_layer(
        np.ones((4, 3), np.float32), 2, tf.nn.tanh)
    assert created and created[-1].get_config()['use_bias'] is False
