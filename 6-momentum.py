#!/usr/bin/env python3
"""Task 6: gradient descent with momentum, as a Keras optimizer."""
import numpy as np
import tensorflow as tf


def create_momentum_op(alpha, beta1):
    """Set up gradient descent with momentum in TensorFlow.

    u = beta1 * u - alpha * grad         # Keras's velocity form
    var = var + u

    This is Keras's form, not task 5's moving average: the steps are
    1 / (1 - beta1) times larger for the same alpha, and equal to task 5's
    when alpha here is alpha * (1 - beta1) there.

    Args:
        alpha: number >= 0, the learning rate, or a Keras learning-rate
            schedule such as task 12's (any callable Keras takes).
        beta1: number in [0, 1), the momentum weight.

    Returns:
        optimizer: a tf.keras.optimizers.SGD with learning_rate=alpha and
            momentum=beta1.

    Raises:
        ValueError: if alpha < 0 or beta1 is not in [0, 1).
    """
    for name, x, ok, rule in (
            ('alpha', alpha, lambda x: x >= 0,
             'a number >= 0 or a learning-rate schedule'),
            ('beta1', beta1, lambda x: 0 <= x < 1, 'a number in [0, 1)')):
        if name == 'alpha' and callable(x):
            continue            # a schedule (any callable): Keras's
        # a number: Python's or numpy's int or float, not a bool
        if isinstance(x, bool) or not isinstance(
                x, (int, float, np.integer, np.floating)) or not ok(x):
            raise ValueError("Argument `{0}` must be {1}. Received: "
                             "{0}={2!r}".format(name, rule, x))
    # Python floats: Keras 3's SGD takes no int or numpy scalar as
    # learning_rate or momentum
    return tf.keras.optimizers.SGD(
        learning_rate=alpha if callable(alpha) else float(alpha),
        momentum=float(beta1))
