#!/usr/bin/env python3
"""Task 12: stepwise inverse time decay, as a Keras schedule."""
import numpy as np
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
    for name, x, ok, rule in (
            ('alpha', alpha, lambda x: x >= 0, 'a number >= 0'),
            ('decay_rate', decay_rate, lambda x: x >= 0, 'a number >= 0'),
            ('decay_step', decay_step, lambda x: x > 0, 'a number > 0')):
        # a number: Python's or numpy's int or float, not a bool
        if isinstance(x, bool) or not isinstance(
                x, (int, float, np.integer, np.floating)) or not ok(x):
            raise ValueError("Argument `{0}` must be {1}. Received: "
                             "{0}={2!r}".format(name, rule, x))
    # Python floats: Keras 2 fails on an int alpha, and a numpy float64
    # one would make the schedule float64
    return tf.keras.optimizers.schedules.InverseTimeDecay(
        initial_learning_rate=float(alpha), decay_steps=float(decay_step),
        decay_rate=float(decay_rate), staircase=True)
