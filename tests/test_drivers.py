"""The drivers print the documented outputs, within stated tolerances.

Each driver runs as a user runs it, `python3 mains/N-main.py` from the
repository root, and its stdout is compared number by number with the
spec's output (tests/expected/N-main.txt, copied verbatim from the spec)
by outputs.compare.
"""
import os
import platform

import numpy as np
import pytest

import grading
from drivers import cut, documented, run
from outputs import compare

# The two stacks the tolerances were measured on (this project's 2-core
# x86_64 machine): the course's (Python 3.9, numpy 1.25.2, TensorFlow
# 2.15.1, Keras 2.15) and today's (Python 3.11, numpy 2.4.6, TensorFlow
# 2.21.0, Keras 3.15).
COURSE_NUMPY = np.__version__.startswith('1.')

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
                 'once the cost is small.  The order is OpenBLAS\'s, and '
                 'OpenBLAS picks its kernel by CPU: with the default kernel '
                 'here, measured 1.93e-5 relative with numpy 1.25.2 and '
                 '1.16e-5 with numpy 2.4.6, at iteration 1000; '
                 'test_driver_7_on_the_course_kernel shows 5.2e-8'),
    8: (2.0, 0, "RMSprop's update goes through TensorFlow's Rsqrt kernel, "
                "which on x86 is the CPU's approximate reciprocal square "
                'root plus one Newton step (Keras 2.15: lr * g * rsqrt(v + '
                'eps); Keras 3: (lr * g) / sqrt(v + eps), rewritten to Rsqrt '
                "by TensorFlow's graph optimizer), so the float32 trajectory "
                'depends on the CPU model, and the documented run came from '
                'another one.  The first two checkpoints agree (held to '
                'EARLY_TOLERANCE below); from step 300 on, full-batch '
                'RMSProp follows another trajectory, as good in the end: on '
                "this project's machine (TF 2.21.0) its costs are up to 1.72 "
                'times the documented ones (step 700) and 0.99 times at step '
                '1000; an earlier machine measured 4% to 40% away.  So the '
                'full run is held only to at most 3 times the documented '
                'costs: training must get as far as documented.  Ruled out '
                'by measurement: epsilon outside the root, tf.compat.v1 '
                'RMSProp, centered=True, a momentum mapping, and '
                'TF_ENABLE_ONEDNN_OPTS, which the drivers set after '
                'importing TensorFlow'),
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
    8: (1e-4, 0, 'measured here: +3.96e-6 relative at step 100 and '
                 '-2.94e-5 at step 200 on TF 2.21.0; +5.11e-6 and -3.68e-5 '
                 'on TF 2.15.1 (the CPU-dependent Rsqrt, see TOLERANCE)'),
}
# Drivers that draw a figure; with MPLBACKEND=Agg they save it instead
PLOTS = {4, 5, 6, 7, 8, 9, 10}
# Seconds a driver may take before it counts as hung: about 10 times its
# time measured on a quiet machine here (a long driver: in full, and up to
# its first checkpoint), as a loaded machine measured twice that time
TIME_LIMIT = {0: 120, 1: 120, 2: 120, 4: 120, 11: 120, 13: 120, 14: 300,
              12: 600, 5: 600, 7: 600, 9: 600, 3: 1800, 6: 2400, 8: 2400,
              10: 2400}
EARLY_TIME_LIMIT = {3: 600, 6: 600, 8: 600, 10: 600}


def task_param(numbers, **marks):
    """Driver numbers as parameters, each marked as a check of its task."""
    return [pytest.param(n, id=str(n), marks=[pytest.mark.task(n)] + [
        getattr(pytest.mark, mark) for mark in marks]) for n in numbers]


def check(n, out, expected, tolerance=None):
    """Assert that output `out` of driver n matches `expected`."""
    rtol, atol, _ = tolerance or TOLERANCE[n]
    differences = compare(out, expected, rtol, atol)
    assert not differences, '\n'.join(differences)


def check_status(n, err, status, limit):
    """Assert that driver n finished by itself, with status 0."""
    assert status != -9, '{}-main.py did not finish within {} s'.format(
        n, limit)
    last = (err.strip().splitlines() or ['(nothing on stderr)'])[-1]
    assert status == 0, '{}-main.py exited with status {}: {}'.format(
        n, status, last)


def run_driver(n, data=None, stop=None, **kwargs):
    """Run driver n against the folder under test; stop early if asked."""
    stem = grading.SPEC[n][0]
    if not os.path.isfile(grading.path(stem)):
        raise grading.GradingError('{}.py: no such file in {}'.format(
            stem, grading.folder))
    if grading.hung(stem):
        raise grading.GradingError('not run: ' + grading.hung(stem))
    limit = (EARLY_TIME_LIMIT if stop else TIME_LIMIT)[n]
    return run(n, data=data, stop=stop, timeout=limit, **kwargs), limit


def check_run(n, data=None, tolerance=None, **kwargs):
    """Assert that a whole run of driver n went as documented; return its
    output."""
    (out, err, status), limit = run_driver(n, data, **kwargs)
    check_status(n, err, status, limit)
    check(n, out, documented(n), tolerance)
    if n in PLOTS:
        saved = err.split('no display; figure saved to ')
        assert len(saved) == 2, err
        with open(saved[1].strip(), 'rb') as f:
            assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    return out


@pytest.mark.parametrize('n', task_param([0, 1, 2, 4, 11, 13]))
def test_data_free_driver(n):
    check_run(n)


@pytest.mark.parametrize('n', task_param([5, 7, 9, 12, 14]))
def test_course_data_driver(n, course_data):
    check_run(n, data=course_data)


@pytest.mark.parametrize('n', task_param(sorted(CHECKPOINT)))
def test_long_driver_first_checkpoint(n, course_data, request):
    if request.config.getoption('--slow'):
        pytest.skip('--slow: test_long_driver_in_full checks this checkpoint')
    stop = CHECKPOINT[n]
    (out, err, status), limit = run_driver(n, data=course_data, stop=stop)
    assert out, '{}-main.py printed nothing: {}'.format(
        n, (err.strip().splitlines() or [''])[-1])
    check(n, out, cut(documented(n), stop), EARLY_TOLERANCE.get(n))


@pytest.mark.parametrize('n', task_param(sorted(CHECKPOINT), slow=True))
def test_long_driver_in_full(n, course_data):
    out = check_run(n, data=course_data)
    # the first checkpoint, as test_long_driver_first_checkpoint holds it
    stop = CHECKPOINT[n]
    check(n, cut(out, stop), cut(documented(n), stop),
          EARLY_TOLERANCE.get(n))


@pytest.mark.project
def test_driver_runs_from_another_folder(tmp_path):
    check_run(4, cwd=str(tmp_path))


@pytest.mark.project
@pytest.mark.skipif(not COURSE_NUMPY or platform.machine() != 'x86_64',
                    reason="numpy 1.25.2's OpenBLAS kernels on x86_64 only")
def test_driver_7_on_the_course_kernel(course_data):
    # OpenBLAS's non-FMA kernel (Sandybridge) sums np.matmul in the order
    # of the documented run: task 7's alpha * grad / (sqrt(s) + epsilon)
    # then gives 7-main's costs to 5.2e-8 (measured); the other order,
    # alpha * (grad / ...), is 7.0e-6 away, and so fails here
    check_run(7, data=course_data, tolerance=(1e-7, 0, 'measured 5.2e-8'),
              env={'OPENBLAS_CORETYPE': 'Sandybridge'})
