#!/usr/bin/env python3
"""Task 1: standardize a data matrix with given constants."""
import numpy as np


def normalize(X, m, s):
    """Standardize each feature of X with its mean and standard deviation.

    X_norm = (X - m) / s

    A feature with s == 0 is constant; it is divided by 1 instead of 0
    and so comes out as 0 rather than NaN (scikit-learn's StandardScaler
    does the same).

    Args:
        X: numpy.ndarray of shape (d, nx): d data points, nx features
            (any shape (..., nx) works, e.g. one point (nx,)).
        m: numpy.ndarray of shape (nx,), the mean of each feature.
        s: numpy.ndarray of shape (nx,), the standard deviation of each
            feature, >= 0.

    Returns:
        The normalized X, a new numpy.ndarray of the shape of X.

    Raises:
        TypeError: if X, m or s is not numeric.
        ValueError: if m or s is not of shape (nx,), or s has a negative
            value.
    """
    X, m, s = np.asarray(X), np.asarray(m), np.asarray(s)
    for name, value in (('X', X), ('m', m), ('s', s)):
        if not np.issubdtype(value.dtype, np.number):
            raise TypeError("Argument `{0}` must be numeric. Received: "
                            "{0}.dtype={1}".format(name, value.dtype))
    for name, value in (('m', m), ('s', s)):
        if value.shape != X.shape[-1:]:
            raise ValueError("Argument `{0}` must have shape (nx,) = {1}. "
                             "Received: {0}.shape={2}".format(
                                 name, X.shape[-1:], value.shape))
    if np.any(s < 0):
        raise ValueError("Argument `s` must be non-negative. "
                         "Received: s={}".format(s))
    return (X - m) / np.where(s == 0, 1, s)
