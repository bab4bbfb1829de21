#!/usr/bin/env python3
"""Task 2: shuffle two data matrices the same way."""
import numpy as np


def shuffle_data(X, Y):
    """Shuffle the rows of X and Y with one shared permutation.

    p = np.random.permutation(m)
    X_shuffled, Y_shuffled = X[p], Y[p]

    The permutation comes from numpy's global random state, so
    np.random.seed makes the shuffle repeatable.  Any shapes (m, ...)
    work, e.g. images (m, h, w) with labels (m,).

    Args:
        X: numpy.ndarray of shape (m, nx), the first matrix.
        Y: numpy.ndarray of shape (m, ny), the second matrix.

    Returns:
        The shuffled X and Y, new arrays, respectively: row i of both comes
        from the same row p[i] of the inputs.

    Raises:
        ValueError: if X and Y differ in number of rows (a number has
            none).
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y):
        raise ValueError("Arguments `X` and `Y` must have the same number of "
                         "rows. Received: X.shape={}, Y.shape={}".format(
                             X.shape, Y.shape))
    p = np.random.permutation(len(X))
    return X[p], Y[p]
