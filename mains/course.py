#!/usr/bin/env python3
"""What the drivers need around the documented code.

Importing this module puts the repository root on sys.path, so that
__import__('N-name') finds the numbered files from any working directory
(or, when $OPTIMIZATION_SOLUTION names a folder, the numbered files of
that folder: the test suite's --solution uses it).  Its functions find and
check the course data files, and show a figure or, with no display, save
it under figures/.

Course files are looked up in the folder named by $OPTIMIZATION_DATA,
then in the current working directory (where the spec's drivers read
them), then in data/ at the repository root.  A missing or unreadable
file ends the driver with one line on stderr and exit status 2.
"""
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOLUTION_ENV = 'OPTIMIZATION_SOLUTION'
# the folder whose numbered files the drivers import
TASKS = os.path.abspath(os.environ.get(SOLUTION_ENV) or ROOT)
if TASKS not in sys.path:
    sys.path.insert(0, TASKS)

DATA_ENV = 'OPTIMIZATION_DATA'
# where a figure goes when there is no display (default: figures/)
FIGURES_ENV = 'OPTIMIZATION_FIGURES'
# The arrays the drivers read from each file: key -> shape (None: any size)
ARRAYS = {
    'MNIST.npz': {'X_train': (None, 28, 28), 'Y_train': (None,),
                  'X_valid': (None, 28, 28), 'Y_valid': (None,)},
    'Binary_Train.npz': {'X': (None, 28, 28), 'Y': (1, None)},
}
# matplotlib backends that cannot open a window
NO_WINDOW = {'agg', 'cairo', 'pdf', 'pgf', 'ps', 'svg', 'template'}


def driver():
    """Return the running driver's name, e.g. '5-main'."""
    return os.path.splitext(os.path.basename(sys.argv[0]))[0] or 'driver'


def fail(message):
    """Print one line on stderr and exit with status 2."""
    print('{}: {}'.format(driver(), message), file=sys.stderr)
    sys.exit(2)


def folders():
    """Return the folders searched for course files, in order.

    $OPTIMIZATION_DATA if set, the current working directory, data/ at
    the repository root; each folder once.
    """
    found = [os.getcwd(), os.path.join(ROOT, 'data')]
    if os.environ.get(DATA_ENV):
        found.insert(0, os.path.abspath(os.environ[DATA_ENV]))
    return sorted(set(found), key=found.index)


def path(name):
    """Return the path of course file `name`, checked to be readable.

    A .h5 file must be an HDF5 file holding a Keras model.
    """
    for folder in folders():
        file = os.path.join(folder, name)
        if os.path.isfile(file):
            break
    else:
        fail('course file {} not found (searched: {}). Run the driver from '
             'the folder that holds it, set {} to that folder, or copy it '
             'into {}.'.format(name, ', '.join(folders()), DATA_ENV,
                               os.path.join(ROOT, 'data')))
    if name.endswith('.h5'):
        import h5py
        try:
            with h5py.File(file, 'r') as f:
                is_model = 'model_config' in f.attrs
        except Exception as e:
            fail('cannot read {} ({}: {}); replace it with a fresh copy of '
                 'the course file.'.format(file, type(e).__name__, e))
        if not is_model:
            fail('{} is an HDF5 file but not a Keras model (no model_config '
                 'attribute); expected the course file.'.format(file))
    return file


def load(name):
    """Return the arrays of course file `name` (.npz), checked by shape.

    Every array is read at once, so a corrupt file fails here, with a
    clear message, and not in the middle of a driver.  Pickles are never
    loaded.
    """
    import numpy as np
    file, expected = path(name), ARRAYS[name]
    if not zipfile.is_zipfile(file):
        fail('cannot read {}: not an .npz archive, or a truncated one; '
             'replace it with a fresh copy of the course file.'.format(file))
    try:
        with np.load(file, allow_pickle=False) as lib:
            missing = sorted(set(expected) - set(lib.files))
            arrays = {key: lib[key] for key in expected if key in lib.files}
    except Exception as e:
        fail('cannot read {} ({}: {}); replace it with a fresh copy of the '
             'course file.'.format(file, type(e).__name__, e))
    wrong = ['{}{}'.format(key, arrays[key].shape) for key in sorted(arrays)
             if len(arrays[key].shape) != len(expected[key])
             or any(n not in (None, got)
                    for n, got in zip(expected[key], arrays[key].shape))]
    if missing or wrong:
        fail('{} does not hold the course arrays: expected {}; missing {}, '
             'wrong shape {}.'.format(
                 file, ', '.join('{}{}'.format(k, v).replace('None', 'N')
                                 for k, v in sorted(expected.items())),
                 missing or 'none', wrong or 'none'))
    return arrays


def show():
    """Show the current figure, or save it as a PNG when there is no display.

    The PNG goes to figures/<driver>.png at the repository root (or in the
    folder named by $OPTIMIZATION_FIGURES), and its path is printed on
    stderr, so stdout stays the documented output.
    """
    import matplotlib.pyplot as plt
    if plt.get_backend().lower() not in NO_WINDOW:
        plt.show()
        return
    out = os.path.join(os.environ.get(FIGURES_ENV)
                       or os.path.join(ROOT, 'figures'), driver() + '.png')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    plt.savefig(out)
    print('{}: no display; figure saved to {}'.format(driver(), out),
          file=sys.stderr)
