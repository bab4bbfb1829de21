#!/usr/bin/env python3
"""Task 7: one step of RMSProp, in numpy."""
import numpy as np


def update_variables_RMSProp(alpha, beta2, epsilon, var, grad, s):
    """Update a variable using the RMSProp optimization algorithm.

    s = beta2 * s + (1 - beta2) * grad ** 2
    var = var - alpha * grad / (np.sqrt(s) + epsilon)

    epsilon is added outside the square root, as in deeplearning.ai's
    course; Keras's RMSprop adds it inside.

    Args:
        alpha: number >= 0, the learning rate.
        beta2: number in [0, 1), the RMSProp weight.
        epsilon: number >= 0, keeps the division away from zero.
        var: numpy.ndarray (or number), the variable to update.
        grad: numpy.ndarray, the gradient of var.
        s: numpy.ndarray (or 0), the previous second moment of var.

    Returns:
        The updated variable and the new moment, new arrays, respectively.
        The arguments are left unchanged.  var, grad and s broadcast
        together: a bias b = 0 with a (m, 1) gradient becomes (m, 1).

    Raises:
        ValueError: if alpha or epsilon < 0, beta2 is not in [0, 1), or
            var, grad and s do not broadcast together.
    """
    if not (isinstance(alpha, (int, float, np.number)) and alpha >= 0):
        raise ValueError("Argument `alpha` must be a number >= 0. "
                         "Received: alpha={!r}".format(alpha))
    if not (isinstance(beta2, (int, float, np.number)) and 0 <= beta2 < 1):
        raise ValueError("Argument `beta2` must be a number in [0, 1). "
                         "Received: beta2={!r}".format(beta2))
    if not (isinstance(epsilon, (int, float, np.number)) and epsilon >= 0):
        raise ValueError("Argument `epsilon` must be a number >= 0. "
                         "Received: epsilon={!r}".format(epsilon))
    try:
        np.broadcast_shapes(np.shape(var), np.shape(grad), np.shape(s))
    except ValueError:
        raise ValueError(
            "Arguments `var`, `grad` and `s` must broadcast together. "
            "Received: var.shape={}, grad.shape={}, s.shape={}".format(
                np.shape(var), np.shape(grad), np.shape(s))) from None
    s = beta2 * s + (1 - beta2) * grad ** 2
    # alpha * grad first, then the division: the order the course's
    # reference used (7-main's documented costs to 5e-8 on its stack).
    return var - alpha * grad / (np.sqrt(s) + epsilon), s
