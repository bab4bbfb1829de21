#!/usr/bin/env python3
"""Task 3: mini-batches for mini-batch gradient descent."""
import numpy as np
shuffle_data = __import__('2-shuffle_data').shuffle_data


def create_mini_batches(X, Y, batch_size):
    """Shuffle X and Y together and cut them into mini-batches.

    X, Y = shuffle_data(X, Y)
    batches = [(X[i:i + batch_size], Y[i:i + batch_size])
               for i in range(0, m, batch_size)]

    The last batch holds the m % batch_size points left over, if any, so
    each data point is in exactly one batch.  The batches are views of one
    shuffled copy of the data: they take no memory of their own.

    Args:
        X: numpy.ndarray of shape (m, nx), the input data.
        Y: numpy.ndarray of shape (m, ny), the labels.
        batch_size: positive int, the number of data points in a batch.

    Returns:
        A list of ceil(m / batch_size) tuples (X_batch, Y_batch); X and
        Y may have any shapes (m, ...), as in shuffle_data.

    Raises:
        TypeError: if batch_size is not an integer.
        ValueError: if batch_size < 1, or X and Y differ in number of
            rows.
    """
    integer = (isinstance(batch_size, (int, np.integer))
               and not isinstance(batch_size, bool))
    if not integer or batch_size < 1:
        raise (ValueError if integer else TypeError)(
            "Argument `batch_size` must be a positive integer. "
            "Received: batch_size={!r}".format(batch_size))
    batch_size = int(batch_size)    # i + np.uint8(200) would overflow
    X, Y = shuffle_data(X, Y)
    return [(X[i:i + batch_size], Y[i:i + batch_size])
            for i in range(0, X.shape[0], batch_size)]
