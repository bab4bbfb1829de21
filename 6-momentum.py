#!/usr/bin/env python3
"""Task 6: gradient descent with momentum, as a Keras optimizer."""
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
            schedule such as task 12's.
        beta1: number in [0, 1), the momentum weight.

    Returns:
        optimizer: a tf.keras.optimizers.SGD with learning_rate=alpha and
            momentum=beta1.

    Raises:
        ValueError: if alpha < 0 or beta1 is not in [0, 1).
    """
    schedule = tf.keras.optimizers.schedules.LearningRateSchedule
    if not (isinstance(alpha, schedule)
            or isinstance(alpha, (int, float)) and alpha >= 0):
        raise ValueError("Argument `alpha` must be a number >= 0 or a "
                         "learning-rate schedule. Received: "
                         "alpha={!r}".format(alpha))
    if not (isinstance(beta1, (int, float)) and 0 <= beta1 < 1):
        raise ValueError("Argument `beta1` must be a number in [0, 1). "
                         "Received: beta1={!r}".format(beta1))
    return tf.keras.optimizers.SGD(learning_rate=alpha, momentum=beta1)
