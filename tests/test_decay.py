"""Tasks 11 and 12: stepwise inverse time decay."""
import numpy as np
import pytest

from drivers import documented
from grading import function, reference

decay_numpy = function('11-learning_rate_decay')
decay_tensorflow = function('12-learning_rate_decay')


def documented_rates(n):
    """The 100 rates printed by driver n (11 or 12), from the spec."""
    return [float(line) for line in documented(n).splitlines()]


@pytest.mark.task(11)
def test_numpy_documented():
    # driver 11: alpha 0.1, decay_rate 1, decay_step 10; float64, exact
    rates = [decay_numpy(0.1, 1, i, 10) for i in range(100)]
    assert rates == documented_rates(11)


@pytest.mark.task(11)
@pytest.mark.parametrize('alpha, rate, step, decay_step, expected', [
    (0.1, 1, 0, 10, 0.1),
    (0.1, 1, 9, 10, 0.1),             # no decay before decay_step passes
    (0.1, 1, 10, 10, 0.05),           # 0.1 / (1 + 1)
    (0.1, 1, 25, 10, 0.1 / 3),
    (1.0, 0.5, 7, 2, 1 / 2.5),        # floor(7 / 2) = 3: 1 / (1 + 1.5)
    (0.3, 0, 1000, 1, 0.3),           # decay_rate 0: constant
    (0.01, 2, 3, 1.5, 0.01 / 5),      # a float decay_step
])
def test_numpy_by_hand(alpha, rate, step, decay_step, expected):
    result = decay_numpy(alpha, rate, step, decay_step)
    assert isinstance(result, float)      # np.float64 is one too
    assert result == pytest.approx(expected, rel=1e-15)


@pytest.mark.task(12)
@pytest.mark.parametrize('alpha, rate, decay_step', [
    (0.1, 1, 10), (0.5, 0.3, 7), (1e-3, 2, 1),
])
def test_tensorflow_schedule_matches_task_11(alpha, rate, decay_step):
    schedule = decay_tensorflow(alpha, rate, decay_step)
    tf_rates = np.array([float(schedule(step)) for step in range(100)])
    reference_decay = reference('11-learning_rate_decay').learning_rate_decay
    np_rates = [reference_decay(alpha, rate, step, decay_step)
                for step in range(100)]
    # the schedule computes in float32: 2 roundings of 6e-8 each
    np.testing.assert_allclose(tf_rates, np_rates, rtol=2e-7)


@pytest.mark.task(12)
def test_tensorflow_schedule_config():
    import tensorflow as tf
    # three different values, so that two swapped arguments show
    schedule = decay_tensorflow(0.3, 0.5, 7)
    assert isinstance(schedule, tf.keras.optimizers.schedules.InverseTimeDecay)
    config = schedule.get_config()
    assert config['initial_learning_rate'] == pytest.approx(0.3, rel=1e-7)
    assert config['decay_rate'] == pytest.approx(0.5, rel=1e-7)
    assert config['decay_steps'] == 7
    assert config['staircase'] is True


@pytest.mark.task(12)
def test_tensorflow_schedule_documented():
    # the documented float32 values of driver 12
    schedule = decay_tensorflow(0.1, 1, 10)
    np.testing.assert_array_equal(
        np.array([schedule(i).numpy() for i in range(100)]),
        np.array(documented_rates(12), dtype=np.float32))
