#!/usr/bin/env python3
"""The committed figures are what the scripts draw now.

docs/make_figures.py and examples/moons.py redraw every PNG of
docs/figures/ and examples/figures/ into a temporary folder (the moons
rows are test_moons's runs, trained once per session), and matplotlib's
own image comparison, matplotlib.testing.compare.compare_images, compares
each one with the committed file.  A figure left stale after a change of
the code, the data or the scripts fails.

Only with the matplotlib that drew the committed figures: another
version may draw the same figure differently.  That version is the
"Software" text every PNG that matplotlib writes carries ("Matplotlib
version3.10.8, ..."), read from the committed files themselves.  With
another matplotlib the comparison is skipped, except under CI=true with a
newer one: that is today's stack moving on, and the comparison runs (and
fails with a message saying to redraw the figures if they differ).

And only with the same floating-point results, for the figures of
make_figures.ARITHMETIC_SENSITIVE: their runs go through numpy's exp,
log and tanh and through BLAS, whose last bits differ between
processors, and one run of twenty can end on the other side of a line.
Each records a fingerprint of those results (its "Arithmetic" text);
elsewhere its comparison is skipped, and test_post still checks the
numbers its caption quotes.
"""
import os
import re
import struct
import sys

import pytest

from optimization_grader.paths import ROOT

pytestmark = pytest.mark.project

matplotlib = pytest.importorskip('matplotlib')
from matplotlib.testing.compare import compare_images  # noqa: E402
from packaging.version import Version  # noqa: E402

# compare_images's tolerance: the RMS difference of the two images'
# pixel values (0 to 255).  Measured on valley.png: two runs of the
# scripts draw the same figure pixel for pixel (RMS 0.0); every path
# moved by a relative 1e-9 still gives 0.0, by 1e-6 gives 0.02 (far more
# than another BLAS or CPU changes most of these float64 runs; the
# valley's are written to avoid both), by 1e-4 gives
# 0.71; one digit of one legend ("172 steps" -> "173 steps") gives 1.13,
# and a moved or hidden curve several units.  0.3 accepts the 1e-6 shift
# and rejects the 1e-4 shift and the digit.
TOLERANCE = 0.3
FOLDERS = {
    'docs': os.path.join(ROOT, 'docs', 'figures'),
    'examples': os.path.join(ROOT, 'examples', 'figures'),
}
CI = os.environ.get('CI') == 'true'


def committed():
    """(folder key, file name) of every committed PNG figure."""
    return [(key, name) for key, folder in FOLDERS.items()
            for name in sorted(os.listdir(folder)) if name.endswith('.png')]


def png_text(path):
    """The tEXt entries of a PNG file, {keyword: text}."""
    entries = {}
    with open(path, 'rb') as f:
        if f.read(8) != b'\x89PNG\r\n\x1a\n':
            raise ValueError('{} is not a PNG file'.format(path))
        while True:
            head = f.read(8)
            if len(head) < 8:
                return entries
            length, kind = struct.unpack('>I4s', head)
            data = f.read(length)
            f.read(4)                       # the CRC
            if kind == b'tEXt':
                keyword, _, value = data.partition(b'\0')
                entries[keyword.decode('latin-1')] = value.decode('latin-1')
            if kind == b'IEND':
                return entries


def drawn_with(path):
    """The matplotlib version that wrote a PNG file, from its Software
    text ('Matplotlib version3.10.8, https://matplotlib.org/')."""
    software = png_text(path).get('Software', '')
    prefix = 'Matplotlib version'
    if not software.startswith(prefix):
        raise ValueError('{} was not written by matplotlib: Software = '
                         '{!r}'.format(path, software))
    return software[len(prefix):].split(',')[0].strip()


def recorded_version():
    """The one matplotlib version that drew every committed figure."""
    versions = {drawn_with(os.path.join(FOLDERS[key], name))
                for key, name in committed()}
    assert len(versions) == 1, (
        'the committed figures were drawn by several matplotlib versions, '
        '{}: redraw them all with one'.format(sorted(versions)))
    return versions.pop()


