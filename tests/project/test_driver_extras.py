#!/usr/bin/env python3
"""What the project adds to the drivers: they run from any folder, save
their figure when there is no display, and find the course files where
the grader looks for them; and driver 7 on OpenBLAS's non-FMA kernel."""
import os
import platform
import subprocess
import sys

import numpy as np
import pytest

from drivers import check, documented, run
from optimization_grader import integrity
from optimization_grader.paths import MAINS

COURSE_NUMPY = np.__version__.startswith('1.')


def test_driver_runs_from_another_folder_and_saves_its_figure(tmp_path):
    out, err, status = run(4, cwd=str(tmp_path))
    assert status == 0, err
    check(4, out, documented(4))
    saved = err.split('no display; figure saved to ')
    assert len(saved) == 2, err
    with open(saved[1].strip(), 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_grader_looks_for_the_course_files_where_the_drivers_do(tmp_path):
    code = ('import sys; sys.path.insert(0, {!r}); import course; '
            'print(course.folders())'.format(MAINS))
    env = dict(os.environ, OPTIMIZATION_DATA=str(tmp_path))
    drivers = subprocess.run([sys.executable, '-c', code], env=env,
                             cwd=str(tmp_path), capture_output=True,
                             text=True, check=True).stdout.strip()
    here = os.getcwd()
    saved = os.environ.get('OPTIMIZATION_DATA')
    try:
        os.chdir(str(tmp_path))
        os.environ['OPTIMIZATION_DATA'] = str(tmp_path)
        grader = integrity.course_folders()
    finally:
        os.chdir(here)
        if saved is None:
            del os.environ['OPTIMIZATION_DATA']
        else:
            os.environ['OPTIMIZATION_DATA'] = saved
    assert drivers == str(grader)


@pytest.mark.skipif(not COURSE_NUMPY or platform.machine() != 'x86_64',
                    reason="numpy 1.25.2's OpenBLAS kernels on x86_64 only")
def test_driver_7_on_the_course_kernel(course_data):
    # OpenBLAS's non-FMA kernel (Sandybridge) sums np.matmul in the order
    # of the documented run: task 7's alpha * grad / (sqrt(s) + epsilon)
    # then gives 7-main's costs to 5.2e-8 on a processor with AVX-512
    # (measured); without it, to 3.6e-7 (measured on an AMD EPYC with
    # AVX2): numpy's float64 exp and log take their AVX-512 loops only
    # where the processor has them, else libm's, which differ in the last
    # bit.  The other order, alpha * (grad / ...), is 7.0e-6 away with
    # AVX-512 and 2.3e-6 without, and so fails here on either
    out, err, status = run(7, data=course_data,
                           env={'OPENBLAS_CORETYPE': 'Sandybridge'})
    assert status == 0, err
    check(7, out, documented(7),
          tolerance=(1e-6, 0, 'measured 5.2e-8 with AVX-512, 3.6e-7 '
                              'without; the other order 7.0e-6 and 2.3e-6'))
