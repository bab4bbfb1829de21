#!/usr/bin/env python3
"""Bad arguments raise a clear error that names the argument and echoes it.

The messages follow Keras's form: ``Argument `batch_size` must be a
positive integer. Received: batch_size=0``.  What the documented drivers
pass (b = 0, integer data, lists, a (m, 1) bias gradient) is accepted:
the driver tests show that.
"""
import re

import numpy as np
import pytest

from repo import function


X = np.arange(12.0).reshape(4, 3)
Y = np.arange(8.0).reshape(4, 2)
V = np.zeros(3)


def call(module, *args):
    """A thunk calling the spec's function of a numbered module."""
    return lambda: function(module)(*args)


CASES = [
    # module, arguments, error, message
    ('0-norm_constants', (np.arange(3.0),), ValueError,
     'Argument `X` must be a 2-D array of shape (m, nx) with m >= 1. '
     'Received: X.shape=(3,)'),
    ('0-norm_constants', (np.empty((0, 3)),), ValueError,
     'Received: X.shape=(0, 3)'),
    ('0-norm_constants', (np.array([['a', 'b']]),), TypeError,
     'Argument `X` must be a numeric array. Received: X.dtype=<U1'),
    ('1-normalize', (np.arange(3.0), V, np.ones(2)), ValueError,
     'Argument `s` must have shape (nx,) = (3,). Received: s.shape=(2,)'),
    ('1-normalize', (X, np.zeros(2), V + 1), ValueError,
     'Argument `m` must have shape (nx,) = (3,). Received: m.shape=(2,)'),
    ('1-normalize', (X, V, np.array([1.0, -1.0, 1.0])), ValueError,
     'Argument `s` must be non-negative. Received: s=[ 1. -1.  1.]'),
    ('2-shuffle_data', (np.float64(4.0), Y), ValueError,
     'Arguments `X` and `Y` must have the same number of rows. '
     'Received: X.shape=(), Y.shape=(4, 2)'),
    ('2-shuffle_data', (X, Y[:3]), ValueError,
     'Arguments `X` and `Y` must have the same number of rows. '
     'Received: X.shape=(4, 3), Y.shape=(3, 2)'),
    ('3-mini_batch', (X, Y, 0), ValueError,
     'Argument `batch_size` must be a positive integer. '
     'Received: batch_size=0'),
    ('3-mini_batch', (X, Y, -2), ValueError, 'Received: batch_size=-2'),
    ('3-mini_batch', (X, Y, 2.5), TypeError,
     'Argument `batch_size` must be a positive integer. '
     'Received: batch_size=2.5'),
    ('3-mini_batch', (X, Y, True), TypeError, 'Received: batch_size=True'),
    ('3-mini_batch', (X, Y[:2], 2), ValueError,
     'Received: X.shape=(4, 3), Y.shape=(2, 2)'),
    ('4-moving_average', ([1, 2], 1), ValueError,
     'Argument `beta` must be a number in [0, 1). Received: beta=1'),
    ('4-moving_average', ([1, 2], -0.1), ValueError, 'Received: beta=-0.1'),
    ('4-moving_average', ([1, 2], '0.9'), ValueError,
     "Received: beta='0.9'"),
    ('4-moving_average', ([[1, 2]], 0.9), ValueError,
     'Argument `data` must be 1-D. Received: data with shape (1, 2)'),
    ('4-moving_average', (['a', 'b'], 0.9), ValueError,
     "Argument `data` must be a list of numbers. Received: data=['a', 'b']"),
    ('5-momentum', (-0.1, 0.9, V, V, V), ValueError,
     'Argument `alpha` must be a number >= 0. Received: alpha=-0.1'),
    ('5-momentum', (0.1, 1.0, V, V, V), ValueError,
     'Argument `beta1` must be a number in [0, 1). Received: beta1=1.0'),
    ('5-momentum', (0.1, 0.9, V, np.zeros(4), V), ValueError,
     'Arguments `var`, `grad` and `v` must broadcast together. '
     'Received: var.shape=(3,), grad.shape=(4,), v.shape=(3,)'),
    ('7-RMSProp', (0.1, 1.5, 1e-8, V, V, V), ValueError,
     'Argument `beta2` must be a number in [0, 1). Received: beta2=1.5'),
    ('7-RMSProp', (0.1, 0.9, -1e-8, V, V, V), ValueError,
     'Argument `epsilon` must be a number >= 0. Received: epsilon=-1e-08'),
    ('7-RMSProp', (-1, 0.9, 1e-8, V, V, V), ValueError,
     'Received: alpha=-1'),
    ('7-RMSProp', (0.1, 0.9, 1e-8, V, V, np.zeros(2)), ValueError,
     'Arguments `var`, `grad` and `s` must broadcast together.'),
    ('9-Adam', (0.1, 0.9, 0.99, 1e-8, V, V, V, V, 0), ValueError,
     'Argument `t` must be an integer >= 1 (steps are counted from 1). '
     'Received: t=0'),
    ('9-Adam', (0.1, 0.9, 0.99, 1e-8, V, V, V, V, 1.5), ValueError,
     'Received: t=1.5'),
    ('9-Adam', (0.1, -0.9, 0.99, 1e-8, V, V, V, V, 1), ValueError,
     'Argument `beta1` must be a number in [0, 1). Received: beta1=-0.9'),
    ('9-Adam', (0.1, 0.9, 1, 1e-8, V, V, V, V, 1), ValueError,
     'Argument `beta2` must be a number in [0, 1). Received: beta2=1'),
    ('9-Adam', (0.1, 0.9, 0.99, -1.0, V, V, V, V, 1), ValueError,
     'Received: epsilon=-1.0'),
    ('9-Adam', (-0.1, 0.9, 0.99, 1e-8, V, V, V, V, 1), ValueError,
     'Received: alpha=-0.1'),
    ('9-Adam', (0.1, 0.9, 0.99, 1e-8, V, V, V, np.zeros(5), 1), ValueError,
     'Arguments `var`, `grad`, `v` and `s` must broadcast together.'),
    ('11-learning_rate_decay', (0.1, 1, 5, 0), ValueError,
     'Argument `decay_step` must be a number > 0. Received: decay_step=0'),
    ('11-learning_rate_decay', (0.1, 1, 5, -10), ValueError,
     'Received: decay_step=-10'),
    ('11-learning_rate_decay', (0.1, 1, -1, 10), ValueError,
     'Argument `global_step` must be an integer >= 0. '
     'Received: global_step=-1'),
    ('11-learning_rate_decay', (0.1, -1, 5, 10), ValueError,
     'Argument `decay_rate` must be a number >= 0. Received: decay_rate=-1'),
    ('11-learning_rate_decay', (-0.1, 1, 5, 10), ValueError,
     'Received: alpha=-0.1'),
    ('13-batch_norm', (np.arange(3.0), V, V, 1e-7), ValueError,
     'Argument `Z` must be a 2-D array of shape (m, n) with m >= 1. '
     'Received: Z.shape=(3,)'),
    ('13-batch_norm', (X[:0], V, V, 1e-7), ValueError,
     'Received: Z.shape=(0, 3)'),
    ('13-batch_norm', (X, np.ones((1, 2)), V, 1e-7), ValueError,
     'Argument `gamma` must have shape (1, n) = (1, 3). '
     'Received: gamma.shape=(1, 2)'),
    ('13-batch_norm', (X, V, V, -1e-7), ValueError,
     'Argument `epsilon` must be a number >= 0. Received: epsilon=-1e-07'),
]
TF_CASES = [
    ('6-momentum', (-0.01, 0.9), ValueError,
     'Argument `alpha` must be a number >= 0 or a learning-rate schedule. '
     'Received: alpha=-0.01'),
    ('6-momentum', (0.01, 1), ValueError,
     'Argument `beta1` must be a number in [0, 1). Received: beta1=1'),
    ('8-RMSProp', (0.01, 0.9, -1e-7), ValueError,
     'Argument `epsilon` must be a number >= 0. Received: epsilon=-1e-07'),
    ('8-RMSProp', (0.01, -0.5, 1e-7), ValueError, 'Received: beta2=-0.5'),
    ('10-Adam', (0.01, 0.9, 1.2, 1e-7), ValueError,
     'Argument `beta2` must be a number in [0, 1). Received: beta2=1.2'),
    ('10-Adam', ('fast', 0.9, 0.999, 1e-7), ValueError,
     "Received: alpha='fast'"),
    ('12-learning_rate_decay', (0.1, 1, 0), ValueError,
     'Argument `decay_step` must be a number > 0. Received: decay_step=0'),
    ('12-learning_rate_decay', (0.1, -2, 10), ValueError,
     'Received: decay_rate=-2'),
    ('14-batch_norm', (X, 0, 'tanh'), ValueError,
     'Argument `n` must be a positive integer. Received: n=0'),
    ('14-batch_norm', (X, 2.0, 'tanh'), ValueError, 'Received: n=2.0'),
]


def label(case):
    return '{}:{}'.format(case[0], case[3][-30:])


@pytest.mark.parametrize('module, args, error, message', CASES,
                         ids=[label(c) for c in CASES])
def test_numpy_tasks(module, args, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call(module, *args)()


@pytest.mark.parametrize('module, args, error, message', TF_CASES,
                         ids=[label(c) for c in TF_CASES])
def test_tensorflow_tasks(module, args, error, message):
    pytest.importorskip('tensorflow')
    with pytest.raises(error, match=re.escape(message)):
        call(module, *args)()
