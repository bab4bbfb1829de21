#!/usr/bin/env python3
"""Task 4: the bias-corrected exponentially weighted moving average."""
import numpy as np


def moving_average(data, beta):
    """Calculate the weighted moving average of data, with bias correction.

    v = beta * v + (1 - beta) * x      # v starts at 0
    average = v / (1 - beta ** t)      # t counted from 1

    Without the correction the first averages lean towards the 0 that v
    starts from; dividing by 1 - beta ** t, the sum of the weights so far,
    removes that bias.  The recurrence is sequential, so it runs as a loop
    over Python floats; computing beta ** t anew at each step (not as a
    running product) is what keeps the documented digits.

    Args:
        data: list (or 1-D numpy.ndarray) of numbers, in order.
        beta: number in [0, 1), the weight given to the past.

    Returns:
        A list of Python floats, the moving average at each point of data
        (an empty list for empty data).

    Raises:
        ValueError: if data is not 1-D or not numeric, or beta is not a
            number in [0, 1).
    """
    if isinstance(beta, bool) or not isinstance(
            beta, (int, float, np.integer, np.floating)) or not 0 <= beta < 1:
        raise ValueError("Argument `beta` must be a number in [0, 1). "
                         "Received: beta={!r}".format(beta))
    try:
        values = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("Argument `data` must be a list of numbers. "
                         "Received: data={!r}".format(data)) from None
    if values.ndim != 1:
        raise ValueError("Argument `data` must be 1-D. Received: data with "
                         "shape {}".format(values.shape))
    beta, weight, v = float(beta), 1 - float(beta), 0.0
    # `v :=` carries the average from one point to the next
    return [(v := beta * v + weight * x) / (1 - beta ** t)
            for t, x in enumerate(values.tolist(), 1)]
