#!/usr/bin/env python3
"""Task 2: shuffle two data matrices the same way."""
import numpy as np


def shuffle_data(X, Y):
    """Shuffle the rows of X and Y with one shared permutation.

    p = np.random.permutation(m)
    X_shuffled, Y_shuffled = X[p], Y[p]

    The permutation comes from numpy's global random state, so
    np.random.seed makes the shuffle repeatable.

    Args:
        X: numpy.ndarray of shape (m, nx), the first matrix.
        Y: numpy.ndarray of shape (m, ny), the second matrix.

    Returns:
        The shuffled X and Y, new arrays, respectively: row i of both comes
        from the same row p[i] of the inputs.

    Raises:
        ValueError: if X or Y is not 2-D, they differ in number of rows,
            or they have no rows.
    """
    X, Y = np.asarray(X), np.asarray(Y)
    for name, value in (('X', X), ('Y', Y)):
        if value.ndim != 2:
            raise ValueError("Argument `{0}` must be a 2-D array. Received: "
                             "{0}.shape={1}".format(name, value.shape))
    if X.shape[0] != Y.shape[0]:
        raise ValueError("Arguments `X` and `Y` must have the same number of "
                         "rows. Received: X.shape={}, Y.shape={}".format(
                             X.shape, Y.shape))
    if X.shape[0] == 0:
        raise ValueError("Arguments `X` and `Y` must hold at least one data "
                         "point. Received: X.shape={}".format(X.shape))
    p = np.random.permutation(X.shape[0])
    return X[p], Y[p]
