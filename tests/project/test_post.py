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
    # at least one example for each of the seven techniques
    assert text().count('```python') == len(examples()) >= 9


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


def false():
    """What a claim becomes when a condition it states does not hold: a
    phrase the post cannot contain, which names the line that built it
    (a '-', which the post does contain, would let the check pass)."""
    import inspect
    return '[the condition at test_post.py line {} does not hold]'.format(
        inspect.currentframe().f_back.f_lineno)


def g(x):
    """Two significant digits, as the text quotes most numbers."""
    return '{:.2g}'.format(x)


def span(values, form='{}'):
    """'a to b' for the smallest and largest of values."""
    return '{} to {}'.format(form.format(min(values)),
                             form.format(max(values)))


@functools.lru_cache(maxsize=None)
def moons():
    """test_moons's runs: the rows (name -> params, costs, correct,
    seconds), the final cost of each row on the 300 points, and the sweep
    ((method, lr) -> costs, final cost, correct, seconds)."""
    import test_moons
    results = test_moons.results()
    X, Y = test_moons.moons.load_moons()
    final = {name: test_moons.moons.cost(test_moons.moons.forward(
        params, X.T)[0], Y.T) for name, (params, _, _, _) in results.items()}
    return results, final, test_moons.sweep()


def moons_module():
    """examples/moons.py, as test_moons imports it."""
    import test_moons
    return test_moons.moons


def first_epoch_below(name, level):
    """The number of epochs after which a moons row's cost (recorded
    after every epoch) is first below `level`."""
    return moons_module().first_below(moons()[0][name][1], level)


LEVELS = (0.2, 0.15, 0.14)


def kept(method, lr, **betas):
    """|x_t / x_(t-1)| per coordinate at steps 1, 2, ... of a valley run
    (along the axes)."""
    return figures.kept_per_step(figures.valley_path(method, lr, **betas))


def fast_rmsprop_rates():
    """The rates of the grid from 0.19 on, the range the post quotes for
    RMSProp's 5 to 8 steps."""
    return [float(lr) for lr in figures.RATES if lr >= 0.19]


def robust_rates(method, low):
    """{lr: steps} for the converging rates of a method from `low` on."""
    return {lr: steps for lr, steps in figures.converging(method).items()
            if lr >= low - 1e-12}


def constant_slope(steps=30, alpha=0.1, beta1=0.9):
    """Section 4's constant slope (gradient -1): where gradient descent
    (task 5 with beta1 = 0), task 5 and task 5's v with bias correction
    end after `steps` steps from 0."""
    momentum = figures.update_variables_momentum
    gd, mom, corrected, v = np.zeros(1), np.zeros(1), np.zeros(1), 0
    for t in range(1, steps + 1):
        gd, _ = momentum(alpha, 0.0, gd, np.array([-1.0]), 0)
        mom, v = momentum(alpha, beta1, mom, np.array([-1.0]), v)
        corrected = corrected - alpha * v / (1 - beta1 ** t)
    return float(gd[0]), float(mom[0]), float(corrected[0])


DECAY_STEPS = (10, 100, 1000)


def decayed_valley(method, lr, decay_step, steps=figures.LONG_STEPS):
    """The step from which the top figure's run of `method` (RMSProp or
    Adam, with its betas), its rate decayed by task 11 (decay_rate 1
    every `decay_step` steps), stays within RADIUS to step `steps`."""
    decay = figures.learning_rate_decay
    _, rule, beta1, beta2 = figures.METHODS[method]
    p, v, s = figures.START.copy(), 0, 0
    last = 0
    for t in range(1, steps + 1):
        alpha = decay(lr, 1, t - 1, decay_step)
        grad = figures.CURVATURE * p
        if rule == 'rmsprop':
            p, s = figures.update_variables_RMSProp(
                alpha, beta2, figures.EPSILON, p, grad, s)
        else:
            p, v, s = figures.update_variables_Adam(
                alpha, beta1, beta2, figures.EPSILON, p.copy(), grad, v, s,
                t)
        if np.linalg.norm(p) > figures.RADIUS:
            last = t
    return last + 1


