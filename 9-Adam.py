#!/usr/bin/env python3
"""Task 9: one step of Adam, in numpy."""
import numpy as np


def update_variables_Adam(alpha, beta1, beta2, epsilon, var, grad, v, s, t):
    """Update a variable in place using the Adam optimization algorithm.

    v = beta1 * v + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    v_hat = v / (1 - beta1 ** t)         # t counted from 1
    s_hat = s / (1 - beta2 ** t)
    var = var - alpha * v_hat / (np.sqrt(s_hat) + epsilon)

    epsilon is added outside the square root, to the bias-corrected
    sqrt(s_hat) (Kingma & Ba's algorithm); Keras's Adam adds it to the
    uncorrected sqrt(s).

    In place: when var is a writable floating-point numpy.ndarray with
    the shape of the update, it is updated in place and returned.
    Otherwise it cannot hold the result (a number such as the bias b = 0,
    an integer array, or a var that grad broadcasts to a larger shape), so
    a new array is returned and var is left unchanged.  Use the returned
    value either way.  v and s are never modified: new ones are returned.

    Args:
        alpha: number >= 0, the learning rate.
        beta1: number in [0, 1), the weight of the first moment.
        beta2: number in [0, 1), the weight of the second moment.
        epsilon: number >= 0, keeps the division away from zero.
        var: numpy.ndarray (or number), the variable to update.
        grad: numpy.ndarray, the gradient of var.
        v: numpy.ndarray (or 0), the previous first moment of var.
        s: numpy.ndarray (or 0), the previous second moment of var.
        t: int >= 1, the number of this step, for the bias correction.

    Returns:
        The updated variable, the new first moment and the new second
        moment, respectively.

    Raises:
        ValueError: if alpha or epsilon < 0, beta1 or beta2 is not in
            [0, 1), t is not an integer >= 1, or var, grad, v and s do
            not broadcast together.
    """
    for name, x, ok, rule in (
            ('alpha', alpha, lambda x: x >= 0, 'a number >= 0'),
            ('beta1', beta1, lambda x: 0 <= x < 1, 'a number in [0, 1)'),
            ('beta2', beta2, lambda x: 0 <= x < 1, 'a number in [0, 1)'),
            ('epsilon', epsilon, lambda x: x >= 0, 'a number >= 0'),
            ('t', t, lambda x: isinstance(x, (int, np.integer)) and x >= 1,
             'an integer >= 1 (steps are counted from 1)')):
        # a number: Python's or numpy's int or float, not a bool
        if isinstance(x, bool) or not isinstance(
                x, (int, float, np.integer, np.floating)) or not ok(x):
            raise ValueError("Argument `{0}` must be {1}. Received: "
                             "{0}={2!r}".format(name, rule, x))
    # as Python floats, a numpy scalar gives what its value gives
    alpha, beta1, beta2, epsilon = map(float, (alpha, beta1, beta2, epsilon))
    shapes = [np.shape(a) for a in (var, grad, v, s)]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError("Arguments `var`, `grad`, `v` and `s` must broadcast "
                         "together. Received: var.shape={}, grad.shape={}, "
                         "v.shape={}, s.shape={}".format(*shapes)) from None
    v = beta1 * v + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad ** 2
    v_hat = v / (1 - beta1 ** t)
    s_hat = s / (1 - beta2 ** t)
    step = alpha * v_hat / (np.sqrt(s_hat) + epsilon)
    if (isinstance(var, np.ndarray) and var.shape == shape
            and np.issubdtype(var.dtype, np.floating)
            and var.flags.writeable):
        var -= step
        return var, v, s
    return var - step, v, s
