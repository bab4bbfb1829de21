"""Tasks 5, 7 and 9: the numpy update rules."""
import math

import numpy as np
import pytest

from grading import function

update_variables_momentum = function('5-momentum')
update_variables_RMSProp = function('7-RMSProp')
update_variables_Adam = function('9-Adam')

NOTEBOOK = 5.1e-9         # half a unit in the notebook's 8th printed decimal


def notebook_case():
    """W1, b1, W2, b2, dW1, db1, dW2, db2 of the notebook's test cases.

    deeplearning.ai's update_parameters_with_momentum_test_case and
    update_parameters_with_adam_test_case draw them in this order after
    np.random.seed(1), with v and s all zeros.
    """
    np.random.seed(1)
    shapes = [(2, 3), (2, 1), (3, 3), (3, 1)] * 2
    return [np.random.randn(*shape) for shape in shapes]


def reference_adam(alpha, beta1, beta2, epsilon, var, grad, v, s, t):
    """Kingma & Ba's Algorithm 1, one element at a time, in Python floats."""
    out = []
    for x, g, m, u in zip(var, grad, v, s):
        m = beta1 * m + (1 - beta1) * g
        u = beta2 * u + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t)
        u_hat = u / (1 - beta2 ** t)
        out.append((x - alpha * m_hat / (math.sqrt(u_hat) + epsilon), m, u))
    return [np.array(column) for column in zip(*out)]


@pytest.mark.task(5)
def test_momentum_by_hand():
    # v = 0.9 * 0.5 + 0.1 * 2 = 0.65; var = 1 - 0.1 * 0.65 = 0.935
    var, v = update_variables_momentum(0.1, 0.9, np.array([1.0]),
                                       np.array([2.0]), np.array([0.5]))
    np.testing.assert_allclose(v, [0.65], rtol=1e-15)
    np.testing.assert_allclose(var, [0.935], rtol=1e-15)


@pytest.mark.task(5)
def test_momentum_notebook():
    # the notebook's printed W1, b2 and v["dW1"] after one step
    W1, b1, W2, b2, dW1, db1, dW2, db2 = notebook_case()
    W1_new, v = update_variables_momentum(0.01, 0.9, W1, dW1, 0)
    b2_new, _ = update_variables_momentum(0.01, 0.9, b2, db2, 0)
    np.testing.assert_allclose(W1_new, [[1.62544598, -0.61290114, -0.52907334],
                                        [-1.07347112, 0.86450677,
                                         -2.30085497]], atol=NOTEBOOK)
    np.testing.assert_allclose(b2_new.ravel(),
                               [-0.87809283, 0.04055394, 0.58207317],
                               atol=NOTEBOOK)
    np.testing.assert_allclose(v, [[-0.11006192, 0.11447237, 0.09015907],
                                   [0.05024943, 0.09008559, -0.06837279]],
                               atol=NOTEBOOK)


@pytest.mark.task(5)
def test_momentum_beta_0_is_gradient_descent():
    rng = np.random.default_rng(0)
    var, grad = rng.normal(size=5), rng.normal(size=5)
    new, v = update_variables_momentum(0.3, 0.0, var, grad, rng.normal(
        size=5))
    np.testing.assert_allclose(new, var - 0.3 * grad, rtol=1e-15)
    np.testing.assert_allclose(v, grad, rtol=1e-15)


@pytest.mark.task(7)
def test_rmsprop_by_hand():
    # s = 0.9 * 1 + 0.1 * 3 ** 2 = 1.8; var = 2 - 0.1 * 3 / (sqrt(1.8) + 0)
    var, s = update_variables_RMSProp(0.1, 0.9, 0.0, np.array([2.0]),
                                      np.array([3.0]), np.array([1.0]))
    np.testing.assert_allclose(s, [1.8], rtol=1e-15)
    np.testing.assert_allclose(var, [2 - 0.3 / math.sqrt(1.8)], rtol=1e-15)


@pytest.mark.task(7)
def test_rmsprop_epsilon_is_outside_the_root():
    # s = 0 and grad = 1e-6: sqrt(s') = 1e-6 * sqrt(0.1) exactly, so an
    # epsilon of 1e-6 outside the root gives a step of 1 / (sqrt(0.1) + 1)
    var, _ = update_variables_RMSProp(1.0, 0.9, 1e-6, np.array([0.0]),
                                      np.array([1e-6]), np.array([0.0]))
    np.testing.assert_allclose(var, [-1 / (math.sqrt(0.1) + 1)], rtol=1e-12)


