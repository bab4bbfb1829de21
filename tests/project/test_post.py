"""The explainer post's examples run and print what the post says, and
every number its text quotes is what the project's code computes.

Every ```python block of docs/optimization-explained.md is followed by a
```text block with its output.  Each is run from the repository root, in
a namespace of its own, as a reader would paste it (all in one
interpreter, to import TensorFlow once), and its stdout compared number
by number with the post (outputs.compare; the examples are
deterministic, so the tolerance only absorbs float64 rounding).

phrases() rebuilds each sentence of the text that quotes a number from
docs/make_figures.py (the functions the figures are drawn with) and from
the moons runs of test_moons; the tests after it check that the claims
hold where the text says they hold (every radius, seed, level, rate).
"""
import functools
import importlib.util
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from optimization_grader.paths import ROOT
from optimization_grader.outputs import compare

sys.path.insert(0, os.path.join(ROOT, 'docs'))
import make_figures as figures  # noqa: E402

pytestmark = pytest.mark.project

POST = os.path.join(ROOT, 'docs', 'optimization-explained.md')
BLOCK = re.compile(r'```python\n(.*?)```\s*```text\n(.*?)```', re.S)
IMAGE = re.compile(r'!\[[^]]*\]\(([^)]+\.png)\)')
SEEDS = range(5)


def text():
    """The post."""
    with open(POST) as f:
        return f.read()


def examples():
    """The (code, printed output) pairs of the post, in order."""
    return BLOCK.findall(text())


def test_every_python_block_has_its_output():
    assert text().count('```python') == len(examples()) >= 10


# Runs every example in one interpreter, each in a namespace of its own
# (so each must import what it uses, as a pasted snippet must), and
# writes [stdout, traceback or None] for each to the file argv[1]: one
# TensorFlow import for the four examples that need it instead of four
RUNNER = r"""
import contextlib, io, json, sys, traceback
codes = json.load(sys.stdin)
results = []
for code in codes:
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, '<example>', 'exec'), {'__name__': '__main__'})
        results.append([out.getvalue(), None])
    except BaseException:
        results.append([out.getvalue(), traceback.format_exc()])
with open(sys.argv[1], 'w') as f:
    json.dump(results, f)
"""


