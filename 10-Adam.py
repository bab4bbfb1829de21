#!/usr/bin/env python3
"""Task 10: Adam, as a Keras optimizer."""
import numpy as np
import tensorflow as tf


def create_Adam_op(alpha, beta1, beta2, epsilon):
    """Set up the Adam optimization algorithm in TensorFlow.

    v = beta1 * v + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    lr_t = alpha * sqrt(1 - beta2 ** t) / (1 - beta1 ** t)   # t from 1
    var = var - lr_t * v / (sqrt(s) + epsilon)               # Keras's form

    Keras folds both bias corrections into lr_t, so its epsilon is added
    to the uncorrected sqrt(s); task 9 adds it to the corrected one.  The
    two agree when epsilon is 0.

    Args:
        alpha: number >= 0, the learning rate, or a Keras learning-rate
            schedule such as task 12's (any callable Keras takes).
        beta1: number in [0, 1), the weight of the first moment.
        beta2: number in [0, 1), the weight of the second moment.
        epsilon: number >= 0, keeps the division away from zero.

    Returns:
        optimizer: a tf.keras.optimizers.Adam with learning_rate=alpha,
            beta_1=beta1, beta_2=beta2 and epsilon=epsilon.

    Raises:
        ValueError: if alpha or epsilon < 0, or beta1 or beta2 is not in
            [0, 1).
    """
    for name, x, ok, rule in (
            ('alpha', alpha, lambda x: x >= 0,
             'a number >= 0 or a learning-rate schedule'),
            ('beta1', beta1, lambda x: 0 <= x < 1, 'a number in [0, 1)'),
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
    return tf.keras.optimizers.Adam(
        learning_rate=alpha if callable(alpha) else float(alpha),
        beta_1=float(beta1), beta_2=float(beta2), epsilon=float(epsilon))