def test_every_committed_figure_records_one_matplotlib():
    assert committed()
    recorded_version()


def skip_reason():
    """Why the comparison cannot run with this matplotlib (None if it
    can)."""
    recorded, running = recorded_version(), matplotlib.__version__
    if running == recorded or CI and Version(running) > Version(recorded):
        return None
    return ('the figures were drawn with matplotlib {}, this is {}; '
            'another version may draw them differently'.format(
                recorded, running))


@pytest.fixture(scope='module')
def redrawn(tmp_path_factory):
    """{folder key: temporary folder} holding every figure drawn anew."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    if CI:
        import sklearn  # noqa: F401  (CI must not skip the moons figures)
    else:
        pytest.importorskip('sklearn')
    sys.path.insert(0, os.path.join(ROOT, 'docs'))
    sys.path.insert(0, os.path.join(ROOT, 'examples'))
    import make_figures
    import moons
    import test_moons
    out = {key: str(tmp_path_factory.mktemp(key)) for key in FOLDERS}
    make_figures.main(['--output', out['docs']])
    X, Y = moons.load_moons()
    moons.plot(test_moons.results(), test_moons.seed_orders(), X, Y,
               out['examples'])
    return out


def arithmetic_skip_reason(path):
    """Why a committed figure cannot be compared on this machine (None if
    it can): it is one of make_figures.ARITHMETIC_SENSITIVE, drawn where
    numpy's exp, log, tanh or BLAS gave other last bits than here."""
    sys.path.insert(0, os.path.join(ROOT, 'docs'))
    import make_figures
    name = os.path.basename(path)
    if name not in make_figures.ARITHMETIC_SENSITIVE:
        return None
    recorded = png_text(path).get('Arithmetic')
    assert recorded, '{} does not record its arithmetic: redraw it'.format(
        name)
    here = make_figures.arithmetic()
    if recorded == here:
        return None
    return ('{} was drawn where the floating-point results differ from '
            'this machine\'s (arithmetic {}, here {}): its runs would '
            'differ in their last bits; test_post checks the numbers its '
            'caption quotes'.format(name, recorded, here))


def test_every_arithmetic_sensitive_figure_records_its_arithmetic():
    sys.path.insert(0, os.path.join(ROOT, 'docs'))
    import make_figures
    names = {name for _, name in committed()}
    assert set(make_figures.ARITHMETIC_SENSITIVE) <= names
    for key, name in committed():
        recorded = png_text(os.path.join(FOLDERS[key], name)).get(
            'Arithmetic')
        # only the sensitive figures carry it, as 16 hex digits
        assert (recorded is not None) == (
            name in make_figures.ARITHMETIC_SENSITIVE), name
        if recorded is not None:
            assert re.fullmatch('[0-9a-f]{16}', recorded), recorded
    # the fingerprint is the same from call to call
    assert make_figures.arithmetic() == make_figures.arithmetic()


def test_the_scripts_draw_exactly_the_committed_figures(redrawn):
    drawn = [(key, name) for key, folder in redrawn.items()
             for name in sorted(os.listdir(folder)) if name.endswith('.png')]
    assert drawn == committed()


@pytest.mark.parametrize('key, name', committed(),
                         ids=['{}/{}'.format(*c) for c in committed()])
def test_committed_figure_is_current(redrawn, key, name):
    expected = os.path.join(FOLDERS[key], name)
    actual = os.path.join(redrawn[key], name)
    assert os.path.exists(actual), '{} is no longer drawn'.format(name)
    reason = arithmetic_skip_reason(expected)
    if reason:
        pytest.skip(reason)
    result = compare_images(expected, actual, TOLERANCE)
    assert result is None, (
        '{}\nThe committed figure differs from what the script draws with '
        'matplotlib {} (drawn with {}): run python3 docs/make_figures.py '
        'and python3 examples/moons.py, look at the figures, and commit '
        'them.'.format(result, matplotlib.__version__, recorded_version()))
