#!/usr/bin/env python3
"""Task 0: the standardization constants of a data matrix."""
import numpy as np


def normalization_constants(X):
    """Calculate the mean and standard deviation of each feature of X.

    m = X.mean(axis=0)
    s = X.std(axis=0)      # population standard deviation (ddof=0)

    As in numpy, a NaN or inf in a column makes its constants NaN or inf.

    Args:
        X: numpy.ndarray of shape (m, nx): m data points, nx features.

    Returns:
        The mean and the standard deviation of each feature, two
        numpy.ndarray of shape (nx,), respectively.

    Raises:
        TypeError: if X is not numeric.
        ValueError: if X is not 2-D or has no rows.
    """
    X = np.asarray(X)
    if not np.issubdtype(X.dtype, np.number):
        raise TypeError("Argument `X` must be a numeric array. "
                        "Received: X.dtype={}".format(X.dtype))
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError("Argument `X` must be a 2-D array of shape (m, nx) "
                         "with m >= 1. Received: X.shape={}".format(X.shape))
    return X.mean(axis=0), X.std(axis=0)
