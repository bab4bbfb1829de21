"""The drivers print the documented outputs, within stated tolerances.

Each driver runs as a user runs it, `python3 mains/N-main.py` from the
repository root, and its stdout is compared number by number with the
spec's output (tests/expected/N-main.txt, copied verbatim from the spec)
by outputs.compare.
"""
import pytest

from drivers import cut, documented, run
from outputs import compare

# driver: (rtol, atol, why this tolerance)
TOLERANCE = {
    0: (1e-7, 0, 'numpy prints 8 significant digits; a flip of the last '
                 'one is under 1e-7 relative'),
    1: (1e-7, 1e-15, '8 printed digits; the means of the normalized data '
                     'are rounding noise near 1e-16, hence atol 1e-15'),
    2: (0, 0, 'integers'),
    3: (1e-5, 0, 'float32: the per-step batch costs differ from the '
                 'documented ones in the 7th significant digit (measured); '
                 'one data point more or less moves an accuracy by >= 2e-5 '
                 'relative, so the accuracies must match exactly'),
    4: (0, 0, 'the documented 17-digit floats pin the float64 arithmetic '
              'of v / (1 - beta ** t)'),
    5: (1e-14, 0, 'float64; measured 2.2e-16 (1 ulp at iteration 0, from '
                  "np.matmul's summation order)"),
    6: (1e-6, 0, 'float32 costs, measured equal to every printed digit; '
                 '1e-6 is about 8 float32 ulps'),
    7: (5e-5, 0, "float64, but RMSProp's nearly sign-like steps amplify "
                 "the last-bit differences of np.matmul's summation order "
                 'once the cost is small: measured 4.9e-8 relative with '
                 'numpy 2.4 and 9.6e-6 with the course stack (numpy '
                 '1.25.2), at iteration 1000'),
    8: (0.5, 0, 'full-batch RMSProp is chaotic here: float32 rounding '
                'differences (measured 3.7e-6 relative at step 100, 1.7e-5 '
                'at 200) grow into a different but equally good trajectory, '
                '4% to 40% away from the documented costs from step 300 on '
                'with TF 2.21 or 2.15, oneDNN on or off; this only checks '
                'that the costs fall as documented, the first two are held '
                'to 5e-5 below'),
    9: (1e-14, 0, 'as for driver 5; measured 2.2e-16'),
    10: (1e-6, 0, 'as for driver 6'),
    11: (0, 0, 'a closed form in float64, printed exactly'),
    12: (0, 0, 'a closed form in float32, printed exactly'),
    13: (1e-7, 0, 'numpy prints 8 significant digits'),
    14: (0, 1e-6, 'tanh of float32 values from 784-term dot products: '
                  'measured 4.1e-7 absolute'),
}
# The first checkpoints of the long drivers: (stdout pattern, occurrence)
CHECKPOINT = {
    3: (r'Validation Accuracy', 2),       # the summary after epoch 1
    6: (r'Cost after', 1),                # the cost after 100 steps
    8: (r'Cost after', 2),                # the costs after 100 and 200
    10: (r'Cost after', 1),
}
# where a first checkpoint is held to a tighter tolerance than the whole run
EARLY_TOLERANCE = {
    8: (5e-5, 0, 'measured 3.7e-6 relative at step 100, 1.7e-5 at 200'),
}


# Drivers that draw a figure; with MPLBACKEND=Agg they save it instead
PLOTS = {4, 5, 6, 7, 8, 9, 10}


def check(n, out, expected, tolerance=None):
    """Assert that output `out` of driver n matches `expected`."""
    rtol, atol, _ = tolerance or TOLERANCE[n]
    differences = compare(out, expected, rtol, atol)
    assert not differences, '\n'.join(differences)


def check_run(n, out, err, status):
    """Assert that a whole run of driver n went as documented."""
    assert status == 0, err
    check(n, out, documented(n))
    if n in PLOTS:
        saved = err.split('no display; figure saved to ')
        assert len(saved) == 2, err
        with open(saved[1].strip(), 'rb') as f:
            assert f.read(8) == b'\x89PNG\r\n\x1a\n'


@pytest.mark.parametrize('n', [0, 1, 2, 4, 11, 13])
def test_data_free_driver(n):
    check_run(n, *run(n))


@pytest.mark.parametrize('n', [5, 7, 9, 12, 14])
def test_course_data_driver(n, course_data):
    check_run(n, *run(n, data=course_data))


@pytest.mark.parametrize('n', sorted(CHECKPOINT))
def test_long_driver_first_checkpoint(n, course_data):
    stop = CHECKPOINT[n]
    out, err, _ = run(n, data=course_data, stop=stop)
    assert out, err
    check(n, out, cut(documented(n), stop), EARLY_TOLERANCE.get(n))


@pytest.mark.slow
@pytest.mark.parametrize('n', sorted(CHECKPOINT))
def test_long_driver_in_full(n, course_data):
    check_run(n, *run(n, data=course_data))


def test_driver_runs_from_another_folder(tmp_path):
    check_run(4, *run(4, cwd=str(tmp_path)))
