#!/usr/bin/env python3
"""A missing, corrupt or wrong course file stops a driver cleanly.

The driver prints one line on stderr, naming the file and saying what is
wrong or expected, and exits with status 2: no traceback.
"""
import os
import shutil

import numpy as np
import pytest

from drivers import check, cut, documented, run
from optimization_grader.paths import ROOT


def bare_copy(tmp_path):
    """A copy of the code without data/, so only OPTIMIZATION_DATA counts."""
    root = tmp_path / 'repo'
    shutil.copytree(os.path.join(ROOT, 'mains'), str(root / 'mains'))
    for name in os.listdir(ROOT):
        if name[0].isdigit() and name.endswith('.py'):
            shutil.copy(os.path.join(ROOT, name), str(root / name))
    return root


def run_copy(root, n, data):
    """Run driver n of a bare copy with OPTIMIZATION_DATA=data."""
    return run(n, data=str(data), cwd=str(root),
               script=str(root / 'mains' / '{}-main.py'.format(n)))


def our_line(err):
    """The driver's own message: the last line of stderr."""
    return err.strip().splitlines()[-1]


def test_missing_file(tmp_path):
    root, empty = bare_copy(tmp_path), tmp_path / 'empty'
    empty.mkdir()
    out, err, status = run_copy(root, 5, empty)
    assert status == 2 and out == ''
    assert 'Traceback' not in err
    assert our_line(err) == (
        '5-main: course file Binary_Train.npz not found (searched: {}, {}, '
        '{}). Run the driver from the folder that holds it, set '
        'OPTIMIZATION_DATA to that folder, or copy it into {}.'.format(
            empty, root, root / 'data', root / 'data'))


@pytest.mark.parametrize('where', ['OPTIMIZATION_DATA', 'cwd', 'data/'])
def test_each_data_location(tmp_path, course_data, where):
    # Binary_Train.npz in one place only; driver 5 finds it and prints
    # its first documented cost
    root, run_in = bare_copy(tmp_path), tmp_path / 'run'
    folder = {'OPTIMIZATION_DATA': tmp_path / 'elsewhere', 'cwd': run_in,
              'data/': root / 'data'}[where]
    for path in {run_in, folder}:
        path.mkdir()
    os.symlink(os.path.join(course_data, 'Binary_Train.npz'),
               str(folder / 'Binary_Train.npz'))
    first = (r'Cost after', 1)
    out, err, _ = run(5, data=str(folder) if where == 'OPTIMIZATION_DATA'
                      else None, cwd=str(run_in), stop=first,
                      script=str(root / 'mains' / '5-main.py'))
    assert out, err
    check(5, out, cut(documented(5), first))


def write(folder, name, writer):
    folder.mkdir(exist_ok=True)
    writer(str(folder / name))
    return folder


def corrupt(path):
    """Flip bytes in the middle of a file, as a bad copy would."""
    with open(path, 'r+b') as f:
        f.seek(os.path.getsize(path) // 2)
        f.write(b'\xff' * 16)


BAD_NPZ = [
    # what the file holds, what the message must say
    (lambda p: open(p, 'wb').write(b'not a zip file'),
     'cannot read {}/Binary_Train.npz: not an .npz archive, or a truncated '
     'one; replace it with a fresh copy of the course file.'),
    (lambda p: (np.savez(p, X=np.zeros((2, 28, 28)), Y=np.zeros((1, 2))),
                os.truncate(p, os.path.getsize(p) // 2)),
     'cannot read {}/Binary_Train.npz: not an .npz archive, or a truncated '
     'one'),
    (lambda p: (np.savez(p, X=np.zeros((2, 28, 28)), Y=np.zeros((1, 2))),
                corrupt(p)),
     'cannot read {}/Binary_Train.npz (BadZipFile: Bad CRC-32'),
    (lambda p: np.savez(p, A=np.zeros(3)),
     'Binary_Train.npz does not hold the course arrays: expected X(N, 28, '
     "28), Y(1, N); missing ['X', 'Y'], wrong shape none."),
    (lambda p: np.savez(p, X=np.zeros((2, 784)), Y=np.zeros((1, 2))),
     "Binary_Train.npz does not hold the course arrays: expected X(N, 28, "
     "28), Y(1, N); missing none, wrong shape ['X(2, 784)']."),
    (lambda p: np.savez(p, X=np.array([object()] * 2), Y=np.zeros((1, 2))),
     'Object arrays cannot be loaded when allow_pickle=False'),
]


@pytest.mark.parametrize('writer, message', BAD_NPZ)
def test_bad_npz(tmp_path, writer, message):
    folder = tmp_path / 'data'
    folder.mkdir()
    writer(str(folder / 'Binary_Train.npz'))
    out, err, status = run(5, data=str(folder))
    assert status == 2 and out == ''
    assert 'Traceback' not in err
    assert message.format(folder) in our_line(err)


def small_mnist(path):
    """An MNIST.npz of the right layout, with two images per split."""
    np.savez(path, X_train=np.zeros((2, 28, 28), np.float32),
             Y_train=np.zeros(2, int), X_valid=np.zeros((2, 28, 28)),
             Y_valid=np.zeros(2, int))


def empty_hdf5(path):
    h5py = pytest.importorskip('h5py')
    with h5py.File(path, 'w') as f:
        f.create_dataset('x', data=[1, 2, 3])


@pytest.mark.parametrize('writer, message', [
    (lambda p: open(p, 'wb').write(b'\x89HDF\r\n\x1a\n' + b'\0' * 100),
     'cannot read {}/model.h5 ('),
    (empty_hdf5, '{}/model.h5 is an HDF5 file but not a Keras model (no '
                 'model_config attribute); expected the course file.'),
])
def test_bad_model(tmp_path, writer, message):
    folder = tmp_path / 'data'
    folder.mkdir()
    small_mnist(str(folder / 'MNIST.npz'))
    writer(str(folder / 'model.h5'))
    out, err, status = run(6, data=str(folder))
    assert status == 2 and out == ''
    assert 'Traceback' not in err
    assert message.format(folder) in our_line(err)
