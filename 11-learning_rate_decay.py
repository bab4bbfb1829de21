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
    if not (isinstance(alpha, (int, float, np.number)) and alpha >= 0):
        raise ValueError("Argument `alpha` must be a number >= 0. "
                         "Received: alpha={!r}".format(alpha))
    if not (isinstance(decay_rate, (int, float, np.number))
            and decay_rate >= 0):
        raise ValueError("Argument `decay_rate` must be a number >= 0. "
                         "Received: decay_rate={!r}".format(decay_rate))
    if (isinstance(global_step, bool)
            or not isinstance(global_step, (int, np.integer))
            or global_step < 0):
        raise ValueError("Argument `global_step` must be an integer >= 0. "
                         "Received: global_step={!r}".format(global_step))
    if not (isinstance(decay_step, (int, float, np.number))
            and decay_step > 0):
        raise ValueError("Argument `decay_step` must be a number > 0. "
                         "Received: decay_step={!r}".format(decay_step))
    return float(alpha / (1 + decay_rate * np.floor(global_step /
                                                    decay_step)))
