#!/usr/bin/env python3
"""Tasks 13 and 14: batch normalization, in numpy and in TensorFlow.

Task 13 against the spec's printed output, hand computations and the
properties that define it.  Task 14 by what its layer does: in its worker
the function builds its layer on an input (worker.batch_norm_layer),
which reports the Dense layers it created (the spec names Dense and its
initializer, so those are checked by type) and the output; here the
output is compared with batch normalization of that Dense layer's own
output, tasks.bn_layer, with gamma 1, beta 0 and epsilon 1e-7.
"""
import numpy as np
import pytest

from optimization_grader import tasks as rules
from optimization_grader.checks import show

PRINTED = 5.1e-9      # half a unit in numpy's 8th printed decimal


def driver_data():
    """Driver 13's Z, gamma and beta."""
    np.random.seed(0)
    a = np.random.normal(0, 2, size=(100, 1))
    b = np.random.normal(2, 1, size=(100, 1))
    c = np.random.normal(-3, 10, size=(100, 1))
    Z = np.concatenate((a, b, c), axis=1)
    return Z, np.random.rand(1, 3), np.random.rand(1, 3)


@pytest.mark.task(13)
def test_documented(solution):
    # the spec's output of 13-main: its first 3 rows
    Z, gamma, beta = driver_data()
    result = solution.call(Z, gamma, beta, 1e-7, about="driver 13's Z, "
                           "gamma and beta, epsilon=1e-7")
    result.array(shape=(100, 3))
    result.close(np.array([[1.48744674, 0.95227432, 0.82862045],
                           [0.63640336, -0.291899, 0.83717117],
                           [0.99742624, -0.26214196, 0.92538004]]),
                 rtol=0, atol=PRINTED, names=('first 3 rows',),
                 part=lambda value: np.asarray(value)[:3])


@pytest.mark.task(13)
def test_by_hand(solution):
    # mu = 2, var = 1: Z_norm = [-1, 1]; times 2 plus 1 = [-1, 3]
    solution.call(np.array([[1.0], [3.0]]), np.array([[2.0]]),
                  np.array([[1.0]]), 0).close(np.array([[-1.0], [3.0]]),
                                              rtol=1e-15)


@pytest.mark.task(13)
@pytest.mark.parametrize('epsilon', [0, 1e-7, 1e-2])
def test_unit_scale_gives_mean_0_and_shrunk_std(solution, epsilon):
    rng = np.random.default_rng(4)
    Z = rng.normal(5, 3, size=(500, 6))
    result = solution.call(Z, np.ones((1, 6)), np.zeros((1, 6)), epsilon,
                           about='Z of shape (500, 6), gamma=1, beta=0, '
                                 'epsilon={}'.format(epsilon))
    out = result.array(shape=(500, 6))
    var = Z.var(axis=0)
    result.close(np.zeros(6), rtol=0, atol=1e-14, names=('column means',),
                 actual=out.mean(axis=0))
    result.close(np.sqrt(var / (var + epsilon)), rtol=1e-13,
                 names=('column standard deviations',),
                 actual=out.std(axis=0))


@pytest.mark.task(13)
def test_gamma_and_beta_can_undo_the_normalization(solution):
    rng = np.random.default_rng(5)
    Z = rng.normal(-2, 4, size=(50, 3))
    gamma, beta = Z.std(axis=0, keepdims=True), Z.mean(axis=0, keepdims=True)
    solution.call(Z, gamma, beta, 0, about='Z of shape (50, 3), gamma its '
                  'std, beta its mean, epsilon=0').close(Z, rtol=1e-13)


def layer(solution, prev, n, activation):
    """Call task 14 in its worker; return (result, its Dense layer)."""
    result = solution.probe('batch_norm_layer', (prev, n, activation),
                            about='prev of shape {}, n={}, activation='
                                  'tf.nn.{}'.format(prev.shape, n,
                                                    activation),
                            prev=prev, n=n, activation_name=activation)
    found = result.value
    if found.get('is_none'):
        result.fail('returned None', expected='a tensor', actual='None',
                    hint='return the activated output')
    dense = [d for d in found['dense'] if d.get('kernel') is not None]
    if not dense:
        result.fail('made no tf.keras.layers.Dense layer', expected='a Dense '
                    'layer of {} units as the base layer'.format(n),
                    actual='none', hint='z = tf.keras.layers.Dense(n, '
                    'kernel_initializer=...)(prev)')
    return result, dense[-1]


@pytest.mark.task(14)
def test_dense_base_layer(solution):
    rng = np.random.default_rng(6)
    result, dense = layer(solution, rng.normal(size=(8, 5)).astype(
        np.float32), 4, 'tanh')
    initializer = dense['initializer'] or {}
    config = initializer.get('config') or {}
    if dense['units'] != 4:
        result.fail('made a Dense layer of {} units'.format(dense['units']),
                    expected='n = 4 units', actual=str(dense['units']))
    if initializer.get('class_name') != 'VarianceScaling' or \
            config.get('mode') != 'fan_avg':
        result.fail('made a Dense layer with kernel initializer {}'.format(
            show(initializer)[:120]),
            expected="tf.keras.initializers.VarianceScaling(mode='fan_avg')",
            actual='{}(mode={})'.format(initializer.get('class_name'),
                                        config.get('mode')),
            hint='pass kernel_initializer=tf.keras.initializers.'
                 "VarianceScaling(mode='fan_avg') to the Dense layer")
    found = result.value
    if not found['is_tensor']:
        result.fail('returned a {}'.format((found['type'] or ['?'])[0]),
                    expected='a tensor', actual=(found['type'] or ['?'])[0],
                    hint='return the activation of the normalized tensor')
    output = found['output']
    if output is None or np.shape(output) != (8, 4):
        result.fail('returned an output of shape {}'.format(
            np.shape(output) if output is not None else None),
            expected='shape (8, 4)', actual=found['error'] or str(
                np.shape(output)))


@pytest.mark.task(14)
@pytest.mark.parametrize('activation, scale', [
    ('tanh', 1.0), ('relu', 1.0), ('identity', 1.0),
    ('tanh', 0.003),        # Dense outputs of variance ~1e-5: epsilon shows
])
def test_matches_task_13(solution, activation, scale):
    # the batch's own statistics: a BatchNormalization layer called in
    # inference mode (its moving mean 0 and variance 1) fails here
    rng = np.random.default_rng(7)
    X = (scale * rng.uniform(0, 1, size=(200, 30))).astype(np.float32)
    result, dense = layer(solution, X, 16, activation)
    z = X.astype(float) @ dense['kernel']
    if dense['bias'] is not None:
        z = z + dense['bias']
    result.extra['z'] = z
    # a float32 layer against float64 numpy: normalized values of size ~3
    # carry ~1e-6 of float32 rounding
    result.close(rules.bn_layer(z, activation), rtol=0, atol=1e-5,
                 names=('output',), actual=result.value['output'],
                 hint="activation(gamma * (z - mean) / sqrt(var + 1e-7) + "
                      "beta) with the batch's own mean and variance of "
                      "the Dense layer's output z, gamma 1 and beta 0")