def valley_phrases():
    """The top figure and sections 4 to 6 on the valley."""
    rates = figures.best_rates()
    steps = {m: [figures.best_rate(m, r)[1] for r in figures.RADII]
             for m in figures.METHODS}
    margins = [a - m for a, m in zip(steps['adam'], steps['momentum'])]
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
    slope, gap = constant_slope(), 0.1 * sum(0.9 ** t for t in range(1, 31))
    mom_swing, mom_flips = figures.swing(figures.valley_path(
        'momentum', rates['momentum'][0]))
    gd_swing, gd_flips = figures.swing(figures.valley_path('gd', gd_lr))
    converges = len(figures.valley_path('momentum', 0.75, 1000)) == 1001 \
        and figures.distance(figures.valley_path('momentum', 0.75,
                                                 1000))[-1] < 1e-10
    diverges = len(figures.valley_path('momentum', 0.77, 1000)) < 1001
    # momentum and Adam over their ranges of rates, at the radius 0.01
    mom_range = robust_rates('momentum', rates['momentum'][0])
    adam_range = robust_rates('adam', 0.19)
    gd_range = figures.converging('gd')
    spread = min(max(mom_range.values()) - min(mom_range.values()),
                 max(adam_range.values()) - min(adam_range.values()))
    # RMSProp per coordinate, and Adam with beta1 = 0
    rms_lr = rates['rmsprop'][0]
    rms_kept = kept('rmsprop', rms_lr)[1:10]        # steps 2 to 10
    fast = fast_rmsprop_rates()
    # the general form: x1 = x0 - L toward the minimum, gain L / sqrt(x0^2
    # + x1^2), from the start and the leap alone
    leap = rms_lr / np.sqrt(1 - 0.999)
    x0 = np.abs(figures.START)
    leap_gain = leap / np.sqrt(x0 ** 2 + (x0 - leap) ** 2)
    leap_kept = np.abs(1 - leap_gain)
    fast_kept = max(float(kept('rmsprop', lr)[1:6].max()) for lr in fast)
    fast_steps = [figures.steps_within(figures.valley_path('rmsprop', lr))
                  for lr in fast]
    adam0_lr, adam0_steps = figures.best_rate('adam', beta1=0.0)
    adam0_turned = figures.best_rate('adam', angle=45.0, beta1=0.0)[1]
    # the bounces with beta2 = 0.9, at alpha 0.1
    rms_peak = figures.bounce('rmsprop', 0.1)[0] / 0.1
    adam_peak = figures.bounce('adam', 0.1)[0] / 0.1
    # the bursts of the long memory
    memory = figures.bursts('rmsprop', figures.MEMORY_LR)
    top = figures.bursts('rmsprop', rms_lr)
    adam_bursts = figures.bursts('adam', rates['adam'][0])
    calm = {method: [decayed_valley(method, rates[method][0], step)
                     for step in DECAY_STEPS]
            for method in ('rmsprop', 'adam')}
    # the Adam figure: f multiplied by each of SCALES
    scaled = {m: figures.scale_ranges(m) for m in figures.SCALE_METHODS}
    below = figures.valley_path('rmsprop', figures.MEMORY_LR,
                                figures.LONG_STEPS)[100:memory[0][0]]
    return [
        # the top figure, its caption and the paragraph after it
        'Each runs at the learning rate, of {} from {:g} to {:g}, after '
        'which it stays within {:g} of the minimum soonest, up to step {}.'
        .format(len(figures.RATES), figures.RATES[0], figures.RATES[-1],
                figures.RADIUS, figures.HORIZON),
        'gradient descent (lr {}) needs {} steps, momentum (lr {}) {}, '
        'Adam (lr {}) {} and RMSProp (lr {}) {}.'.format(
            g(gd_lr), rates['gd'][1], g(rates['momentum'][0]),
            rates['momentum'][1], g(rates['adam'][0]), rates['adam'][1],
            g(rates['rmsprop'][0]), rates['rmsprop'][1]),
        'The order holds for {} radii from {:g} to {:g}.'.format(
            len(figures.RADII), max(figures.RADII), min(figures.RADII)),
        # a tie: the margin is no larger than either's spread over rates
        'Momentum leads Adam by {} steps, no more than either count moves '
        'with the rate: a tie.'.format(span(margins))
        if min(margins) > 0 and max(margins) <= spread else false(),
        # section 4
        'both directions keep ({0} - 1) / ({0} + 1) = {1:.3f} of their '
        'error per step, which predicts {2} steps to come within {3:g} of '
        'the minimum (measured: {4})'.format(
            kappa, (kappa - 1) / (kappa + 1),
            int(round(figures.gd_steps_predicted())), figures.RADIUS,
            rates['gd'][1]),
        'the steepest direction sets the limit, 2 / 50 = {:g}'.format(
            limit_gd)
        if gd_lr < limit_gd < above
        and len(figures.valley_path('gd', float(above))) < 301 else false(),
        'at every alpha from {} to {}'.format(g(low), g(high)),
        '= {} with the steepest curvature `L = 50`: {} times gradient '
        'descent\'s limit.'.format(g(limit), int(round(limit / limit_gd))),
        'alpha 0.75 converges, 0.77 diverges' if converges and diverges
        else false(),
        'the limit is `2 * (1 + beta1) / L`, {:.2g} times gradient '
        'descent\'s'.format(figures.momentum_limit(50, 0.9) * (1 - 0.9)
                            / limit_gd),
        'momentum keeps at least {:.3f} per step, against gradient '
        'descent\'s best {:.3f}: at gradient descent\'s best rate ({}) it '
        'ends 100 steps at {} from the minimum against {}.'.format(
            np.sqrt(0.9), (kappa - 1) / (kappa + 1), g(gd_lr), g(mom[100]),
            g(gd[100])),
        'any alpha from {} to {} brings it within {:g} in {} steps, while '
        'gradient descent gets there within {} steps only from {} to {}.'
        .format(g(min(mom_range)), g(max(mom_range)), figures.RADIUS,
                span(mom_range.values()), figures.HORIZON, g(min(gd_range)),
                g(max(gd_range))),
        'is {:.3f} here, with alpha = {:.3f} in this form'.format(
            beta1, alpha),
        '{:.3f} of its error per step, and momentum stays within {:g} '
        'after {} steps instead of {}'.format(
            (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1), figures.RADIUS,
            tuned, rates['gd'][1]),
        'Thirty steps of task 5 at alpha 0.1 down the slope -1 go {:.4f} '
        'where gradient descent goes {:.1f}; the whole gap, {:.4f}, is '
        '`alpha` times the weights `0.9 + ... + 0.9 ** 30`'.format(
            slope[1], slope[0], gap)
        if abs(slope[0] - slope[1] - gap) < 1e-12 else false(),
        'the 30 steps go {:.1f}, as gradient descent\'s.'.format(slope[2])
        if abs(slope[2] - slope[0]) < 1e-12 else false(),
        'its largest |y| in steps 21 to 40 is {}, gradient descent\'s {}, '
        'and in each 20 steps up to step 80 the two are within {:.2g} '
        'times.'.format(g(mom_swing[1]), g(gd_swing[1]), np.ceil(10 * max(
            max(a / b, b / a) for a, b in zip(mom_swing[:4],
                                              gd_swing[:4]))) / 10),
        'gradient descent\'s y changes sign at every step, momentum\'s {} '
        'times in {}, twice per turn of its complex eigenvalue ({:.3g} '
        'steps at this rate).'.format(
            mom_flips, figures.HORIZON,
            figures.turn_steps(rates['momentum'][0], 50, 0.9))
        if gd_flips == figures.HORIZON else false(),
        # section 5
        '3.16 times `alpha` for `beta2 = 0.9`, 31.6 times for '
        '`beta2 = 0.999`' if (round(1 / np.sqrt(0.1), 2),
                              round(1 / np.sqrt(0.001), 1)) == (3.16, 31.6)
        else false(),
        'The first step leaps {:.3g} times `alpha` in each coordinate'
        .format(1 / np.sqrt(1 - 0.999)),
        'At lr {} the leap is {:.2g}: across the valley it passes |y0| = '
        '{:g} and the formula gives {:.2f}; along it, it falls short of '
        '|x0| = {:g}, the gain is {:.2f} and the formula gives {:.2f}.'
        .format(g(rms_lr), leap, abs(figures.START[1]), leap_kept[1],
                abs(figures.START[0]), leap_gain[0], leap_kept[0])
        if abs(figures.START[1]) < leap < abs(figures.START[0])
        and np.allclose(leap_gain, figures.rmsprop_gain(rms_lr), rtol=1e-6)
        else false(),
        'Measured over steps 2 to 10, RMSProp keeps {} along the valley and '
        '{} across.'.format(
            span(rms_kept[:, 0], '{:.2g}'), span(rms_kept[:, 1], '{:.2g}')),
        'The leap along reaches |x0| only from lr {:.3g}, yet at every rate '
        'from {} to {:g} it keeps at most {} over steps 2 to 6, and needs {} '
        'steps.'.format(abs(figures.START[0]) * np.sqrt(1 - 0.999),
                        g(min(fast)), max(fast), g(fast_kept),
                        span(fast_steps))
        if fast_kept <= np.sqrt(2) - 1
        and min(fast) < abs(figures.START[0]) * np.sqrt(1 - 0.999)
        else false(),
        'forgets the early gradients only slowly: it needs {} steps at best '
        '(lr {}).'.format(adam0_steps, g(adam0_lr))
        if adam0_steps > 10 * rates['rmsprop'][1] else false(),
        'gradient descent and momentum do not see the turn ({} and {} '
        'steps both times), RMSProp goes from {} steps to {} (lr {}), and '
        'Adam from {} to {} (lr {}).'.format(
            turned['gd'][1], turned['momentum'][1], rates['rmsprop'][1],
            turned['rmsprop'][1], g(turned['rmsprop'][0]),
            rates['adam'][1], turned['adam'][1], g(turned['adam'][0]))
        if (turned['gd'][1], turned['momentum'][1]) == (
            rates['gd'][1], rates['momentum'][1])
        and turned['rmsprop'][1] > turned['gd'][1] else false(),
        'RMSProp ends on a cycle at {:.1f} alpha and Adam bounces at {} '
        'alpha; with beta2 = 0.999 RMSProp drops below 1e-12, then bursts '
        'out at step {}, to |y| = {} alpha, and at step {}.'.format(
            rms_peak, g(adam_peak), memory[0][0], g(memory[0][2]),
            memory[1][0]) if np.abs(below).max(axis=1).min() < 1e-12
        else false(),
        'RMSProp run bursts out of the {:g} circle at step {}, to a '
        'distance of {}, and {} times by step {}.'.format(
            figures.RADIUS, top[0][0], g(top[0][1]), len(top),
            figures.LONG_STEPS),
        'Adam\'s run leaves the circle at step {} and strays no farther '
        'than {}.'.format(adam_bursts[0][0],
                          g(max(b[1] for b in adam_bursts))),
        'with task 11\'s decay (`decay_rate` 1 every {}, {} or {} steps) '
        'RMSProp stays within {:g} from step {} on, and Adam from step {}, '
        '{} and {} on, with no burst up to step {}.'.format(
            *DECAY_STEPS, figures.RADIUS, calm['rmsprop'][0], *calm['adam'],
            figures.LONG_STEPS)
        if len(set(calm['rmsprop'])) == 1 else false(),
        # section 6: the Adam figure
        'rates 8 per decade from {:g} to {:g}'.format(
            figures.SCALE_RATES[0], figures.SCALE_RATES[-1])
        if np.allclose(figures.SCALE_RATES, 10.0 ** (np.arange(57) / 8 - 5))
        else false(),
        'At c = 1 gradient descent works at two rates of the grid, {} and '
        '{} (its limit is 2 / (50 c) = {:g}), momentum from {} to {} (its '
        'limit, {} / c), and at c = 100 each is 100 times smaller.'.format(
            g(scaled['gd'][2][0]), g(scaled['gd'][2][1]), limit_gd,
            g(scaled['momentum'][2][0]), g(scaled['momentum'][2][1]),
            g(limit))
        if figures.SCALES == (0.01, 0.1, 1.0, 10.0, 100.0)
        and sum(figures.scaled_steps('gd', float(lr))[2] < np.inf
                for lr in figures.SCALE_RATES) == 2
        and scaled['gd'][2][1] < limit_gd
        and scaled['momentum'][2][1] < limit < figures.SCALE_RATES[list(
            figures.SCALE_RATES).index(scaled['momentum'][2][1]) + 1]
        and all(np.isclose(100 * scaled[m][4][k], scaled[m][2][k])
                for m in ('gd', 'momentum') for k in (0, 1, 2)) else false(),
        'Adam works from {} to {:g}, the largest rate tried, at every c, and '
        'its best rate, {}, needs {} steps at every c.'.format(
            g(scaled['adam'][0][0]), scaled['adam'][0][1],
            g(scaled['adam'][0][2]), scaled['adam'][0][3])
        if len(set(scaled['adam'])) == 1
        and scaled['adam'][0][1] == figures.SCALE_RATES[-1] else false(),
        'Gradient descent and momentum need the same {} and {} steps at '
        'every c, at the best rate for that c'.format(
            scaled['gd'][0][3], scaled['momentum'][0][3])
        if all(len({r[3] for r in scaled[m]}) == 1
               for m in ('gd', 'momentum')) else false(),
        # section 6
        'any rate from {} to {:g} gives {}'.format(
            g(min(adam_range)), max(adam_range), span(adam_range.values())),
        'Adam needs {} steps and Adam with `beta1 = 0` {}: there momentum '
        'helps.'.format(turned['adam'][1], adam0_turned)
        if adam0_turned > turned['adam'][1] else false(),
        '`alpha * h / np.sqrt(s_hat) < 2 * (1 + beta1) / (1 - beta1)` = {:g}'
        .format(round(2 * 1.9 / 0.1, 9)),
        '`|x| = alpha / 38` = {:.2g} alpha.'.format(1 / 38),
        'its peaks settle at {} alpha, {:.2g} times this rough estimate.'
        .format(g(adam_peak), adam_peak * 38),
    ]


