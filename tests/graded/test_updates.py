#!/usr/bin/env python3
"""Tasks 5, 7 and 9: the numpy update rules.

Expected values: hand computations, the notebook's printed results
(deeplearning.ai's momentum and Adam test cases), and Kingma & Ba's
Algorithm 1 written out element by element in Python floats.
"""
import math

import numpy as np
import pytest

from optimization_grader import tasks as rules

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
def test_momentum_by_hand(solution):
    # v = 0.9 * 0.5 + 0.1 * 2 = 0.65; var = 1 - 0.1 * 0.65 = 0.935
    solution.call(0.1, 0.9, np.array([1.0]), np.array([2.0]),
                  np.array([0.5])).close((np.array([0.935]),
                                          np.array([0.65])), rtol=1e-15)


@pytest.mark.task(5)
def test_momentum_notebook(solution):
    # the notebook's printed W1, b2 and v["dW1"] after one step
    W1, b1, W2, b2, dW1, db1, dW2, db2 = notebook_case()
    solution.call(0.01, 0.9, W1, dW1, 0, about="the notebook's W1 and dW1, "
                                               "v=0").close(
        (np.array([[1.62544598, -0.61290114, -0.52907334],
                   [-1.07347112, 0.86450677, -2.30085497]]),
         np.array([[-0.11006192, 0.11447237, 0.09015907],
                   [0.05024943, 0.09008559, -0.06837279]])),
        rtol=0, atol=NOTEBOOK)
    result = solution.call(0.01, 0.9, b2, db2, 0, about="the notebook's b2 "
                                                        "and db2, v=0")
    result.close(np.array([-0.87809283, 0.04055394, 0.58207317]), rtol=0,
                 atol=NOTEBOOK, names=('var, raveled',),
                 part=lambda value: np.ravel(value[0]))


@pytest.mark.task(5)
def test_momentum_beta_0_is_gradient_descent(solution):
    rng = np.random.default_rng(0)
    var, grad = rng.normal(size=5), rng.normal(size=5)
    solution.call(0.3, 0.0, var, grad, rng.normal(size=5)).close(
        (var - 0.3 * grad, grad), rtol=1e-15)


@pytest.mark.task(7)
def test_rmsprop_by_hand(solution):
    # s = 0.9 * 1 + 0.1 * 3 ** 2 = 1.8; var = 2 - 0.1 * 3 / (sqrt(1.8) + 0)
    solution.call(0.1, 0.9, 0.0, np.array([2.0]), np.array([3.0]),
                  np.array([1.0])).close(
        (np.array([2 - 0.3 / math.sqrt(1.8)]), np.array([1.8])), rtol=1e-15)


@pytest.mark.task(7)
def test_rmsprop_epsilon_is_outside_the_root(solution):
    # s = 0 and grad = 1e-6: sqrt(s') = 1e-6 * sqrt(0.1), so an epsilon of
    # 1e-6 outside the root gives a step of 1 / (sqrt(0.1) + 1)
    solution.call(1.0, 0.9, 1e-6, np.array([0.0]), np.array([1e-6]),
                  np.array([0.0])).close(
        (np.array([-1 / (math.sqrt(0.1) + 1)]), np.array([1e-13])),
        rtol=1e-12)


@pytest.mark.task(9)
def test_adam_epsilon_is_outside_the_root(solution):
    # zero moments and grad = 1e-6 at t = 1: sqrt(s_hat) = 1e-6, so an
    # epsilon of 1e-6 outside the root halves the step (var = -0.5), where
    # inside it the step is about 1e-3
    args = (1.0, 0.9, 0.9, 1e-6, np.array([0.0]), np.array([1e-6]),
            np.array([0.0]), np.array([0.0]), 1)
    solution.call(*args).close(tuple(reference_adam(*args)), rtol=1e-12)


@pytest.mark.task(9)
@pytest.mark.parametrize('t', [1, 2, 5, 100])
def test_adam_bias_correction_at_step_t(solution, t):
    # non-zero moments at step t, so an off-by-one bias correction shows
    # (tests/project checks that t + 1 gives another update here)
    rng = np.random.default_rng(t)
    var, grad = rng.normal(size=6), rng.normal(size=6)
    v, s = rng.normal(scale=0.1, size=6), rng.uniform(0.01, 0.1, size=6)
    args = (0.001, 0.9, 0.999, 1e-8)
    solution.call(*args, var, grad, v, s, t).close(
        tuple(reference_adam(*args, var, grad, v, s, t)), rtol=1e-13,
        hint='v_hat = v / (1 - beta1 ** t), s_hat = s / (1 - beta2 ** t), '
             't counted from 1')


@pytest.mark.task(9)
def test_adam_notebook_t2(solution):
    # the notebook's printed results of update_parameters_with_adam(t=2),
    # lr 0.01, beta1 0.9, beta2 0.999, epsilon 1e-8, from zero moments
    W1, b1, W2, b2, dW1, db1, dW2, db2 = notebook_case()
    solution.call(0.01, 0.9, 0.999, 1e-8, W1, dW1, 0, 0, 2,
                  about="the notebook's W1 and dW1, v=0, s=0, t=2").close(
        (np.array([[1.63178673, -0.61919778, -0.53561312],
                   [-1.08040999, 0.85796626, -2.29409733]]),
         np.array([[-0.11006192, 0.11447237, 0.09015907],
                   [0.05024943, 0.09008559, -0.06837279]]),
         np.array([[0.00121136, 0.00131039, 0.00081287],
                   [0.0002525, 0.00081154, 0.00046748]])),
        rtol=0, atol=NOTEBOOK)
    result = solution.call(0.01, 0.9, 0.999, 1e-8, b1, db1, 0, 0, 2,
                           about="the notebook's b1 and db1, v=0, s=0, t=2")
    result.close(np.array([1.75225313, -0.75376553]), rtol=0, atol=NOTEBOOK,
                 names=('var, raveled',),
                 part=lambda value: np.ravel(value[0]))
    result.close(np.array([1.51020075e-05, 8.75664434e-04]), rtol=5e-9,
                 names=('s, raveled',),
                 part=lambda value: np.ravel(value[2]))


@pytest.mark.parametrize('args, rule', [
    pytest.param((0.01, 0.9), rules.momentum_rule, id='momentum',
                 marks=pytest.mark.task(5)),
    pytest.param((0.001, 0.9, 1e-8), rules.rmsprop_rule, id='RMSProp',
                 marks=pytest.mark.task(7)),
])
def test_scalar_bias_broadcasts_to_gradient(solution, args, rule):
    # the drivers start b = 0 and v = 0 and pass a (m, 1) gradient
    db = np.linspace(-1, 1, 7).reshape(7, 1)
    first = rule(*args, 0, db, 0)
    solution.call(*args, 0, db, 0, about='var=0, grad of shape (7, 1), '
                                         'moment=0').close(first, rtol=1e-15)
    solution.call(*args, first[0], db, first[1], about='var and moment of '
                  'shape (7, 1) after one step').close(
        rule(*args, first[0], db, first[1]), rtol=1e-15)
