#!/usr/bin/env python3
"""Numbers as numpy gives them: every numbered function accepts numpy
scalars wherever its library does, and gives for them exactly what it
gives for the Python number of the same value.

The policy (README, "Bad input"): a number is a Python or numpy int or
float, an integer a Python or numpy integer; bool is neither, nor is a
complex, a string or an array.  Where Keras 3 itself rejects numpy scalars
(its optimizers' learning_rate and momentum, Dense's units), the factories
pass Python numbers on, so both stacks take them.
"""
import re

import numpy as np
import pytest

from repo import function

KINDS = [np.float32, np.float64]
INTEGERS = [np.int64, np.int32, np.uint8]


def same(actual, expected):
    """Equal values and types, down to the last bit and the dtype."""
    if isinstance(expected, (tuple, list)):
        assert type(actual) is type(expected)
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            same(a, e)
        return
    assert type(actual) is type(expected), (type(actual), type(expected))
    assert np.asarray(actual).dtype == np.asarray(expected).dtype
    np.testing.assert_array_equal(actual, expected)


def numpy_and_python(kind, value):
    """value as a numpy scalar of kind, and as the Python number of the
    same value."""
    x = kind(value)
    return x, x.item()


def arrays(dtype, seed=0, shape=(4, 3)):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape).astype(dtype) for _ in range(2)] + [
        rng.uniform(0.1, 1, size=shape).astype(dtype)]


# task, arguments with None where the numpy scalar goes, its value, and
# whether an integer goes there
NUMPY_TASKS = [
    ('4-moving_average', ([72, 78, 71.5, 68], None), 0.9),
    ('5-momentum', (None, 0.9, 'var', 'grad', 'v'), 0.01),
    ('5-momentum', (0.01, None, 'var', 'grad', 'v'), 0.9),
    ('7-RMSProp', (None, 0.9, 1e-8, 'var', 'grad', 's'), 0.001),
    ('7-RMSProp', (0.001, None, 1e-8, 'var', 'grad', 's'), 0.9),
    ('7-RMSProp', (0.001, 0.9, None, 'var', 'grad', 's'), 1e-8),
    ('9-Adam', (None, 0.9, 0.99, 1e-8, 'var', 'grad', 'v', 's', 3), 0.001),
    ('9-Adam', (0.001, None, 0.99, 1e-8, 'var', 'grad', 'v', 's', 3), 0.9),
    ('9-Adam', (0.001, 0.9, None, 1e-8, 'var', 'grad', 'v', 's', 3), 0.99),
    ('9-Adam', (0.001, 0.9, 0.99, None, 'var', 'grad', 'v', 's', 3), 1e-8),
    ('11-learning_rate_decay', (None, 1, 25, 10), 0.1),
    ('11-learning_rate_decay', (0.1, None, 25, 10), 0.5),
    ('11-learning_rate_decay', (0.1, 1, 25, None), 7.5),
    ('13-batch_norm', ('Z', 'gamma', 'beta', None), 1e-7),
]
NUMPY_INTEGER_TASKS = [
    ('3-mini_batch', ('X', 'Y', None), 3),
    ('4-moving_average', ([72, 78, 71.5, 68], None), 0),
    ('5-momentum', (None, 0.9, 'var', 'grad', 'v'), 2),
    ('9-Adam', (0.001, 0.9, 0.99, 1e-8, 'var', 'grad', 'v', 's', None), 3),
    ('11-learning_rate_decay', (0.1, 1, None, 10), 25),
    ('11-learning_rate_decay', (0.1, 1, 25, None), 10),
    ('11-learning_rate_decay', (0.1, None, 25, 10), 2),
    ('13-batch_norm', ('Z', 'gamma', 'beta', None), 1),
]


def call(task, args, x, dtype):
    """task's function on args, x in place of None, fresh arrays of dtype
    in place of their names (the same ones for every call)."""
    var, grad, moment = arrays(dtype)
    named = {'var': var, 'grad': grad, 'v': moment, 's': moment,
             'Z': var, 'gamma': np.ones((1, 3), dtype),
             'beta': np.zeros((1, 3), dtype), 'X': var, 'Y': grad}
    filled = [x if a is None else named.get(a, a) if isinstance(a, str)
              else a for a in args]
    if task == '3-mini_batch':
        np.random.seed(0)
    return function(task)(*filled)


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('kind', KINDS)
@pytest.mark.parametrize('task, args, value', NUMPY_TASKS,
                         ids=['{}-{}'.format(t, a.index(None))
                              for t, a, _ in NUMPY_TASKS])
