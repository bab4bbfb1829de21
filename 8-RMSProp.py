#!/usr/bin/env python3
"""Task 8: RMSProp, as a Keras optimizer."""
import tensorflow as tf


def create_RMSProp_op(alpha, beta2, epsilon):
    """Set up the RMSProp optimization algorithm in TensorFlow.

    s = beta2 * s + (1 - beta2) * grad ** 2
    var = var - alpha * grad / sqrt(s + epsilon)     # Keras's form

    Keras adds epsilon inside the square root; task 7 adds it outside.
    The two agree when epsilon is 0.

    Args:
        alpha: number >= 0, the learning rate, or a Keras learning-rate
            schedule such as task 12's.
        beta2: number in [0, 1), the RMSProp weight (discounting factor).
        epsilon: number >= 0, keeps the division away from zero.

    Returns:
        optimizer: a tf.keras.optimizers.RMSprop with learning_rate=alpha,
            rho=beta2 and epsilon=epsilon.

    Raises:
        ValueError: if alpha or epsilon < 0, or beta2 is not in [0, 1).
    """
    schedule = tf.keras.optimizers.schedules.LearningRateSchedule
    if not (isinstance(alpha, schedule)
            or isinstance(alpha, (int, float)) and alpha >= 0):
        raise ValueError("Argument `alpha` must be a number >= 0 or a "
                         "learning-rate schedule. Received: "
                         "alpha={!r}".format(alpha))
    if not (isinstance(beta2, (int, float)) and 0 <= beta2 < 1):
        raise ValueError("Argument `beta2` must be a number in [0, 1). "
                         "Received: beta2={!r}".format(beta2))
    if not (isinstance(epsilon, (int, float)) and epsilon >= 0):
        raise ValueError("Argument `epsilon` must be a number >= 0. "
                         "Received: epsilon={!r}".format(epsilon))
    return tf.keras.optimizers.RMSprop(learning_rate=alpha, rho=beta2,
                                       epsilon=epsilon)
