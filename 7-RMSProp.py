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
    for name, x, ok, rule in (
            ('alpha', alpha, lambda x: x >= 0, 'a number >= 0'),
            ('beta2', beta2, lambda x: 0 <= x < 1, 'a number in [0, 1)'),
            ('epsilon', epsilon, lambda x: x >= 0, 'a number >= 0')):
        # a number: Python's or numpy's int or float, not a bool
        if isinstance(x, bool) or not isinstance(
                x, (int, float, np.integer, np.floating)) or not ok(x):
            raise ValueError("Argument `{0}` must be {1}. Received: "
                             "{0}={2!r}".format(name, rule, x))
    # as Python floats, a numpy scalar gives what its value gives
    alpha, beta2, epsilon = float(alpha), float(beta2), float(epsilon)
    shapes = [np.shape(a) for a in (var, grad, s)]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError("Arguments `var`, `grad` and `s` must broadcast "
                         "together. Received: var.shape={}, grad.shape={}, "
                         "s.shape={}".format(*shapes)) from None
    s = beta2 * s + (1 - beta2) * grad ** 2
    # alpha * grad first, then the division: the order the course's
    # reference used (7-main's documented costs to 5e-8 on its stack).
    return var - alpha * grad / (np.sqrt(s) + epsilon), s