def test_numpy_float_gives_what_its_value_gives(task, args, value, kind,
                                                dtype):
    x, py = numpy_and_python(kind, value)
    same(call(task, args, x, dtype), call(task, args, py, dtype))


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('kind', INTEGERS)
@pytest.mark.parametrize('task, args, value', NUMPY_INTEGER_TASKS,
                         ids=['{}-{}'.format(t, a.index(None))
                              for t, a, _ in NUMPY_INTEGER_TASKS])
def test_numpy_integer_gives_what_its_value_gives(task, args, value, kind,
                                                  dtype):
    x, py = numpy_and_python(kind, value)
    same(call(task, args, x, dtype), call(task, args, py, dtype))


def test_small_numpy_integer_batch_size_does_not_overflow():
    # i + batch_size in a numpy uint8 overflows past 255: numpy 2 raises,
    # numpy 1 wraps around and cuts wrong batches
    X = np.arange(1000.0)[:, None]
    for batch_size in (np.uint8(200), np.int16(64)):
        np.random.seed(0)
        batches = function('3-mini_batch')(X, X, batch_size)
        np.random.seed(0)
        same(batches, function('3-mini_batch')(X, X, int(batch_size)))


def test_moving_average_of_numpy_scalars():
    # the data-side functions took numpy arrays before; numpy scalars in
    # them (e.g. a list of np.float32) give the same as Python floats
    data = [np.float32(72.5), np.float32(78.0), np.float32(71.25)]
    same(function('4-moving_average')(data, 0.9),
         function('4-moving_average')([float(d) for d in data], 0.9))


# rejected, with the argument named: not numbers, or out of range
REJECTED = [
    ('5-momentum', (True, 0.9, 1.0, 1.0, 0.0), 'alpha', 'True'),
    ('5-momentum', (0.01, False, 1.0, 1.0, 0.0), 'beta1', 'False'),
    ('5-momentum', (np.bool_(True), 0.9, 1.0, 1.0, 0.0), 'alpha', None),
    ('5-momentum', (np.complex128(0.01), 0.9, 1.0, 1.0, 0.0), 'alpha',
     None),
    ('5-momentum', (0.01j, 0.9, 1.0, 1.0, 0.0), 'alpha', '0.01j'),
    ('5-momentum', (float('nan'), 0.9, 1.0, 1.0, 0.0), 'alpha', 'nan'),
    ('5-momentum', (np.array(0.01), 0.9, 1.0, 1.0, 0.0), 'alpha',
     'array(0.01)'),
    ('5-momentum', ([0.01], 0.9, 1.0, 1.0, 0.0), 'alpha', '[0.01]'),
    ('5-momentum', (np.array([0.01], dtype=object), 0.9, 1.0, 1.0, 0.0),
     'alpha', None),
    ('5-momentum', ('0.01', 0.9, 1.0, 1.0, 0.0), 'alpha', "'0.01'"),
    ('5-momentum', (None, 0.9, 1.0, 1.0, 0.0), 'alpha', 'None'),
    ('7-RMSProp', (0.01, np.float32('nan'), 1e-8, 1.0, 1.0, 0.0), 'beta2',
     None),
    ('7-RMSProp', (0.01, 0.9, -1e-300, 1.0, 1.0, 0.0), 'epsilon',
     '-1e-300'),
    ('9-Adam', (0.01, 0.9, 0.99, 1e-8, 1.0, 1.0, 0.0, 0.0, np.float64(2)),
     't', None),
    ('9-Adam', (0.01, 0.9, 0.99, 1e-8, 1.0, 1.0, 0.0, 0.0, True), 't',
     'True'),
    ('9-Adam', (0.01, np.float32(1), 0.99, 1e-8, 1.0, 1.0, 0.0, 0.0, 1),
     'beta1', None),
    ('11-learning_rate_decay', (0.1, 1, 5.0, 10), 'global_step', '5.0'),
    ('11-learning_rate_decay', (0.1, 1, 5, -0.0), 'decay_step', '-0.0'),
    ('11-learning_rate_decay', (0.1, 1, 5, np.int64(0)), 'decay_step',
     None),
    ('13-batch_norm', (np.ones((2, 3)), np.ones(3), np.zeros(3), True),
     'epsilon', 'True'),
    ('4-moving_average', ([1, 2], np.float64('nan')), 'beta', None),
]


