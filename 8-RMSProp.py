#!/usr/bin/env python3
"""Task 8: RMSProp, as a Keras optimizer."""
import numpy as np
import tensorflow as tf


def create_RMSProp_op(alpha, beta2, epsilon):
    """Set up the RMSProp optimization algorithm in TensorFlow.

    s = beta2 * s + (1 - beta2) * grad ** 2
    var = var - alpha * grad / sqrt(s + epsilon)     # Keras's form

    Keras adds epsilon inside the square root; task 7 adds it outside.
    The two agree when epsilon is 0.

    Args:
        alpha: number >= 0, the learning rate, or a Keras learning-rate
            schedule such as task 12's (any callable Keras takes).
        beta2: number in [0, 1), the RMSProp weight (discounting factor).
        epsilon: number >= 0, keeps the division away from zero.

    Returns:
        optimizer: a tf.keras.optimizers.RMSprop with learning_rate=alpha,
            rho=beta2 and epsilon=epsilon.

    Raises:
        ValueError: if alpha or epsilon < 0, or beta2 is not in [0, 1).
    """
    for name, x, ok, rule in (
            ('alpha', alpha, lambda x: x >= 0,
             'a number >= 0 or a learning-rate schedule'),
            ('beta2', beta2, lambda x: 0 <= x < 1, 'a number in [0, 1)'),
            ('epsilon', epsilon, lambda x: x >= 0, 'a number >= 0')):
        if name == 'alpha' and callable(x):
            continue            # a schedule (any callable): Keras's
        # a number: Python's or numpy's int or float, not a bool
        if isinstance(x, bool) or not isinstance(
                x, (int, float, np.integer, np.floating)) or not ok(x):
            raise ValueError("Argument `{0}` must be {1}. Received: "
                             "{0}={2!r}".format(name, rule, x))
    # Python floats: Keras 3 takes no int or numpy scalar as learning_rate
    return tf.keras.optimizers.RMSprop(
        learning_rate=alpha if callable(alpha) else float(alpha),
        rho=float(beta2), epsilon=float(epsilon))
