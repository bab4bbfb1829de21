#!/usr/bin/env python3
"""Task 10: Adam, as a Keras optimizer."""
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
            schedule such as task 12's.
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
    schedule = tf.keras.optimizers.schedules.LearningRateSchedule
    if not (isinstance(alpha, schedule)
            or isinstance(alpha, (int, float)) and alpha >= 0):
        raise ValueError("Argument `alpha` must be a number >= 0 or a "
                         "learning-rate schedule. Received: "
                         "alpha={!r}".format(alpha))
    if not (isinstance(beta1, (int, float)) and 0 <= beta1 < 1):
        raise ValueError("Argument `beta1` must be a number in [0, 1). "
                         "Received: beta1={!r}".format(beta1))
    if not (isinstance(beta2, (int, float)) and 0 <= beta2 < 1):
        raise ValueError("Argument `beta2` must be a number in [0, 1). "
                         "Received: beta2={!r}".format(beta2))
    if not (isinstance(epsilon, (int, float)) and epsilon >= 0):
        raise ValueError("Argument `epsilon` must be a number >= 0. "
                         "Received: epsilon={!r}".format(epsilon))
    return tf.keras.optimizers.Adam(learning_rate=alpha, beta_1=beta1,
                                    beta_2=beta2, epsilon=epsilon)
