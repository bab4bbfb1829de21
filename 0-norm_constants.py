#!/usr/bin/env python3
"""Task 0: the standardization constants of a data matrix."""
import numpy as np


def normalization_constants(X):
    """Calculate the mean and standard deviation of each feature of X.

    m = X.mean(axis=0)
    s = X.std(axis=0)      # population standard deviation (ddof=0)

    Args:
        X: numpy.ndarray of shape (m, nx): m data points, nx features.

    Returns:
        The mean and the standard deviation of each feature, two
        numpy.ndarray of shape (nx,), respectively.

    Raises:
        TypeError: if X is not numeric.
        ValueError: if X is not 2-D, has no rows, or a column is not
            finite (NaN or inf in X would make its constants NaN or inf
            and, downstream, every normalized value of that feature).
    """
    X = np.asarray(X)
    if not np.issubdtype(X.dtype, np.number):
        raise TypeError("Argument `X` must be a numeric array. "
                        "Received: X.dtype={}".format(X.dtype))
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError("Argument `X` must be a 2-D array of shape (m, nx) "
                         "with m >= 1. Received: X.shape={}".format(X.shape))
    mean = X.mean(axis=0)
    # A NaN or inf anywhere in a column shows up in that column's mean,
    # so this costs O(nx) instead of a second pass over X.
    bad = np.flatnonzero(~np.isfinite(mean))
    if bad.size:
        raise ValueError("Argument `X` must hold finite values. Received: X "
                         "whose columns {} have a mean of {}".format(
                             bad.tolist(), mean[bad].tolist()))
    return mean, X.std(axis=0)
