#!/usr/bin/env python3
"""Task 4: the bias-corrected moving average.

Expected values: the spec's printed output of 4-main (17-digit floats,
tests/expected/4-main.txt), a closed form, and hand computations.
"""
import numpy as np
import pytest

pytestmark = pytest.mark.task(4)
TEMPERATURES = [72, 78, 71, 68, 66, 69, 79, 79, 65, 64, 66, 78, 64, 64, 81,
                71, 69, 65, 72, 64, 60, 61, 62, 66, 72, 72, 67, 67, 67, 68,
                75]


def closed_form(data, beta):
    """sum_k beta^(t-k) (1 - beta) x_k / (1 - beta^t), for each t."""
    x = np.asarray(data, dtype=float)
    out = []
    for t in range(1, len(x) + 1):
        weights = (1 - beta) * beta ** np.arange(t - 1, -1, -1)
        out.append(weights @ x[:t] / (1 - beta ** t))
    return np.array(out)


def test_documented_digits(solution, expected_output):
    # 17-digit floats: equal to the last bit, which pins the arithmetic
    documented = [float(x) for x in expected_output.strip('[]\n').split(',')]
    result = solution.call(TEMPERATURES, 0.9, about="data=driver 4's 31 "
                                                    "temperatures, beta=0.9")
    check_list(result, len(TEMPERATURES))
    result.equal(np.array(documented), hint='v = beta * v + (1 - beta) * x, '
                                            'then v / (1 - beta ** t)')


def check_list(result, count):
    """The spec returns a list: fail if it is another container."""
    if not isinstance(result.value, list):
        result.fail('returned a {}'.format(type(result.value).__name__),
                    expected='a list of {} numbers'.format(count),
                    actual='a {}'.format(type(result.value).__name__),
                    hint='return a list, e.g. append each average to one')


@pytest.mark.parametrize('data, beta', [
    (TEMPERATURES, 0.9),
    (TEMPERATURES, 0.5),
    (np.random.default_rng(0).normal(size=200).tolist(), 0.98),
])
def test_against_closed_form(solution, data, beta):
    result = solution.call(data, beta, about='data={} numbers, '
                                             'beta={}'.format(len(data),
                                                              beta))
    check_list(result, len(data))
    result.close(closed_form(data, beta), rtol=1e-12)


@pytest.mark.parametrize('data, beta, expected', [
    ([1, 2], 0.5, [1.0, 5 / 3]),        # (0.25 + 1) / 0.75
    ([3, 1, 4], 0.0, [3.0, 1.0, 4.0]),  # beta 0: no memory
    ([5] * 10, 0.9, [5.0] * 10),        # corrected: a constant stays put
])
def test_by_hand(solution, data, beta, expected):
    solution.call(data, beta).close(np.array(expected), rtol=1e-15)
