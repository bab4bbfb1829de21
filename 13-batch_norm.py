#!/usr/bin/env python3
"""Task 13: batch normalization of a layer's unactivated output, in numpy."""
import numpy as np


def batch_norm(Z, gamma, beta, epsilon):
    """Normalize Z over the batch, then scale it by gamma and shift by beta.

    mu = Z.mean(axis=0)
    var = Z.var(axis=0)
    Z_norm = (Z - mu) / np.sqrt(var + epsilon)
    Z_tilde = gamma * Z_norm + beta

    A feature with zero variance and epsilon == 0 is divided by 1 instead
    of 0: its Z - mu is 0, so it comes out as beta rather than NaN.

    Args:
        Z: numpy.ndarray of shape (m, n): m data points, n features.
        gamma: numpy.ndarray of shape (1, n), the scales.
        beta: numpy.ndarray of shape (1, n), the offsets.
        epsilon: number >= 0, keeps the division away from zero.

    Returns:
        The normalized Z, a new numpy.ndarray of shape (m, n).

    Raises:
        TypeError: if Z is not numeric.
        ValueError: if Z is not 2-D or has no rows, gamma or beta is not
            of shape (1, n) or (n,), or epsilon < 0.
    """
    Z = np.asarray(Z)
    if not np.issubdtype(Z.dtype, np.number):
        raise TypeError("Argument `Z` must be a numeric array. "
                        "Received: Z.dtype={}".format(Z.dtype))
    if Z.ndim != 2 or Z.shape[0] == 0:
        raise ValueError("Argument `Z` must be a 2-D array of shape (m, n) "
                         "with m >= 1. Received: Z.shape={}".format(Z.shape))
    for name, value in (('gamma', gamma), ('beta', beta)):
        if np.shape(value) not in ((1, Z.shape[1]), (Z.shape[1],)):
            raise ValueError("Argument `{0}` must have shape (1, n) = {1}. "
                             "Received: {0}.shape={2}".format(
                                 name, (1, Z.shape[1]), np.shape(value)))
    if isinstance(epsilon, bool) or not isinstance(epsilon, (
            int, float, np.integer, np.floating)) or not epsilon >= 0:
        raise ValueError("Argument `epsilon` must be a number >= 0. "
                         "Received: epsilon={!r}".format(epsilon))
    epsilon = float(epsilon)    # a numpy scalar gives what its value gives
    std = np.sqrt(Z.var(axis=0) + epsilon)
    Z_norm = (Z - Z.mean(axis=0)) / np.where(std == 0, 1, std)
    return gamma * Z_norm + beta
