#!/usr/bin/env python3
"""Tasks 11 and 12: stepwise inverse time decay.

Task 11 against the spec's printed rates (driver 11) and hand
computations; task 12, a decay "operation" the spec names no class for,
by what it does: its learning rate at each step, read in its worker
(worker.schedule_values), against task 11's rule (tasks.decay_rule).
"""
import numpy as np
import pytest

from optimization_grader import tasks as rules
from optimization_grader.checks import check_float, show


def rates(text):
    """The rates a driver printed, one a line."""
    return [float(line) for line in text.splitlines() if line.strip()]


@pytest.mark.task(11)
def test_numpy_documented(solution, expected_output):
    # driver 11: alpha 0.1, decay_rate 1, decay_step 10; float64, exact
    for step, rate in enumerate(rates(expected_output)):
        solution.call(0.1, 1, step, 10).equal(
            rate, hint='alpha / (1 + decay_rate * np.floor(global_step / '
                       'decay_step))')


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
def test_numpy_by_hand(solution, alpha, rate, step, decay_step, expected):
    result = solution.call(alpha, rate, step, decay_step)
    if not check_float(result.value):
        result.fail('returned {}'.format(show(result.value)),
                    expected='a number', actual='a ' + type(
                        result.value).__name__)
    result.close(expected, rtol=1e-15)


def check_schedule(result, expected):
    found = result.value
    if not isinstance(found, dict):
        result.fail('could not be probed', actual=show(found))
    if found.get('is_none'):
        result.fail('returned None', expected='a learning-rate schedule',
                    actual='None', hint='return the schedule')
    if found.get('error') or found.get('values') is None:
        name = (found.get('type') or ['?'])[0]
        result.fail('returned a {}, which could not be called with a step: '
                    '{}'.format(name, found.get('error')),
                    expected='a schedule: schedule(step) is the rate at '
                             'that step', actual='a ' + name,
                    hint='return tf.keras.optimizers.schedules.'
                         'InverseTimeDecay(alpha, decay_step, decay_rate, '
                         'staircase=True)')
    # the schedule computes in float32: 2 roundings of 6e-8 each
    result.close(np.array(expected), rtol=2e-7, names=('rates',),
                 actual=np.array(found['values']),
                 hint='alpha / (1 + decay_rate * floor(step / decay_step)), '
                      'in steps: staircase=True')


@pytest.mark.task(12)
@pytest.mark.parametrize('alpha, rate, decay_step', [
    (0.1, 1, 10), (0.5, 0.3, 7), (1e-3, 2, 1), (0.3, 0.5, 7),
])
def test_schedule_matches_task_11(solution, alpha, rate, decay_step):
    steps = list(range(100))
    result = solution.probe('schedule_values', (alpha, rate, decay_step),
                            steps=steps)
    check_schedule(result, [rules.decay_rule(alpha, rate, step, decay_step)
                            for step in steps])


@pytest.mark.task(12)
def test_schedule_documented(solution, expected_output):
    # the documented float32 values of driver 12, exactly
    documented = rates(expected_output)
    result = solution.probe('schedule_values', (0.1, 1, 10),
                            steps=list(range(len(documented))))
    check_schedule(result, documented)
    result.close(np.array(documented, dtype=np.float32).astype(float), 0,
                 names=('rates',), actual=np.array(result.value['values']))