@pytest.mark.task(9)
@pytest.mark.parametrize('t', [1, 2, 5, 100])
def test_adam_bias_correction_at_step_t(t):
    # non-zero moments at step t, so an off-by-one bias correction shows
    rng = np.random.default_rng(t)
    var, grad = rng.normal(size=6), rng.normal(size=6)
    v, s = rng.normal(scale=0.1, size=6), rng.uniform(0.01, 0.1, size=6)
    args = (0.001, 0.9, 0.999, 1e-8)
    expected = reference_adam(*args, var, grad, v, s, t)
    actual = update_variables_Adam(*args, var.copy(), grad, v, s, t)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(      # float64 rounding
            a, e, rtol=1e-13, err_msg='Adam with v_hat = v / (1 - beta1 ** '
            't), s_hat = s / (1 - beta2 ** t), t from 1')
    # one step later or earlier gives a different update
    other = update_variables_Adam(*args, var.copy(), grad, v, s, t + 1)
    assert not np.allclose(other[0], expected[0], rtol=1e-9, atol=0)


@pytest.mark.task(9)
def test_adam_notebook_t2():
    # the notebook's printed results of update_parameters_with_adam(t=2),
    # lr 0.01, beta1 0.9, beta2 0.999, epsilon 1e-8, from zero moments
    W1, b1, W2, b2, dW1, db1, dW2, db2 = notebook_case()
    W1_new, v, s = update_variables_Adam(0.01, 0.9, 0.999, 1e-8, W1, dW1,
                                         0, 0, 2)
    np.testing.assert_allclose(W1_new, [[1.63178673, -0.61919778, -0.53561312],
                                        [-1.08040999, 0.85796626,
                                         -2.29409733]], atol=NOTEBOOK)
    np.testing.assert_allclose(v, [[-0.11006192, 0.11447237, 0.09015907],
                                   [0.05024943, 0.09008559, -0.06837279]],
                               atol=NOTEBOOK)
    np.testing.assert_allclose(s, [[0.00121136, 0.00131039, 0.00081287],
                                   [0.0002525, 0.00081154, 0.00046748]],
                               atol=NOTEBOOK)
    b1_new, _, s_b1 = update_variables_Adam(0.01, 0.9, 0.999, 1e-8, b1, db1,
                                            0, 0, 2)
    np.testing.assert_allclose(b1_new.ravel(), [1.75225313, -0.75376553],
                               atol=NOTEBOOK)
    np.testing.assert_allclose(s_b1.ravel(), [1.51020075e-05, 8.75664434e-04],
                               rtol=5e-9)


@pytest.mark.parametrize('update, args', [
    pytest.param(update_variables_momentum, (0.01, 0.9), id='momentum',
                 marks=pytest.mark.task(5)),
    pytest.param(update_variables_RMSProp, (0.001, 0.9, 1e-8), id='RMSProp',
                 marks=pytest.mark.task(7)),
])
def test_scalar_bias_broadcasts_to_gradient(update, args):
    # the drivers start b = 0 and v = 0 and pass a (m, 1) gradient
    db = np.linspace(-1, 1, 7).reshape(7, 1)
    b, moment = update(*args, 0, db, 0)
    assert b.shape == moment.shape == (7, 1)
    b_again, _ = update(*args, b, db, moment)
    assert b_again.shape == (7, 1)


@pytest.mark.project
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


@pytest.mark.project
@pytest.mark.parametrize('update, args', [
    (update_variables_momentum, (0.01, 0.9)),
    (update_variables_RMSProp, (0.001, 0.9, 1e-8)),
])
def test_inputs_not_mutated(update, args):
    rng = np.random.default_rng(3)
    var, grad = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    moment = rng.uniform(0, 1, size=(4, 3))     # a valid second moment too
    copies = [a.copy() for a in (var, grad, moment)]
    update(*args, var, grad, moment)
    for a, c in zip((var, grad, moment), copies):
        np.testing.assert_array_equal(a, c)
