"""Task 4: the bias-corrected moving average."""
import numpy as np
import pytest

from drivers import documented
from grading import function

moving_average = function('4-moving_average')
pytestmark = pytest.mark.task(4)
TEMPERATURES = [72, 78, 71, 68, 66, 69, 79, 79, 65, 64, 66, 78, 64, 64, 81,
                71, 69, 65, 72, 64, 60, 61, 62, 66, 72, 72, 67, 67, 67, 68,
                75]


def documented_averages():
    """The spec's output of 4-main: a list of 31 floats."""
    return [float(x) for x in documented(4).strip('[]\n').split(',')]


def closed_form(data, beta):
    """sum_k beta^(t-k) (1 - beta) x_k / (1 - beta^t), for each t."""
    x = np.asarray(data, dtype=float)
    out = []
    for t in range(1, len(x) + 1):
        weights = (1 - beta) * beta ** np.arange(t - 1, -1, -1)
        out.append(weights @ x[:t] / (1 - beta ** t))
    return out


def test_documented_digits():
    # 17-digit floats: equal to the last bit, which pins the arithmetic
    assert moving_average(TEMPERATURES, 0.9) == documented_averages()


@pytest.mark.parametrize('data, beta', [
    (TEMPERATURES, 0.9),
    (TEMPERATURES, 0.5),
    (np.random.default_rng(0).normal(size=200).tolist(), 0.98),
])
def test_against_closed_form(data, beta):
    np.testing.assert_allclose(moving_average(data, beta),
                               closed_form(data, beta), rtol=1e-12)


@pytest.mark.parametrize('data, beta, expected', [
    ([1, 2], 0.5, [1.0, 5 / 3]),        # (0.25 + 1) / 0.75
    ([3, 1, 4], 0.0, [3.0, 1.0, 4.0]),  # beta 0: no memory
    ([5] * 10, 0.9, [5.0] * 10),        # corrected: a constant stays put
    pytest.param([], 0.9, [], marks=pytest.mark.project),
])
def test_by_hand(data, beta, expected):
    np.testing.assert_allclose(moving_average(data, beta), expected,
                               rtol=1e-15)


@pytest.mark.parametrize('data, beta', [
    (TEMPERATURES, np.float64(0.9)),
    (np.array(TEMPERATURES), 0.9),
    (np.array(TEMPERATURES, dtype=np.float32), np.float32(0.9)),
])
@pytest.mark.project
def test_returns_plain_python_floats(data, beta):
    averages = moving_average(data, beta)
    assert isinstance(averages, list)
    assert all(type(a) is float for a in averages)
    assert 'np.' not in repr(averages)


@pytest.mark.project
def test_data_not_mutated():
    data = list(TEMPERATURES)
    moving_average(data, 0.9)
    assert data == TEMPERATURES