@functools.lru_cache(maxsize=None)
def outputs():
    """{code: (stdout, traceback or None)} of every example."""
    import json
    import tempfile
    codes = [code for code, _ in examples()]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, 'outputs.json')
        result = subprocess.run([sys.executable, '-c', RUNNER, path],
                                input=json.dumps(codes), cwd=ROOT,
                                capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, result.stderr
        with open(path) as f:
            return dict(zip(codes, map(tuple, json.load(f))))


@pytest.mark.parametrize('code, expected', examples(),
                         ids=lambda x: x.strip().splitlines()[-1][:40])
def test_example(code, expected):
    if any("__import__('{}-".format(n) in code for n in (6, 8, 10, 12, 14)):
        # without importing it here: the examples run in their own process
        if importlib.util.find_spec('tensorflow') is None:
            pytest.skip('TensorFlow is not installed')
    stdout, error = outputs()[code]
    assert error is None, error
    differences = compare(stdout, expected, rtol=1e-12, atol=1e-15)
    assert not differences, '\n'.join(differences)


def test_every_figure_is_shown_and_committed():
    shown = {os.path.normpath(os.path.join(ROOT, 'docs', path))
             for path in IMAGE.findall(text())}
    committed = {os.path.join(ROOT, 'docs', 'figures', name)
                 for name in os.listdir(os.path.join(ROOT, 'docs',
                                                     'figures'))}
    # every figure of docs/figures/ is in the post, and every image the
    # post shows is a committed PNG
    assert committed <= shown
    for path in shown:
        with open(path, 'rb') as f:
            assert f.read(8) == b'\x89PNG\r\n\x1a\n', path


def g(x):
    """Two significant digits, as the text quotes most numbers."""
    return '{:.2g}'.format(x)


def span(values, form='{}'):
    """'a to b' for the smallest and largest of values."""
    return '{} to {}'.format(form.format(min(values)),
                             form.format(max(values)))


@functools.lru_cache(maxsize=None)
def moons():
    """test_moons's runs (name -> params, costs, correct, seconds) and
    the final cost of each row on the 300 points."""
    import test_moons
    results = test_moons.results()
    X, Y = test_moons.moons.load_moons()
    final = {name: test_moons.moons.cost(test_moons.moons.forward(
        params, X.T)[0], Y.T) for name, (params, _, _, _) in results.items()}
    return results, final


def first_epoch_below(name, level):
    """The figure's epoch (costs are recorded every 10 epochs) at which a
    moons row's cost is first below `level`."""
    costs = np.array(moons()[0][name][1])
    return int(np.argmax(costs < level)) * 10 if (costs < level).any() \
        else None


LEVELS = (0.2, 0.15, 0.14)


def valley_phrases():
    """The top figure, momentum's and RMSProp's sections."""
    rates = figures.best_rates()
    steps = {m: [figures.best_rate(m, r)[1] for r in figures.RADII]
             for m in figures.METHODS}
    turned = figures.best_rates(angle=45.0)
    gd_lr = rates['gd'][0]
    above = figures.RATES[list(figures.RATES).index(gd_lr) + 1]
    limit_gd = figures.momentum_limit(50, 0.0)
    limit = figures.momentum_limit(50, 0.9)
    gd = figures.distance(figures.valley_path('gd', gd_lr))
    mom = figures.distance(figures.valley_path('momentum', gd_lr))
    low, high = figures.plateau(0.9)
    alpha, beta1 = figures.tuned_momentum()
    tuned = figures.steps_within(figures.valley_path('momentum', alpha,
                                                     beta1=beta1))
    kappa = 50
    mom_swing, mom_flips = figures.swing(figures.valley_path(
        'momentum', rates['momentum'][0]))
    gd_swing, gd_flips = figures.swing(figures.valley_path('gd', gd_lr))
    converges = len(figures.valley_path('momentum', 0.75, 1000)) == 1001 \
        and figures.distance(figures.valley_path('momentum', 0.75,
                                                 1000))[-1] < 1e-10
    diverges = len(figures.valley_path('momentum', 0.77, 1000)) < 1001
    return [
        'Gradient descent (lr {}) needs {} steps, momentum (lr {}) {}, '
        'Adam (lr {}) {} and RMSProp (lr {}) {}.'.format(
            g(gd_lr), rates['gd'][1], g(rates['momentum'][0]),
            rates['momentum'][1], g(rates['adam'][0]), rates['adam'][1],
            g(rates['rmsprop'][0]), rates['rmsprop'][1]),
        'every radius from {:g} to {:g}: gradient descent needs {} steps, '
        'momentum {}, Adam {} and RMSProp {}.'.format(
            max(figures.RADII), min(figures.RADII), span(steps['gd']),
            span(steps['momentum']), span(steps['adam']),
            span(steps['rmsprop'])),
        # gradient descent's best rate is the last of the grid below the
        # limit, and the next one diverges
        'its rate cannot pass 2 / 50 = {:g}'.format(limit_gd)
        if gd_lr < limit_gd < above
        and len(figures.valley_path('gd', float(above))) < 301 else '-',
        'keep less than sqrt(0.9) = {:.3f}'.format(np.sqrt(0.9)),
        'first step, {:.3g} times lr'.format(1 / np.sqrt(1 - 0.999)),
        'the same valley turned by 45° takes it {} steps'.format(
            turned['rmsprop'][1]),
        'the 45° leap' if abs(abs(figures.valley_path(
            'rmsprop', rates['rmsprop'][0])[1] - figures.START)[0]
            - abs(figures.valley_path('rmsprop', rates['rmsprop'][0])[1]
                  - figures.START)[1]) < 1e-6 else '-',
        'both directions keep ({0} - 1) / ({0} + 1) = {1:.3f} of their '
        'error per step, which predicts {2} steps to come within {3:g} of '
        'the minimum (measured: {4})'.format(
            kappa, (kappa - 1) / (kappa + 1),
            int(round(figures.gd_steps_predicted())), figures.RADIUS,
            rates['gd'][1]),
        'at every alpha from {} to {}'.format(g(low), g(high)),
        '= {} with the steepest curvature `L = 50`: {} times gradient '
        'descent\'s limit.'.format(g(limit), int(round(limit / limit_gd))),
        'alpha 0.75 converges, 0.77 diverges' if converges and diverges
        else '-',
        'the limit is `2 * (1 + beta1) / L`, {:.2g} times gradient '
        'descent\'s'.format(figures.momentum_limit(50, 0.9) * (1 - 0.9)
                            / limit_gd),
        'capped at {:.3f} per step against gradient descent\'s {:.3f}'
        .format(np.sqrt(0.9), (kappa - 1) / (kappa + 1)),
        'At gradient descent\'s own best rate ({}), momentum ends 100 steps '
        'at {} from the minimum against gradient descent\'s {}, and 200 '
        'steps at {} against {}; from step {} on it is the closer of the '
        'two at every step up to 300.'.format(
            g(gd_lr), g(mom[100]), g(gd[100]), g(mom[200]), g(gd[200]),
            int(np.nonzero(mom >= gd)[0][-1] + 1)),
        'Its best rate for reaching the {:g} circle is {}, no larger than '
        'gradient descent\'s'.format(figures.RADIUS,
                                     g(rates['momentum'][0]))
        if rates['momentum'][0] <= gd_lr else '-',
        'is {:.3f} here, with alpha = {:.3f} in this form'.format(
            beta1, alpha),
        '{:.3f} of its error per step, and momentum stays within {:g} '
        'after {} steps instead of {}'.format(
            (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1), figures.RADIUS,
            tuned, rates['gd'][1]),
        'is {}, {}, {} and {}, against {}, {}, {} and {} for gradient '
        'descent.'.format(*[g(x) for x in mom_swing[:4] + gd_swing[:4]]),
        'gradient descent\'s y changes sign at every one of the {} steps, '
        'momentum\'s {} times'.format(gd_flips, mom_flips)
        if gd_flips == figures.HORIZON else '-',
        '(a turn takes {:.3g} steps at this rate)'.format(
            figures.turn_steps(rates['momentum'][0], 50, 0.9)),
        '3.16 times too large for `beta2 = 0.9`, 31.6 times for '
        '`beta2 = 0.999`' if (round(1 / np.sqrt(0.1), 2),
                              round(1 / np.sqrt(0.001), 1)) == (3.16, 31.6)
        else '-',
        'Gradient descent and momentum do not see the turn: {} and {} '
        'steps both times.  RMSProp goes from {} steps to {}, worse than '
        'gradient descent, and Adam from {} to {}.'.format(
            turned['gd'][1], turned['momentum'][1], rates['rmsprop'][1],
            turned['rmsprop'][1], rates['adam'][1], turned['adam'][1])
        if (turned['gd'][1], turned['momentum'][1]) == (
            rates['gd'][1], rates['momentum'][1])
        and turned['rmsprop'][1] > turned['gd'][1] else '-',
        '(measured: {:.1f} alpha).  Adam with the same beta2 ends bouncing '
        'at {:.2g} alpha.'.format(figures.bounce('rmsprop', 0.1) / 0.1,
                                  figures.bounce('adam', 0.1) / 0.1),
        'leaves the {:g} circle again at step {}, and Adam\'s at step {}.'
        .format(figures.RADIUS, figures.escape('rmsprop',
                                               rates['rmsprop'][0]),
                figures.escape('adam', rates['adam'][0])),
        'it needs {} steps to stay within {:g}, momentum {}, and turning '
        'the valley changes that only to {}.'.format(
            rates['adam'][1], figures.RADIUS, rates['momentum'][1],
            turned['adam'][1]),
        '`alpha * h / np.sqrt(s_hat) < 2 * (1 + beta1) / (1 - beta1)` = {:g}'
        .format(round(2 * 1.9 / 0.1, 9)),
        'up to {:.2g} alpha, against RMSProp\'s {:.1f} alpha'.format(
            figures.bounce('adam', 0.1) / 0.1,
            figures.bounce('rmsprop', 0.1) / 0.1),
    ]


def other_phrases():
    """Feature scaling, batch norm, mini-batches, epsilon, decay."""
    inputs = figures.house_inputs()
    curves = {name: figures.regression_run(A, figures.FEATURE_STEPS)
              for name, A in inputs.items()}
    kappa = {name: figures.condition_number(A)
             for name, A in inputs.items()}
    r = float(np.corrcoef(figures.houses()[0].T)[0, 1])
    before, after = figures.tanh_slopes()
    floor = {size: figures.to_floor(size) for size in figures.BATCH_SIZES}
    updates = [figures.to_floor(size, seed)[0]
               for size in figures.BATCH_SIZES for seed in SEEDS]
    early, late = figures.noise(8, 1, 5), figures.noise(8, 30, 60)
    gains = [figures.decay_gain(seed) for seed in SEEDS]
    gain0 = gains[0]
    return [
        'Raw, kappa is {}: the first step fits the floor area, then the '
        'rooms and the intercept keep {:.8f} of their error per step, and '
        '{} of the starting excess cost is still there after {} steps; in '
        'the flattest direction the excess cost shrinks tenfold only every '
        '{} steps.'.format(
            g(kappa['raw']), 1 - 1 / kappa['raw'], g(curves['raw'][-1]),
            figures.FEATURE_STEPS,
            # the cost keeps (1 - 1 / kappa) ** 2 per step there
            g(np.log(10) / -np.log((1 - 1 / kappa['raw']) ** 2))),
        'kappa is {:.3g} ({} per step), and a millionth of the excess cost '
        'is left after {} steps.'.format(
            kappa['standardized'], g(1 - 1 / kappa['standardized']),
            figures.steps_to(curves['standardized'], 1e-6)),
        'correlated (r = {} here), and the correlation alone gives kappa = '
        '(1 + r) / (1 - r) = {:.3g}.'.format(g(r), (1 + r) / (1 - r))
        if np.isclose((1 + r) / (1 - r), kappa['standardized'], rtol=1e-9)
        else '-',
        'makes kappa {:.3g}, and gradient descent lands on the minimum in '
        'one step'.format(kappa['whitened'])
        if curves['whitened'][1] < 1e-20 else '-',
        'it averages {:.2f} to {:.2f} before batch normalization and {:.1f} '
        'after it.'.format(before.min(), before.max(), after.mean())
        if len({round(x, 1) for x in after}) == 1 else '-',
        '({:.4g} for batches of 64)'.format(64 / 63),
        'after {} updates ({} for seeds 0 to 4)'.format(
            span([floor[size][0] for size in figures.BATCH_SIZES]),
            span(updates)),
        'that is {} epochs with batches of 8, {} with batches of 64, {} '
        'with 512 and {} with the full batch.'.format(
            *[g(floor[size][1]) for size in figures.BATCH_SIZES]),
        'has mean {} and standard deviation {} in epochs 1 to 5, {} and {} '
        'in epochs 30 to 60.'.format(*[g(x) for x in early + late]),
        '`sqrt(epsilon / (1 - beta2))` = {:g}'.format(
            round(np.sqrt(1e-7 / 0.1), 12)),
        'the threshold is `sqrt(epsilon)` = {}.'.format(g(np.sqrt(1e-7))),
        '{:.3g} times at the first step'.format(1 / np.sqrt(1 - 0.999)),
        'first step would be `(1 - beta1) / sqrt(1 - beta2)` = {:.3g} times'
        .format(0.1 / np.sqrt(0.001)),
        'Over the last 5 epochs the mean excess cost is {} with the '
        'constant rate and {} with decay, the largest {} and {}.'.format(
            g(gain0[0.0][0]), g(gain0[1.0][0]), g(gain0[0.0][1]),
            g(gain0[1.0][1])),
        'decay makes the mean {} times smaller and the largest {} times '
        'smaller.'.format(
            span([x[0.0][0] / x[1.0][0] for x in gains], '{:.0f}'),
            span([x[0.0][1] / x[1.0][1] for x in gains], '{:.0f}')),
    ]


def moons_phrases():
    """The moons rows quoted in sections 6 and 7."""
    results, final = moons()
    correct = {name: row[2] for name, row in results.items()}
    adam = [first_epoch_below('Adam, lr 0.007', x) for x in LEVELS]
    gd = [first_epoch_below('Gradient descent, lr 0.007', x)
          for x in LEVELS]
    return [
        'Adam classifies {} of the 300 training points where mini-batch '
        'gradient descent and momentum stay at {}'.format(
            correct['Adam'], correct['Gradient descent'])
        if correct['Gradient descent'] == correct['Momentum'] else '-',
        'at 0.007, gradient descent reaches {} of 300 and momentum {} too; '
        'Adam stays at {}'.format(
            correct['Gradient descent, lr 0.007'],
            correct['Momentum, lr 0.007'], correct['Adam, lr 0.007']),
        'Adam\'s cost is first below {:g} at epoch {} of the figure, '
        'gradient descent\'s at epoch {} and momentum\'s at {}, and for '
        'every level from {:g} to {:g} gradient descent takes {} times as '
        'many epochs.'.format(
            LEVELS[1], adam[1], gd[1],
            first_epoch_below('Momentum, lr 0.007', LEVELS[1]),
            LEVELS[0], LEVELS[-1],
            span([b / a for a, b in zip(adam, gd)], '{:.0f}')),
        'until epoch 1000 it is the same run as Adam at 0.007'
        if results['Adam + lr decay'][1][:100]
        == results['Adam, lr 0.007'][1][:100] else '-',
        'ends at a cost of {:.4f}, but Adam at 0.007 without decay already '
        'ends at {:.4f}, and at 0.0007 at {:.4f}; all three classify {} '
        'of 300 points'.format(
            final['Adam + lr decay'], final['Adam, lr 0.007'],
            final['Adam'], correct['Adam + lr decay'] if len({
                correct[name] for name in ('Adam + lr decay',
                                           'Adam, lr 0.007', 'Adam')}) == 1
            else '(three differ)'),
    ]


def missing(phrases):
    """The phrases the post's text, its line breaks folded, lacks."""
    flat = ' '.join(text().split())
    return [p for p in phrases if ' '.join(p.split()) not in flat]


def test_valley_numbers_are_what_the_code_computes():
    assert not missing(valley_phrases())


def test_other_numbers_are_what_the_code_computes():
    assert not missing(other_phrases())


def test_moons_numbers_are_what_the_code_computes():
    pytest.importorskip('sklearn')
    assert not missing(moons_phrases())


# --- the claims hold where the text says they hold -------------------
def test_same_betas_for_the_methods_compared():
    methods = figures.METHODS
    assert methods['momentum'][2] == methods['adam'][2] == 0.9
    assert methods['rmsprop'][3] == methods['adam'][3] == 0.999


@pytest.mark.parametrize('radius', figures.RADII)
def test_the_order_is_the_same_for_every_radius(radius):
    steps = {m: figures.best_rate(m, radius)[1] for m in figures.METHODS}
    assert steps['rmsprop'] < steps['momentum'] < steps['adam'] \
        < steps['gd'] < np.inf, steps


def test_the_top_figure_keeps_every_path_in_its_frame():
    (x0, x1), (y0, y1) = figures.FRAME
    for method in figures.METHODS:
        path = figures.valley_path(method, figures.best_rate(method)[0])
        assert x0 < path[:, 0].min() and path[:, 0].max() < x1, method
        assert y0 < path[:, 1].min() and path[:, 1].max() < y1, method


@pytest.mark.parametrize('beta1', [0.0, 0.5, 0.9, 0.99])
def test_momentum_keeps_at_least_sqrt_beta1(beta1):
    # the two eigenvalues multiply to beta1, for every alpha and h
    for alpha in np.geomspace(1e-4, 10, 60):
        for h in (1, 50):
            factor = figures.momentum_factor(alpha, h, beta1)
            assert factor >= np.sqrt(beta1) - 1e-9
    low, high = figures.plateau(0.9)
    for alpha in np.geomspace(low * 1.001, high * 0.999, 20):
        for h in (1, 50):
            assert figures.momentum_factor(alpha, h, 0.9) == pytest.approx(
                np.sqrt(0.9), rel=1e-9)


@pytest.mark.parametrize('beta1', [0.0, 0.5, 0.9])
def test_the_stable_limit_is_the_formula(beta1):
    # runs of task 5 just below the formula's limit converge, just above
    # it they diverge (along the steep direction, h = 50)
    limit = figures.momentum_limit(50, beta1)
    below = figures.valley_path('gd' if beta1 == 0 else 'momentum',
                                limit * 0.99, 3000, beta1=beta1)
    above = figures.valley_path('gd' if beta1 == 0 else 'momentum',
                                limit * 1.01, 3000, beta1=beta1)
    assert len(below) == 3001 and figures.distance(below)[-1] < 1e-3
    assert len(above) < 3001


def test_the_measured_factors_agree_with_the_formula():
    # the circles of the momentum figure, where the figure shows them
    for beta1 in (0.0, 0.9):
        for coordinate, h in ((0, 1), (1, 50)):
            for alpha in figures.MEASURED:
                formula = figures.momentum_factor(alpha, h, beta1)
                if 0.5 <= formula <= 1.1:
                    measured = figures.measured_factor(alpha, coordinate,
                                                       beta1)
                    assert abs(measured - formula) < 0.003, (beta1, h,
                                                             alpha)


def test_the_sign_changes_follow_the_turn():
    lr = figures.best_rate('momentum')[0]
    _, flips = figures.swing(figures.valley_path('momentum', lr))
    # two sign changes per turn
    assert abs(flips - 2 * figures.HORIZON / figures.turn_steps(
        lr, 50, 0.9)) <= 1


@pytest.mark.parametrize('alpha', [0.05, 0.1, 0.3])
def test_the_short_memory_bounce(alpha):
    # RMSProp with beta2 = 0.9 ends on the cycle +-alpha / 2, whatever
    # alpha; Adam with the same beta2 bounces at 0.043 alpha
    assert figures.bounce('rmsprop', alpha) == pytest.approx(alpha / 2,
                                                             rel=1e-6)
    assert figures.bounce('adam', alpha) / alpha == pytest.approx(
        figures.bounce('adam', 0.1) / 0.1, rel=1e-3)
    assert 1 / 38 < figures.bounce('adam', alpha) / alpha < 1 / 2


def test_decay_helps_for_every_seed():
    for seed in SEEDS:
        gain = figures.decay_gain(seed)
        assert gain[1.0][0] * 30 < gain[0.0][0]
        assert gain[1.0][1] * 30 < gain[0.0][1]


def test_the_noise_of_batch_8_is_steady():
    early, late = figures.noise(8, 1, 5), figures.noise(8, 30, 60)
    assert early == pytest.approx(late, rel=0.1)
