"""The explainer post's examples run and print what the post says.

Every ```python block of docs/optimization-explained.md is followed by a
```text block with its output.  Each is run in a fresh interpreter from
the repository root, as a reader would paste it, and its stdout compared
number by number with the post (outputs.compare; the examples are
deterministic, so the tolerance only absorbs float64 rounding).
"""
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT
from outputs import compare

pytestmark = pytest.mark.project

POST = os.path.join(ROOT, 'docs', 'optimization-explained.md')
BLOCK = re.compile(r'```python\n(.*?)```\s*```text\n(.*?)```', re.S)


def examples():
    """The (code, printed output) pairs of the post, in order."""
    with open(POST) as f:
        return BLOCK.findall(f.read())


def test_every_python_block_has_its_output():
    with open(POST) as f:
        text = f.read()
    assert text.count('```python') == len(examples()) >= 8


@pytest.mark.parametrize('code, expected', examples(),
                         ids=lambda x: x.strip().splitlines()[-1][:40])
def test_example(code, expected):
    if any("__import__('{}-".format(n) in code for n in (6, 8, 10, 12, 14)):
        pytest.importorskip('tensorflow')
    result = subprocess.run([sys.executable, '-c', code], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    differences = compare(result.stdout, expected, rtol=1e-12, atol=1e-15)
    assert not differences, '\n'.join(differences)


@pytest.mark.parametrize('figure', ['valley', 'moving_average', 'decay',
                                    'batch_norm', 'batch_size'])
def test_figures_are_committed(figure):
    with open(os.path.join(ROOT, 'docs', 'figures', figure + '.png'),
              'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def phrases():
    """Each number the post's text quotes, as the sentence that quotes it,
    rebuilt from what the project's code computes now."""
    sys.path.insert(0, os.path.join(ROOT, 'docs'))
    import make_figures as figures
    import test_moons
    rates = figures.best_rates()
    gd, momentum = rates['gd'], rates['momentum']
    rmsprop, adam = rates['rmsprop'], rates['adam']
    # the grid's next rate after gradient descent's best diverges
    above = figures.RATES[list(figures.RATES).index(gd[0]) + 1]
    diverged = len(figures.valley_path('gd', above)) < figures.STEPS + 1
    closest = figures.distance(figures.valley_path('rmsprop', rmsprop[0]))
    floor = figures.epochs_to_floor(figures.batch_size_runs())
    moons = test_moons.results()
    X, Y = test_moons.moons.load_moons()

    def final(name):
        params = moons[name][0]
        return test_moons.moons.cost(
            test_moons.moons.forward(params, X.T)[0], Y.T)

    return [
        'After 100 steps gradient descent (lr {:.2g})\nis {:.2g} from the '
        'minimum, RMSProp (lr {:.2g}) {:.2g}, momentum (lr {:.2g})\n{:.2g} '
        'and Adam (lr {:.2g}) {:.2g}.'.format(
            gd[0], gd[1], rmsprop[0], rmsprop[1], momentum[0], momentum[1],
            adam[0], adam[1]),
        'which lets it use {} times\nthe rate'.format(
            ['two', 'three', 'four', 'five'][
                int(round(momentum[0] / gd[0])) - 2]),
        'any larger rate makes the zigzag grow' if diverged else '(none)',
        'diverges for any rate above 2 / 50 = 0.04' if 2 / 50 < above
        else '(none)',
        'momentum converges at {:.2g}, and after 100 steps it is {} times '
        'closer to the\nminimum'.format(momentum[0],
                                        int(round(gd[1] / momentum[1]))),
        'comes within\n{:.2g} of it'.format(
            float(np.ceil(closest.min() * 1000) / 1000)),
        '{:.2g} epochs with batches of 64 and after {:.2g} epochs with the '
        'full batch'.format(floor[64], floor[2048]),
        'Adam classifies {} of the 300 training points\nwhere mini-batch '
        'gradient descent and momentum stay at {}'.format(
            moons['Adam'][2], moons['Gradient descent'][2]),
        'At 0.007, gradient\ndescent reaches {} of 300 and momentum {} too; '
        'Adam stays at {}'.format(
            moons['Gradient descent, lr 0.007'][2],
            moons['Momentum, lr 0.007'][2], moons['Adam, lr 0.007'][2]),
        'ends at a cost of {:.4f}, but Adam at 0.007\nwithout decay already '
        'ends at {:.4f}, and at 0.0007 at {:.4f}; all\nthree classify {} '
        'of 300 points'.format(
            final('Adam + lr decay'), final('Adam, lr 0.007'), final('Adam'),
            moons['Adam + lr decay'][2] if len({
                moons[name][2] for name in ('Adam + lr decay',
                                            'Adam, lr 0.007', 'Adam')}) == 1
            else '(three differ)'),
    ]


def test_quoted_numbers_are_what_the_code_computes():
    with open(POST) as f:
        text = f.read()
    # compare with the text's line breaks folded into spaces
    flat = ' '.join(text.split())
    missing = [p for p in phrases() if ' '.join(p.split()) not in flat]
    assert not missing, missing