@pytest.mark.parametrize('task, args, name, shown', REJECTED,
                         ids=['{}-{}-{}'.format(t, n, i) for i, (t, _, n, _)
                              in enumerate(REJECTED)])
def test_not_a_number_or_out_of_range_is_rejected(task, args, name, shown):
    message = 'Argument `{}` must be '.format(name)
    if shown is not None:
        message += '.* Received: {}={}$'.format(name, re.escape(shown))
    with pytest.raises(ValueError, match=message):
        function(task)(*args)


def test_integer_arguments_take_no_float():
    with pytest.raises(TypeError, match='Received: batch_size=2.0'):
        function('3-mini_batch')(np.ones((4, 1)), np.ones((4, 1)), 2.0)
    with pytest.raises(TypeError, match='Received: batch_size='):
        function('3-mini_batch')(np.ones((4, 1)), np.ones((4, 1)),
                                 np.float64(2))


def test_limits_that_are_numbers_are_accepted():
    # negative zero is >= 0, huge integers are integers, inf is a number
    step = function('9-Adam')
    var, v, s = step(-0.0, -0.0, 0.0, 0.0, np.ones(2), np.ones(2), 0, 0,
                     10 ** 30)
    np.testing.assert_array_equal(var, 1.0)
    assert function('11-learning_rate_decay')(0.1, 1, 10 ** 30, 10) > 0
    assert function('11-learning_rate_decay')(0.1, 1, 5, float('inf')) \
        == 0.1
    batches = function('3-mini_batch')(np.ones((5, 1)), np.ones((5, 1)),
                                       10 ** 30)
    assert len(batches) == 1 and len(batches[0][0]) == 5


def test_nan_data_gives_nan_constants_as_numpy_does():
    X = np.array([[1.0, np.nan], [2.0, 3.0], [4.0, 5.0]])
    m, s = function('0-norm_constants')(X)
    np.testing.assert_array_equal(m, X.mean(axis=0))
    np.testing.assert_array_equal(s, X.std(axis=0))


def test_shuffle_and_batches_take_any_shape_numpy_indexes():
    images = np.arange(5 * 2 * 2).reshape(5, 2, 2)
    labels = np.arange(5)
    np.random.seed(1)
    X, Y = function('2-shuffle_data')(images, labels)
    np.testing.assert_array_equal(X, images[Y])
    np.random.seed(1)
    batches = function('3-mini_batch')(images, labels, 2)
    assert [len(y) for _, y in batches] == [2, 2, 1]
    assert function('3-mini_batch')(images[:0], labels[:0], 2) == []
    point = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(
        function('1-normalize')(point, np.ones(3), np.full(3, 2.0)),
        (point - 1) / 2)


# the Keras factories: numpy scalars where Keras 3 itself takes only
# Python floats (the optimizers' learning_rate and SGD's momentum) or ints
# (Dense's units), and the same steps as for the Python numbers
FACTORIES = [
    ('6-momentum', (0.01, 0.9)),
    ('8-RMSProp', (0.001, 0.9, 1e-7)),
    ('10-Adam', (0.001, 0.9, 0.999, 1e-7)),
]


def steps(optimizer, tf, count=3):
    """A variable's values after count steps of optimizer."""
    var = tf.Variable([1.0, -2.0, 0.5])
    values = []
    for k in range(count):
        grad = tf.constant([0.3, -0.1, 0.02]) * (k + 1)
        optimizer.apply_gradients([(grad, var)])
        values.append(var.numpy().tolist())
    return values


@pytest.mark.parametrize('kind', KINDS + [np.int64])
@pytest.mark.parametrize('task, args', FACTORIES,
                         ids=[t for t, _ in FACTORIES])
