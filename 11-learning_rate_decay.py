#!/usr/bin/env python3
"""Task 11: stepwise inverse time decay of the learning rate, in numpy."""
import numpy as np


def learning_rate_decay(alpha, decay_rate, global_step, decay_step):
    """Calculate the learning rate after stepwise inverse time decay.

    alpha_t = alpha / (1 + decay_rate * np.floor(global_step / decay_step))

    The rate stays constant for decay_step steps, then drops: with
    decay_rate = 1 it is alpha / 2 after one decay_step, alpha / 3 after
    two, and so on (Keras's InverseTimeDecay with staircase=True).

    Args:
        alpha: number >= 0, the original learning rate.
        decay_rate: number >= 0, how fast alpha decays.
        global_step: int >= 0, the passes of gradient descent so far.
        decay_step: number > 0, the passes between two decays.

    Returns:
        The decayed learning rate, a Python float.

    Raises:
        ValueError: if alpha or decay_rate < 0, global_step is not an
            integer >= 0, or decay_step <= 0.
    """
    for name, x, ok, rule in (
            ('alpha', alpha, lambda x: x >= 0, 'a number >= 0'),
            ('decay_rate', decay_rate, lambda x: x >= 0, 'a number >= 0'),
            ('global_step', global_step,
             lambda x: isinstance(x, (int, np.integer)) and x >= 0,
             'an integer >= 0'),
            ('decay_step', decay_step, lambda x: x > 0, 'a number > 0')):
        # a number: Python's or numpy's int or float, not a bool
        if isinstance(x, bool) or not isinstance(
                x, (int, float, np.integer, np.floating)) or not ok(x):
            raise ValueError("Argument `{0}` must be {1}. Received: "
                             "{0}={2!r}".format(name, rule, x))
    # as Python floats, a numpy scalar gives what its value gives
    alpha, decay_rate, decay_step = map(float, (alpha, decay_rate, decay_step))
    return float(alpha / (1 + decay_rate * np.floor(global_step /
                                                    decay_step)))
