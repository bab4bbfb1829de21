#!/usr/bin/env python3
"""Task 5: one step of gradient descent with momentum, in numpy."""
import numpy as np


def update_variables_momentum(alpha, beta1, var, grad, v):
    """Update a variable using gradient descent with momentum.

    v = beta1 * v + (1 - beta1) * grad
    var = var - alpha * v

    v is an exponential moving average of the gradients (deeplearning.ai's
    form).  Keras's SGD(momentum=beta1) keeps a velocity
    u = beta1 * u - lr * grad instead; u == -alpha * v when
    lr = alpha * (1 - beta1).

    Args:
        alpha: number >= 0, the learning rate.
        beta1: number in [0, 1), the momentum weight.
        var: numpy.ndarray (or number), the variable to update.
        grad: numpy.ndarray, the gradient of var.
        v: numpy.ndarray (or 0), the previous first moment of var.

    Returns:
        The updated variable and the new moment, new arrays, respectively.
        The arguments are left unchanged.  var, grad and v broadcast
        together: a bias b = 0 with a (m, 1) gradient becomes (m, 1).

    Raises:
        ValueError: if alpha < 0, beta1 is not in [0, 1), or var, grad
            and v do not broadcast together.
    """
    for name, x, ok, rule in (
            ('alpha', alpha, lambda x: x >= 0, 'a number >= 0'),
            ('beta1', beta1, lambda x: 0 <= x < 1, 'a number in [0, 1)')):
        # a number: Python's or numpy's int or float, not a bool
        if isinstance(x, bool) or not isinstance(
                x, (int, float, np.integer, np.floating)) or not ok(x):
            raise ValueError("Argument `{0}` must be {1}. Received: "
                             "{0}={2!r}".format(name, rule, x))
    # as Python floats, a numpy scalar gives what its value gives
    alpha, beta1 = float(alpha), float(beta1)
    shapes = [np.shape(a) for a in (var, grad, v)]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError("Arguments `var`, `grad` and `v` must broadcast "
                         "together. Received: var.shape={}, grad.shape={}, "
                         "v.shape={}".format(*shapes)) from None
    v = beta1 * v + (1 - beta1) * grad
    return var - alpha * v, v