def moving_average_ratio(day, beta=0.9):
    """The average without bias correction over task 4's, on the day
    (from 1) of the moving-average figure: the plain recursion v = beta v
    + (1 - beta) x from 0, computed here, against task 4's output."""
    data = figures.moving_average_data()
    v = 0.0
    for x in data[:day]:
        v = beta * v + (1 - beta) * x
    return v / figures.moving_average(data, beta)[day - 1]


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
    bands = {size: [figures.band(size, seed) for seed in SEEDS]
             for size in figures.BATCH_SIZES}
    early, late = figures.noise(8, 1, 5), figures.noise(8, 30, 60)
    # the decay figure: seed 0's constant runs, and over the seeds decay
    # from 1.0 and 2.0 against the constant 0.1 and 2.0
    constant = {lr: figures.trade_off(lr) for lr in figures.CONSTANT_RATES}
    seeds = {(lr, rate): [figures.trade_off(lr, rate, seed) for seed in SEEDS]
             for lr, rate in ((1.0, 1.0), (0.1, 0.0), (2.0, 1.0),
                              (2.0, 0.0))}
    # the noise floor of a constant rate: the formula against the decay
    # figure's constant-rate points and batch 64
    H, C = figures.gradient_noise()
    rates = np.array(figures.CONSTANT_RATES)
    means = np.array([constant[lr][1] for lr in figures.CONSTANT_RATES])
    exponent = np.polyfit(np.log(rates), np.log(means), 1)[0]
    local = np.diff(np.log(means)) / np.diff(np.log(rates))
    ratios = means / [figures.noise_floor(lr, 8) for lr in rates]
    slowest = 1 / (rates.min() * np.linalg.eigvalsh(H).min())
    return [
        '(trace {} at the minimum here)'.format(g(np.trace(C))),
        'For batch 8 at lr {:g} that predicts {}, and the decay figure\'s '
        'run measures {}; batch 64, {} predicted and {} measured (epochs 30 '
        'to 60).'.format(rates.max(), g(figures.noise_floor(rates.max(), 8)),
                         g(constant[rates.max()][1]),
                         g(figures.noise_floor(rates.max(), 64)),
                         g(figures.noise(64, 30, 60)[0]))
        # the simple form is within 15 % of the exact one at lr 2
        if abs(figures.noise_floor(2.0, 8) / (2.0 * np.trace(C) / 32) - 1)
        < 0.15 else false(),
        'Smaller rates fall below the prediction, to {:.2f} times it at lr '
        '{:g}: over the decay figure\'s rates, {:g} to {:g}, the excess '
        'grows as about lr ** {:.1f}, not lr.'.format(
            ratios[0], rates.min(), rates.min(), rates.max(), exponent)
        if np.all(np.diff(ratios) > 0) and local.min() > 1 else false(),
        'at lr {:g} the slowest direction needs `1 / (lr * h)` = {:.0f} '
        'updates to respond, more than an epoch\'s {}.'.format(
            rates.min(), slowest, -(-len(figures.logistic_data()[0]) // 8))
        if slowest > 256 else false(),
        'Raw, kappa is {}: the first step fits the floor area, then the '
        'rooms and the intercept keep {:.8f} of their error per step, and '
        '{} of the starting excess cost is still there after {} steps.'
        .format(g(kappa['raw']), 1 - 1 / kappa['raw'], g(curves['raw'][-1]),
                figures.FEATURE_STEPS),
        'kappa is {:.3g} ({} per step), and a millionth of the excess cost '
        'is left after {} steps.'.format(
            kappa['standardized'], g(1 - 1 / kappa['standardized']),
            figures.steps_to(curves['standardized'], 1e-6)),
        'correlated (r = {} here), and the correlation alone gives kappa = '
        '(1 + r) / (1 - r) = {:.3g}.'.format(g(r), (1 + r) / (1 - r))
        if np.isclose((1 + r) / (1 - r), kappa['standardized'], rtol=1e-9)
        else false(),
        'makes kappa {:.3g}, and gradient descent lands on the minimum in '
        'one step'.format(kappa['whitened'])
        if curves['whitened'][1] < 1e-20 else false(),
        'it averages {:.2f} to {:.2f} before batch normalization and {:.1f} '
        'after it.'.format(before.min(), before.max(), after.mean())
        if len({round(x, 1) for x in after}) == 1 else false(),
        '({:.4g} for batches of 64)'.format(64 / 63),
        # the mini-batch figure
        'first comes within {:g} of it after {} updates ({} for seeds 0 to '
        '4).'.format(figures.WITHIN,
                     span([floor[size][0] for size in figures.BATCH_SIZES]),
                     span(updates)),
        'that is {} epochs with batches of 8, {} with 64, {} with 512 and '
        '{} with the full batch.'.format(
            *[g(floor[size][1]) for size in figures.BATCH_SIZES]),
        'batches of 512 and 2048 never leave it, batch 64 leaves it on {} '
        '% of its later updates, and batch 8 only touches it: afterwards '
        'its excess cost averages {}, {} times the band.'.format(
            span([100 * b[0] for b in bands[64]], '{:.0f}'),
            span([b[1] for b in bands[8]], '{:.2g}'),
            span([b[1] / figures.WITHIN for b in bands[8]], '{:.2g}'))
        if all(b[0] == 0 for b in bands[512] + bands[2048]) else false(),
        'the excess has mean {} and standard deviation {} in epochs 1 to '
        '5, {} and {} in epochs 30 to 60.'.format(
            *[g(x) for x in early + late]),
        # the moving average
        'the average is {} times the corrected one on day 1 and {} times '
        'on day 10.'.format(g(moving_average_ratio(1)),
                            g(moving_average_ratio(10))),
        # epsilon
        '`sqrt(epsilon / (1 - beta2))` = {:g}'.format(
            round(np.sqrt(1e-7 / 0.1), 12)),
        '{:.3g} times at the first step'.format(1 / np.sqrt(1 - 0.999)),
        'first step would be `(1 - beta1) / sqrt(1 - beta2)` = {:.3g} times'
        .format(0.1 / np.sqrt(0.001)),
        # decay
        '(`decay_step` = the {} updates of an epoch: the rate is lr / (1 + '
        'epochs done))'.format(-(-len(figures.logistic_data()[0]) // 8)),
        'from {:g} down to {:g} the updates to come within {:g} grow from {} '
        'to {} and the mean excess of the last {} epochs falls from {} to '
        '{}.'.format(max(constant), min(constant), figures.WITHIN,
                     constant[max(constant)][0], constant[min(constant)][0],
                     figures.LAST, g(constant[max(constant)][1]),
                     g(constant[min(constant)][1])),
        # decay's rate is the constant's for the first epoch's 256 updates
        'decay from 1.0 first comes within {:g} after {} updates, the '
        'constant 0.1 after {}, and its mean excess is {} times the '
        'constant 0.1\'s'.format(
            figures.WITHIN, span([x[0] for x in seeds[1.0, 1.0]]),
            span([x[0] for x in seeds[0.1, 0.0]]),
            span([a[1] / b[1] for a, b in zip(
                seeds[1.0, 1.0], seeds[0.1, 0.0])], '{:.2g}')),
        'decay from 2.0 makes the constant 2.0\'s mean excess {} times '
        'smaller'.format(span([b[1] / a[1] for a, b in zip(
            seeds[2.0, 1.0], seeds[2.0, 0.0])], '{:.0f}')),
        'it stays within {:g} for good only from update {}, the constant '
        '0.1 from {}.'.format(
            figures.WITHIN, span([x[2] for x in seeds[1.0, 1.0]]),
            span([x[2] for x in seeds[0.1, 0.0]])),
    ]


def moons_phrases():
    """The moons rows and the sweep, quoted in sections 6 and 7."""
    results, final, sweep = moons()
    m = moons_module()
    correct = {name: row[2] for name, row in results.items()}
    adam = [first_epoch_below('Adam, lr 0.007', x) for x in LEVELS]
    gd = [first_epoch_below('Gradient descent, lr 0.007', x)
          for x in LEVELS]
    first = {method: m.best_of_sweep(sweep, method, m.first_below)
             for method in m.SWEEP}
    stays = {method: m.best_of_sweep(sweep, method, m.stays_below)
             for method in m.SWEEP}
    rows = [name + ', lr 0.007' for name in m.SWEEP]
    return [
        'Adam classifies {} of the 300 training points where mini-batch '
        'gradient descent and momentum stay at {}'.format(
            correct['Adam'], correct['Gradient descent'])
        if correct['Gradient descent'] == correct['Momentum'] else false(),
        'gradient descent and momentum classify {} and {} points by epoch '
        '{}, Adam {}.'.format(*[correct[name] for name in rows[:2]],
                              len(results[rows[0]][1]), correct[rows[2]]),
        'for every level from {:g} to {:g} gradient descent takes {} times '
        'as many epochs as Adam.'.format(
            LEVELS[0], LEVELS[-1],
            span([b / a for a, b in zip(adam, gd)], '{:.0f}')),
        # section 2: batch norm at the notebook's rate, against the other
        # adaptive rows (gradient descent and momentum never get there)
        'Adam with batch normalization is first below a cost of {:g} after '
        '{} epochs, Adam without it after {} (one run each).'
        .format(m.LEVEL, *[first_epoch_below(name, m.LEVEL) for name in (
            'Adam + batch norm', 'Adam')])
        if first_epoch_below('Adam + batch norm', m.LEVEL) < min(
            first_epoch_below(name, m.LEVEL) or np.inf for name in (
                'Adam', 'RMSProp', 'Gradient descent', 'Momentum'))
        else false(),
        # the moons caption's bottom panel
        'Bottom, from the sweep, {} epochs: each method at its rate that '
        'stays below {:g} soonest, and gradient descent at lr {:g}, the rate '
        'at which it is first below {:g} soonest.'.format(
            m.SWEEP_EPOCHS, m.LEVEL, first['Gradient descent'][1], m.LEVEL),
        'the soonest each stays below {:g} is after {} epochs for gradient '
        'descent (lr {:g}), {} for momentum (lr {:g}) and {} for Adam (lr '
        '{:g}), and at those rates they classify {}, {} and {} points.'
        .format(m.LEVEL, *[x for method in m.SWEEP for x in stays[method]]
                + [sweep[method, stays[method][1]][2]
                   for method in m.SWEEP]),
        'Adam + lr decay (the same run as Adam for the first {} epochs)'
        .format(m.RUNS['Adam + lr decay']['decay_step'])
        if results['Adam + lr decay'][1][:1000]
        == results['Adam, lr 0.007'][1][:1000]
        and results['Adam + lr decay'][1][1000]
        != results['Adam, lr 0.007'][1][1000] else false(),
        'Adam from 0.007, decayed every 1000 epochs, ends at a cost of '
        '{:.4f}, without decay at {:.4f}; both classify {} of 300 points.'
        .format(final['Adam + lr decay'], final['Adam, lr 0.007'],
                correct['Adam + lr decay']
                if correct['Adam + lr decay'] == correct['Adam, lr 0.007']
                else '(two differ)'),
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
    # alpha; Adam with the same beta2 bounces at the same multiple of
    # alpha, between the formula's alpha / 38 and RMSProp's alpha / 2
    assert figures.bounce('rmsprop', alpha)[0] == pytest.approx(alpha / 2,
                                                                rel=1e-6)
    peak, rms = figures.bounce('adam', alpha)
    assert peak / alpha == pytest.approx(figures.bounce('adam', 0.1)[0]
                                         / 0.1, rel=1e-3)
    assert 1 / 38 < rms / alpha < peak / alpha < 1 / 2


def test_rmsprop_keeps_one_minus_its_gain():
    # RMSProp's x_t / x_(t-1) per coordinate is 1 - alpha h / (sqrt(s) +
    # epsilon), with s rebuilt here from the path's own gradients
    for lr in fast_rmsprop_rates():
        path = figures.valley_path('rmsprop', lr)
        s = 0
        for t in range(1, 12):
            s = 0.999 * s + 0.001 * (figures.CURVATURE * path[t - 1]) ** 2
            gain = lr * figures.CURVATURE / (np.sqrt(s) + 1e-8)
            np.testing.assert_allclose(path[t] / path[t - 1], 1 - gain,
                                       rtol=1e-9, atol=1e-12)


def test_rmsprop_gain_is_the_leap_over_the_distances():
    # after the first step the gain is the leap / sqrt(x0^2 + x1^2), and
    # 1 to sqrt(2) for every coordinate whose leap is at least |x0| long
    for lr in figures.converging('rmsprop'):
        path = figures.valley_path('rmsprop', lr)
        gains = 1 - path[2:7] / path[1:6]               # steps 2 to 6
        formula = figures.rmsprop_gain(lr)
        np.testing.assert_allclose(gains[0], formula, rtol=2e-3)
        leap = lr / np.sqrt(1 - 0.999)
        for coordinate in (0, 1):
            if leap >= abs(figures.START[coordinate]):
                assert 1 - 1e-3 < gains[:, coordinate].min()
                assert gains[:, coordinate].max() < np.sqrt(2) + 1e-3


def test_decay_leaves_the_constant_rates_trade_off():
    # seed 0, every run of the figure: no constant rate is both as fast
    # as a decayed run and as quiet
    for lr in figures.DECAYED_RATES:
        fast, quiet, _ = figures.trade_off(lr, 1.0)
        for rate in figures.CONSTANT_RATES:
            steps, mean, _ = figures.trade_off(rate)
            assert steps > fast or mean > quiet, (lr, rate)


def test_decay_helps_for_every_seed():
    for seed in SEEDS:
        fast, quiet, _ = figures.trade_off(1.0, 1.0, seed)
        small = figures.trade_off(0.1, 0.0, seed)
        assert fast * 5 < small[0] and quiet < small[1]
        assert figures.trade_off(2.0, 1.0, seed)[1] * 30 < \
            figures.trade_off(2.0, 0.0, seed)[1]


def test_the_noise_of_batch_8_is_steady():
    early, late = figures.noise(8, 1, 5), figures.noise(8, 30, 60)
    assert early == pytest.approx(late, rel=0.1)