def test_factories_take_numpy_scalars(task, args, kind):
    tf = pytest.importorskip('tensorflow')
    factory = function(task)
    for i, value in enumerate(args):
        if kind is np.int64:
            value = 0 if i else 1      # an integer in range for each
        x, py = numpy_and_python(kind, value)
        with_numpy = list(args)
        with_numpy[i] = x
        with_python = list(args)
        with_python[i] = py
        assert steps(factory(*with_numpy), tf) == \
            steps(factory(*with_python), tf), (i, x)


@pytest.mark.parametrize('task, args', FACTORIES,
                         ids=[t for t, _ in FACTORIES])
def test_factories_take_python_ints(task, args):
    # Keras 3 rejects learning_rate=1 and momentum=0 as ints
    tf = pytest.importorskip('tensorflow')
    factory = function(task)
    ints = [1] + [0] * (len(args) - 1)
    assert steps(factory(*ints), tf) == \
        steps(factory(*[float(a) for a in ints]), tf)


@pytest.mark.parametrize('task, args', FACTORIES,
                         ids=[t for t, _ in FACTORIES])
def test_factories_take_any_callable_keras_takes(task, args):
    tf = pytest.importorskip('tensorflow')
    optimizer = function(task)(lambda *step: 0.01, *args[1:])
    assert len(steps(optimizer, tf, 1)) == 1


@pytest.mark.parametrize('value', [True, np.complex64(0.1), np.array(0.1),
                                   '0.1', float('nan')])
def test_factories_reject_what_is_not_a_number(value):
    pytest.importorskip('tensorflow')
    with pytest.raises(ValueError, match='Argument `beta1` must be a number '
                                         r'in \[0, 1\)'):
        function('6-momentum')(0.01, value)
    with pytest.raises(ValueError, match='Argument `alpha` must be a number '
                                         '>= 0 or a learning-rate schedule'):
        function('10-Adam')(value, 0.9, 0.999, 1e-7)


SCHEDULE = [(None, 1, 10, 0.1), (0.1, None, 10, 0.5), (0.1, 1, None, 7.5)]


@pytest.mark.parametrize('kind', KINDS + INTEGERS)
@pytest.mark.parametrize('spot', range(3))
def test_schedule_takes_numpy_scalars(kind, spot):
    pytest.importorskip('tensorflow')
    decay = function('12-learning_rate_decay')
    args = list(SCHEDULE[spot][:3])
    value = SCHEDULE[spot][3]
    if kind in INTEGERS:
        value = int(np.ceil(value))
    x, py = numpy_and_python(kind, value)
    with_numpy, with_python = list(args), list(args)
    with_numpy[spot], with_python[spot] = x, py
    a, b = decay(*with_numpy), decay(*with_python)
    assert [float(a(k)) for k in (0, 9, 10, 25, 99)] == \
        [float(b(k)) for k in (0, 9, 10, 25, 99)]
    assert a(25).dtype == b(25).dtype == 'float32'


def test_schedule_takes_an_integer_rate_on_both_stacks():
    # an int alpha failed on Keras 2 (an int32 tensor times a float)
    pytest.importorskip('tensorflow')
    decay = function('12-learning_rate_decay')
    a, b = decay(1, 1, 10), decay(1.0, 1.0, 10.0)
    assert [float(a(k)) for k in (0, 10, 20)] == \
        [float(b(k)) for k in (0, 10, 20)]


@pytest.mark.parametrize('kind', INTEGERS)
def test_batch_norm_layer_takes_a_numpy_integer(kind):
    tf = pytest.importorskip('tensorflow')
    layer = function('14-batch_norm')
    prev = np.random.default_rng(0).normal(size=(6, 4)).astype(np.float32)
    tf.keras.utils.set_random_seed(0)
    a = layer(prev, kind(3), tf.nn.tanh)
    tf.keras.utils.set_random_seed(0)
    b = layer(prev, 3, tf.nn.tanh)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert a.shape == (6, 3)


@pytest.mark.parametrize('n', [True, 3.0, np.float64(3), 0, np.int64(-1)])
def test_batch_norm_layer_rejects_what_is_not_a_positive_integer(n):
    pytest.importorskip('tensorflow')
    with pytest.raises(ValueError, match='Argument `n` must be a positive '
                                         'integer'):
        function('14-batch_norm')(np.ones((2, 2), np.float32), n, 'tanh')
