#!/usr/bin/env python3
"""Task 12: stepwise inverse time decay, as a Keras schedule."""
import tensorflow as tf


def learning_rate_decay(alpha, decay_rate, decay_step):
    """Create a stepwise inverse time decay of the learning rate.

    alpha_t = alpha / (1 + decay_rate * floor(step / decay_step))

    The schedule is computed in float32, so it prints e.g. 0.033333335
    where task 11's float64 prints 0.03333333333333333.

    Args:
        alpha: number >= 0, the original learning rate.
        decay_rate: number >= 0, how fast alpha decays.
        decay_step: number > 0, the passes of gradient descent between
            two decays.

    Returns:
        A tf.keras.optimizers.schedules.InverseTimeDecay with
        staircase=True: call it with a step to get alpha_t, or pass it to
        an optimizer as its learning_rate.

    Raises:
        ValueError: if alpha or decay_rate < 0, or decay_step <= 0.
    """
    if not (isinstance(alpha, (int, float)) and alpha >= 0):
        raise ValueError("Argument `alpha` must be a number >= 0. "
                         "Received: alpha={!r}".format(alpha))
    if not (isinstance(decay_rate, (int, float)) and decay_rate >= 0):
        raise ValueError("Argument `decay_rate` must be a number >= 0. "
                         "Received: decay_rate={!r}".format(decay_rate))
    if not (isinstance(decay_step, (int, float)) and decay_step > 0):
        raise ValueError("Argument `decay_step` must be a number > 0. "
                         "Received: decay_step={!r}".format(decay_step))
    return tf.keras.optimizers.schedules.InverseTimeDecay(
        initial_learning_rate=alpha, decay_steps=decay_step,
        decay_rate=decay_rate, staircase=True)
