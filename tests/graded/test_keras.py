#!/usr/bin/env python3
"""Tasks 6, 8 and 10: the optimizers they set up in TensorFlow, by what
they do.

The spec says "sets up ... in TensorFlow" and names no class, so each
returned optimizer is graded by its steps: in its worker it updates one
float32 tf.Variable with a few gradients (worker.optimizer_steps), and
the variable after each step is compared here with the update rule
written in numpy (tasks.keras_sgd, keras_rmsprop, keras_adam: the rules
of Keras 2.15 and Keras 3).  The hyperparameters are none of Keras's
defaults, and the gradients are small enough that epsilon changes every
step, so an argument that is dropped, swapped or passed to the wrong
parameter shows.  A tf.compat.v1 optimizer that steps the same way
passes (see the README: it cannot train Keras 3's models, so it fails
its driver on today's stack).

Keras works in float32: 4 steps of a few roundings of 6e-8 each, so the
steps are held to rtol 1e-5.
"""
import numpy as np
import pytest

from optimization_grader import tasks as rules
from optimization_grader.checks import show

FLOAT32 = 1e-5


def problem(scale, steps=4, seed=0):
    """A starting point and a few float32-exact gradients of size scale."""
    rng = np.random.default_rng(seed)
    var = rng.normal(size=(3, 2)).astype(np.float32).astype(float)
    grads = [(scale * rng.normal(size=(3, 2))).astype(np.float32).astype(
        float) for _ in range(steps)]
    return var, grads


def described(found):
    """The optimizer as its class and configuration say."""
    name = (found.get('type') or ['?'])[0].split('.')[-1]
    config = found.get('config') or {}
    keys = ('learning_rate', 'momentum', 'nesterov', 'rho', 'epsilon',
            'centered', 'beta_1', 'beta_2', 'amsgrad')
    shown = ', '.join('{}={}'.format(k, show(config[k])) for k in keys
                      if k in config)
    return '{}({})'.format(name, shown)


def check_steps(result, expected, hint):
    """The probe's steps against the numpy rule's."""
    found = result.value
    if not isinstance(found, dict):
        result.fail('could not be probed', actual=show(found))
    if found.get('is_none'):
        result.fail('returned None', expected='an optimizer',
                    actual='None', hint='return the optimizer')
    if found.get('error') or found.get('steps') is None:
        result.fail('returned {}, which could not update a tf.Variable: '
                    '{}'.format(described(found), found.get('error')),
                    expected='an optimizer whose apply_gradients steps a '
                             'tf.Variable', actual=described(found),
                    hint=hint)
    result.close(tuple(expected), rtol=FLOAT32, names=tuple(
        'variable after step {}'.format(k + 1) for k in range(len(expected))),
        actual=tuple(found['steps']), hint='{} (it returned {})'.format(
            hint, described(found)))


@pytest.mark.task(6)
@pytest.mark.parametrize('alpha, beta1', [(0.05, 0.7), (0.01, 0.9)])
def test_momentum_steps(solution, alpha, beta1):
    # Keras's velocity form: u = beta1 * u - alpha * grad; var += u
    var, grads = problem(1.0)
    result = solution.probe('optimizer_steps', (alpha, beta1), var=var,
                            grads=grads)
    check_steps(result, rules.keras_sgd(alpha, beta1, var, grads),
                'tf.keras.optimizers.SGD(learning_rate=alpha, '
                'momentum=beta1) steps u = beta1 * u - alpha * grad; '
                'var += u')


@pytest.mark.task(8)
@pytest.mark.parametrize('alpha, beta2, epsilon, scale', [
    (0.003, 0.8, 1e-4, 1e-2),   # grad ** 2 ~ epsilon: every argument counts
    (0.001, 0.9, 1e-7, 1.0),    # driver 8's
])
def test_rmsprop_steps(solution, alpha, beta2, epsilon, scale):
    # Keras's RMSprop adds epsilon inside the root:
    # s = beta2 * s + (1 - beta2) * grad ** 2; var -= alpha * grad /
    # sqrt(s + epsilon)
    var, grads = problem(scale)
    result = solution.probe('optimizer_steps', (alpha, beta2, epsilon),
                            var=var, grads=grads)
    check_steps(result, rules.keras_rmsprop(alpha, beta2, epsilon, var,
                                            grads),
                'tf.keras.optimizers.RMSprop(learning_rate=alpha, '
                'rho=beta2, epsilon=epsilon) steps var -= alpha * grad / '
                'sqrt(s + epsilon)')


@pytest.mark.task(10)
@pytest.mark.parametrize('alpha, beta1, beta2, epsilon, scale', [
    (0.003, 0.8, 0.95, 1e-3, 1e-2),     # sqrt(s) ~ epsilon: all count
    (0.001, 0.9, 0.999, 1e-7, 1.0),     # driver 10's
])
def test_adam_steps(solution, alpha, beta1, beta2, epsilon, scale):
    # Keras folds both bias corrections into the rate, so its epsilon is
    # added to the uncorrected sqrt(s)
    var, grads = problem(scale, steps=5)
    result = solution.probe('optimizer_steps', (alpha, beta1, beta2,
                                                epsilon), var=var,
                            grads=grads)
    check_steps(result, rules.keras_adam(alpha, beta1, beta2, epsilon, var,
                                         grads),
                'tf.keras.optimizers.Adam(learning_rate=alpha, '
                'beta_1=beta1, beta_2=beta2, epsilon=epsilon)')
