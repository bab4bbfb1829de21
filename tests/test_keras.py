"""Tasks 6, 8 and 10: the Keras optimizers, checked against tasks 5, 7, 9.

Each factory is checked through get_config(), with hyperparameters that
are not Keras's defaults (so an argument passed into the wrong slot
shows), and through real apply_gradients steps on a tf.Variable, compared
with this repository's numpy rule of the same algorithm where the two
formulas agree.  Keras works in float32, so the comparisons allow rtol
1e-5: a few roundings of 6e-8 per step.
"""
import numpy as np
import pytest

from grading import function, reference

tf = pytest.importorskip('tensorflow')

create_momentum_op = function('6-momentum')
create_RMSProp_op = function('8-RMSProp')
create_Adam_op = function('10-Adam')
update_variables_momentum = reference('5-momentum').update_variables_momentum
update_variables_RMSProp = reference('7-RMSProp').update_variables_RMSProp
update_variables_Adam = reference('9-Adam').update_variables_Adam

FLOAT32 = 1e-5


def keras_steps(optimizer, var, grads):
    """Apply each gradient with the optimizer; return the variable."""
    variable = tf.Variable(var, dtype=tf.float32)
    for grad in grads:
        optimizer.apply_gradients([(tf.constant(grad, tf.float32),
                                    variable)])
    return variable.numpy()


def problem(steps=4, seed=0):
    """A starting point and a few float32-exact gradients."""
    rng = np.random.default_rng(seed)
    var = rng.normal(size=(3, 2)).astype(np.float32).astype(float)
    grads = [rng.normal(size=(3, 2)).astype(np.float32).astype(float)
             for _ in range(steps)]
    return var, grads


@pytest.mark.task(6)
@pytest.mark.parametrize('alpha, beta1', [(0.01, 0.9), (0.1, 0.5)])
def test_momentum_config(alpha, beta1):
    optimizer = create_momentum_op(alpha, beta1)
    assert isinstance(optimizer, tf.keras.optimizers.SGD)
    config = optimizer.get_config()
    assert config['learning_rate'] == pytest.approx(alpha, rel=1e-7)
    assert config['momentum'] == pytest.approx(beta1, rel=1e-7)
    assert config['nesterov'] is False


@pytest.mark.task(6)
@pytest.mark.parametrize('alpha, beta1', [(0.01, 0.9), (0.1, 0.5)])
def test_momentum_steps_match_task_5(alpha, beta1):
    # Keras's velocity u = beta1 * u - lr * grad equals -alpha * v of
    # task 5 when lr = alpha * (1 - beta1)
    var, grads = problem()
    actual = keras_steps(create_momentum_op(alpha * (1 - beta1), beta1),
                         var, grads)
    expected, v = var, 0
    for grad in grads:
        expected, v = update_variables_momentum(alpha, beta1, expected, grad,
                                                v)
    np.testing.assert_allclose(actual, expected, rtol=FLOAT32)


@pytest.mark.task(8)
@pytest.mark.parametrize('alpha, beta2, epsilon', [(0.003, 0.8, 1e-5),
                                                   (0.001, 0.9, 1e-8)])
def test_rmsprop_config(alpha, beta2, epsilon):
    # Keras's defaults are 0.001, 0.9, 1e-7: none of them here
    optimizer = create_RMSProp_op(alpha, beta2, epsilon)
    assert isinstance(optimizer, tf.keras.optimizers.RMSprop)
    config = optimizer.get_config()
    assert config['momentum'] == 0, (
        'RMSprop got momentum={}: pass rho= and epsilon= by name'.format(
            config['momentum']))
    assert config['learning_rate'] == pytest.approx(alpha, rel=1e-7)
    assert config['rho'] == pytest.approx(beta2, rel=1e-7)
    assert config['epsilon'] == pytest.approx(epsilon, rel=1e-7)
    assert config['centered'] is False


@pytest.mark.task(8)
def test_rmsprop_steps_match_task_7():
    # with epsilon 0 the two forms are the same
    var, grads = problem()
    actual = keras_steps(create_RMSProp_op(0.01, 0.9, 0.0), var, grads)
    expected, s = var, 0
    for grad in grads:
        expected, s = update_variables_RMSProp(0.01, 0.9, 0.0, expected,
                                               grad, s)
    np.testing.assert_allclose(actual, expected, rtol=FLOAT32)


@pytest.mark.task(8)
def test_rmsprop_keras_epsilon_is_inside_the_root():
    # one step from s = 0 with grad g: s = 0.1 g^2, and Keras divides by
    # sqrt(s + epsilon); task 7 would divide by sqrt(s) + epsilon
    g, eps = 0.01, 1e-4
    actual = keras_steps(create_RMSProp_op(1.0, 0.9, eps), 0.0, [g])
    np.testing.assert_allclose(actual, -g / np.sqrt(0.1 * g * g + eps),
                               rtol=FLOAT32)
    assert not np.isclose(actual, -g / (np.sqrt(0.1) * g + eps),
                          rtol=1e-2)


@pytest.mark.task(10)
@pytest.mark.parametrize('alpha, beta1, beta2, epsilon', [
    (0.003, 0.8, 0.99, 1e-5), (0.001, 0.9, 0.999, 1e-8)])
def test_adam_config(alpha, beta1, beta2, epsilon):
    # Keras's defaults are 0.001, 0.9, 0.999, 1e-7: the first case shares
    # none of them
    optimizer = create_Adam_op(alpha, beta1, beta2, epsilon)
    assert isinstance(optimizer, tf.keras.optimizers.Adam)
    config = optimizer.get_config()
    assert config['learning_rate'] == pytest.approx(alpha, rel=1e-7)
    assert config['beta_1'] == pytest.approx(beta1, rel=1e-7)
    assert config['beta_2'] == pytest.approx(beta2, rel=1e-7)
    assert config['epsilon'] == pytest.approx(epsilon, rel=1e-7)
    assert config['amsgrad'] is False


@pytest.mark.task(10)
def test_adam_steps_match_task_9():
    # with epsilon 0 Keras's folded bias correction is task 9's, t from 1
    var, grads = problem(steps=5)
    actual = keras_steps(create_Adam_op(0.01, 0.9, 0.99, 0.0), var, grads)
    expected, v, s = var.copy(), 0, 0
    for t, grad in enumerate(grads, 1):
        expected, v, s = update_variables_Adam(0.01, 0.9, 0.99, 0.0,
                                               expected, grad, v, s, t)
    np.testing.assert_allclose(actual, expected, rtol=FLOAT32)


@pytest.mark.project
def test_factories_accept_a_schedule():
    schedule = reference('12-learning_rate_decay').learning_rate_decay(
        0.1, 1, 10)
    for optimizer in (create_momentum_op(schedule, 0.9),
                      create_RMSProp_op(schedule, 0.9, 1e-7),
                      create_Adam_op(schedule, 0.9, 0.999, 1e-7)):
        assert optimizer.get_config()['learning_rate']['class_name'] == \
            'InverseTimeDecay'
