#!/usr/bin/env python3
"""Draw the figures of docs/optimization-explained.md and its notes from the
numbered tasks.

Run from anywhere: python3 docs/make_figures.py [--output FOLDER]
It writes the PNG files under docs/figures/, or under FOLDER (the moons
figures of the post come from examples/moons.py).  Every number the
post quotes about these experiments comes from the functions below, which
tests/project/test_post.py calls again.
"""
import argparse
import contextlib
import functools
import hashlib
import importlib.util
import math
import os
import sys

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patheffects  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
normalization_constants = __import__(
    '0-norm_constants').normalization_constants
normalize = __import__('1-normalize').normalize
create_mini_batches = __import__('3-mini_batch').create_mini_batches
moving_average = __import__('4-moving_average').moving_average
update_variables_momentum = __import__('5-momentum').update_variables_momentum
update_variables_RMSProp = __import__('7-RMSProp').update_variables_RMSProp
update_variables_Adam = __import__('9-Adam').update_variables_Adam
learning_rate_decay = __import__('11-learning_rate_decay').learning_rate_decay
batch_norm = __import__('13-batch_norm').batch_norm

FIGURES = os.path.join(ROOT, 'docs', 'figures')
# Text sizes for a figure about 10 inches wide shown at 700 px: 12.5 pt
# is then 12 px tall, 14 pt 13.6 px (px at 700 = pt * 700 / (72 * width))
STYLE = {'font.size': 14, 'axes.titlesize': 14, 'axes.labelsize': 14,
         'legend.fontsize': 12.5, 'xtick.labelsize': 12.5,
         'ytick.labelsize': 12.5, 'figure.titlesize': 15,
         'lines.linewidth': 2, 'savefig.dpi': 100}

# ---------------------------------------------------------------------
# The valley: f(x, y) = (x^2 + 50 y^2) / 2, curving 50 times more sharply
# across the valley (y) than along it (x): condition number 50, the shape
# that makes gradient descent zigzag across and crawl along
CURVATURE = np.array([1.0, 50.0])
START = np.array([-9.0, 1.5])
# one grid of learning rates for every valley run, 24 per decade from
# 1e-05 to 100 (each 10 % above the last): the Adam figure, whose scaled
# valleys need rates far from 1, uses all of it, the runs of the valley
# itself (c = 1) the part from 0.001 to 3.  Each method gets the rate of
# the grid that brings it within RADIUS of the minimum, for good, in the
# fewest steps of HORIZON, so that a method's steps are the same number
# in every figure
GRID = 10.0 ** (np.arange(-120, 49) / 24)
RATES = GRID[(GRID > 0.00099) & (GRID < 3)]
RADIUS = 1e-2
HORIZON = 300
# the epsilon of every valley run of RMSProp and Adam
EPSILON = 1e-8
# name: (label, update rule, beta1, beta2), the same beta1 for momentum
# and Adam, the same beta2 for RMSProp and Adam
METHODS = {
    'gd': ('gradient descent', 'momentum', 0.0, None),
    'momentum': (r'momentum ($\beta_1 = 0.9$)', 'momentum', 0.9, None),
    'rmsprop': (r'RMSProp ($\beta_2 = 0.999$)', 'rmsprop', None, 0.999),
    'adam': (r'Adam ($\beta_1 = 0.9$, $\beta_2 = 0.999$)', 'adam', 0.9,
             0.999),
}
COLORS = {'gd': 'C3', 'momentum': 'C0', 'rmsprop': 'C2', 'adam': 'C1'}
# the figures that are not about those methods use browns, teals, greys
# and black instead, so that red, blue, green and orange always mean a
# method (matplotlib's BrBG colours, from dark brown to dark teal)
BROWN, TAN, TEAL, DARK_TEAL = '#8c510a', '#d8b365', '#35978f', '#01665e'
# the top figure's frame, axes to scale
FRAME = ((-10, 2.5), (-2.1, 2.1))
# the methods of the top figure: gradient descent and momentum, the
# zigzag and the swing.  Adam's best rate on the valley is far above its
# usual one, which its own figure explains; RMSProp (task 7) has a figure
# of its own, since along the axes its too-long first steps carry it to
# the minimum (from every rate of the grid from 0.16 up) and turned it is
# the slowest: the valley's two orientations tell different stories
TOP_METHODS = ('gd', 'momentum')
# the length of the runs that look for the adaptive methods leaving the
# minimum after they came within RADIUS
LONG_STEPS = 8000
# the alphas at which figure_momentum measures the factors
MEASURED = np.geomspace(2e-3, 1.2, 17)


def rotation(degrees):
    """The matrix that turns a point into the valley's own axes when the
    valley is rotated by `degrees` (the identity for 0).  Its entries
    come from Python's math module, not numpy's SIMD sine and cosine,
    whose last bits may depend on the processor."""
    a = math.radians(degrees)
    return np.array([[math.cos(a), math.sin(a)],
                     [-math.sin(a), math.cos(a)]])


def turn(R, p):
    """R @ p for a 2 x 2 matrix R and a point p, written out: a product
    with a matrix goes through BLAS, whose kernel (and so its rounding)
    depends on the processor, and the runs on the turned valley are
    sensitive to the last bit (their bursts)."""
    return R[:, 0] * p[0] + R[:, 1] * p[1]


def valley_path(method, lr, steps=HORIZON, beta1=None, beta2=None,
                angle=0.0, scale=1.0, start=None):
    """The points visited on the valley, rotated by `angle` degrees and
    its height f multiplied by `scale` (so is every gradient), by
    `method` (a key of METHODS) with learning rate lr, from START (turned
    with the valley), epsilon 1e-8; stops early if it diverges.

    beta1 and beta2 default to the method's own.  Returns an (n, 2)
    array, in the valley's own axes (x along it, y across it), so that
    paths on the rotated valley can be drawn and measured the same way.
    `start`, an (x, y) pair in the valley's own axes, replaces START.
    """
    _, rule, b1, b2 = METHODS[method]
    return rule_path(rule, float(lr), steps, b1 if beta1 is None else beta1,
                     b2 if beta2 is None else beta2, float(angle),
                     float(scale), None if start is None else tuple(
                         float(x) for x in start))


@functools.lru_cache(maxsize=None)
def rule_path(rule, lr, steps, beta1, beta2, angle, scale=1.0, start=None):
    """valley_path's run for an update rule of METHODS and its betas
    (cached, whatever names the betas came with)."""
    R = rotation(angle)
    p, v, s = turn(R.T, START if start is None else np.array(start)), 0, 0
    path = [turn(R, p)]
    # along the axes R is the identity: the same numbers without it
    turned = angle != 0
    for t in range(1, steps + 1):
        grad = turn(R.T, CURVATURE * turn(R, p)) if turned else CURVATURE * p
        if scale != 1:
            grad = scale * grad
        if rule == 'momentum':
            p, v = update_variables_momentum(lr, beta1, p, grad, v)
        elif rule == 'rmsprop':
            p, s = update_variables_RMSProp(lr, beta2, EPSILON, p, grad, s)
        else:
            p, v, s = update_variables_Adam(lr, beta1, beta2, EPSILON,
                                            p.copy(), grad, v, s, t)
        path.append(turn(R, p) if turned else p)
        if not np.dot(p, p) < 1e12:               # |p| < 1e6
            break
    path = np.array(path)
    path.flags.writeable = False
    return path


def distance(path):
    """Distance to the minimum (0, 0) at each step."""
    return np.linalg.norm(path, axis=1)


def steps_within(path, radius=RADIUS, horizon=HORIZON):
    """The step from which the path stays within `radius` of the minimum
    up to step `horizon`; inf if it diverged or is outside at the end."""
    d = distance(path)
    if len(d) < horizon + 1:
        return np.inf
    outside = np.nonzero(d[:horizon + 1] > radius)[0]
    if len(outside) and outside[-1] == horizon:
        return np.inf
    return int(outside[-1] + 1) if len(outside) else 0


def later_exit(method, lr, angle=0.0, start=None, **betas):
    """The first step after HORIZON at which a run of LONG_STEPS of
    `method` at rate lr (and `betas`, if given) on the valley turned by
    `angle` is outside RADIUS, or None if it stays within."""
    d = distance(valley_path(method, lr, LONG_STEPS, angle=angle,
                             start=start, **betas))
    out = np.nonzero(d[HORIZON + 1:] > RADIUS)[0]
    return int(out[0]) + HORIZON + 1 if len(out) else None


def best_rate(method, radius=RADIUS, angle=0.0, horizon=HORIZON, **betas):
    """(learning rate of RATES, steps) with the fewest steps_within."""
    steps, lr = min((steps_within(valley_path(method, float(lr), horizon,
                                              angle=angle, **betas),
                                  radius, horizon), float(lr))
                    for lr in RATES)
    return lr, steps


def best_rates(radius=RADIUS, angle=0.0):
    """{method: (learning rate, steps)} for the four methods."""
    return {method: best_rate(method, radius, angle) for method in METHODS}


def momentum_matrix(alpha, h, beta1):
    """One step of task 5's momentum on a direction of curvature h, as
    the matrix of (v, e) -> (beta1 v + (1 - beta1) h e,
    e - alpha (beta1 v + (1 - beta1) h e)), e the error (the post's
    section 4)."""
    return np.array([[beta1, (1 - beta1) * h],
                     [-alpha * beta1, 1 - alpha * (1 - beta1) * h]])


def momentum_factor(alpha, h, beta1):
    """How much of its error one direction of curvature h keeps per step
    under task 5's momentum: the largest |eigenvalue| of
    momentum_matrix.  beta1 = 0 is gradient descent, |1 - alpha h|."""
    return float(max(abs(np.linalg.eigvals(
        momentum_matrix(alpha, h, beta1)))))


def momentum_limit(h, beta1):
    """The largest stable alpha for curvature h: 2 (1 + beta1) /
    ((1 - beta1) h), which is 2 / h for gradient descent."""
    return 2 * (1 + beta1) / ((1 - beta1) * h)


def momentum_speedup(kappa, beta1=0.9, points=2000):
    """How many times fewer steps momentum needs than gradient descent on
    a quadratic whose curvatures run from 1 to kappa, each method at its
    best rate: the log of the smallest, over alpha, of the larger of the
    two extreme directions' momentum_factor (the middle ones keep less)
    over the log of gradient descent's (kappa - 1) / (kappa + 1).  The
    smallest is searched on a grid of alphas, with the start of the
    plateau of rates where every direction keeps sqrt(beta1) (when there
    is one, which a grid can step over), then on grids 200 times finer
    around the best."""
    def kept(alpha):
        return max(momentum_factor(alpha, 1.0, beta1),
                   momentum_factor(alpha, kappa, beta1))

    alphas = list(np.geomspace(1e-4, 1, points)
                  * momentum_limit(kappa, beta1))
    low, high = plateau(beta1, 1.0, kappa)
    if low <= high:
        alphas.append(low)
    best = min(alphas, key=kept)
    step = (1e4) ** (1 / (points - 1))
    for _ in range(2):
        best = min(np.geomspace(best / step, best * step, 401), key=kept)
        step = step ** (1 / 200)
    return float(np.log(kept(best)) / np.log((kappa - 1) / (kappa + 1)))


def tuned_speedup(kappa):
    """How many times fewer steps Goh's tuned momentum needs than gradient
    descent at its best rate on a quadratic whose curvatures run from 1
    to kappa: every direction keeps (sqrt(kappa) - 1) / (sqrt(kappa) + 1)
    of its error per step (the root of Goh's beta1), against gradient
    descent's (kappa - 1) / (kappa + 1)."""
    kept = np.sqrt(tuned_momentum(1.0, kappa)[1])
    return float(np.log(kept) / np.log((kappa - 1) / (kappa + 1)))


def plateau(beta1, h_min=CURVATURE.min(), h_max=CURVATURE.max()):
    """The alphas for which every direction keeps exactly sqrt(beta1) of
    its error per step (complex eigenvalues): (1 - sqrt(beta1))^2 /
    ((1 - beta1) h_min) < alpha < (1 + sqrt(beta1))^2 / ((1 - beta1)
    h_max)."""
    return ((1 - np.sqrt(beta1)) ** 2 / ((1 - beta1) * h_min),
            (1 + np.sqrt(beta1)) ** 2 / ((1 - beta1) * h_max))


def tuned_momentum(h_min=CURVATURE.min(), h_max=CURVATURE.max()):
    """Goh's optimal (alpha, beta1) for the valley, written for task 5's
    form (Goh's step size is alpha * (1 - beta1) here)."""
    beta1 = ((np.sqrt(h_max) - np.sqrt(h_min))
             / (np.sqrt(h_max) + np.sqrt(h_min))) ** 2
    return (2 / (np.sqrt(h_min) + np.sqrt(h_max))) ** 2 / (1 - beta1), beta1


@functools.lru_cache(maxsize=None)
def direction_run(alpha, coordinate, beta1, steps=1200):
    """Task 5 on one direction of the valley alone (the valley is
    separable, so this is that coordinate of a valley run that nothing
    stops when the other direction diverges): |error| at each step,
    until it passes 1e6."""
    h, x, v = CURVATURE[coordinate], np.array([START[coordinate]]), 0
    errors = [abs(x[0])]
    for _ in range(steps):
        x, v = update_variables_momentum(alpha, beta1, x, h * x, v)
        errors.append(abs(x[0]))
        if not errors[-1] < 1e6:
            break
    return np.array(errors)


def measured_factor(alpha, coordinate, beta1):
    """The error kept per step, measured on task 5's run of one direction
    of the valley: the growth of its largest |error| over a 200-step
    window from steps 200-400 to 1000-1200 (longer than an oscillation),
    or over the last steps of a run that diverges."""
    a = direction_run(float(alpha), coordinate, float(beta1))
    if len(a) < 1201:                         # diverged: its growth
        n = min(20, len(a) - 1)
        return float((a[-1] / a[-1 - n]) ** (1 / n))
    if a[1000:].max() < 1e-250:               # so fast it underflows
        a = np.maximum(a, 1e-300)
        return float((a[100:140].max() / a[20:60].max()) ** (1 / 80))
    return float((a[1000:1200].max() / a[200:400].max()) ** (1 / 800))


def converging(method, radius=RADIUS, angle=0.0, horizon=HORIZON,
               **betas):
    """{learning rate: steps_within} for the rates of RATES that bring
    the method within `radius` for good by step `horizon`."""
    out = {}
    for lr in RATES:
        steps = steps_within(valley_path(method, float(lr), horizon,
                                         angle=angle, **betas), radius,
                             horizon)
        if steps < np.inf:
            out[float(lr)] = steps
    return out


def rmsprop_gain(lr, beta2=0.999):
    """RMSProp's factor alpha h / sqrt(s) per coordinate after its first
    step, from the formula: the leap alpha / sqrt(1 - beta2) divided by
    sqrt(x0^2 + x1^2), the distances before and after it."""
    path = valley_path('rmsprop', lr, beta2=beta2)
    return lr / np.sqrt(1 - beta2) / np.sqrt(path[0] ** 2 + path[1] ** 2)


# The Adam figure: the valley's f (and so every gradient) multiplied by
# each of SCALES, and the rates of SCALE_RATES, 8 per decade, at which
# gradient descent, momentum and Adam come within RADIUS for good by step
# HORIZON
SCALES = (0.01, 0.1, 1.0, 10.0, 100.0)
SCALE_RATES = GRID
SCALE_METHODS = ('gd', 'momentum', 'adam')
# a run that strays more than STRAY times as far from the minimum as it
# started does not count as working, even if it arrives by HORIZON (Adam
# at a huge rate flies far out, then s, which remembers the huge
# gradients, brings it back)
STRAY = 2.0


@functools.lru_cache(maxsize=None)
def scaled_steps(method, lr):
    """steps_within for `method` at rate lr on the valley with f
    multiplied by each of SCALES, one number per scale.  The numbered
    rules are elementwise, so the runs of every scale are one array of
    shape (len(SCALES), 2), one call per step: the same numbers as
    valley_path(method, lr, scale=scale) for each scale."""
    _, rule, beta1, beta2 = METHODS[method]
    scale = np.array(SCALES)[:, None]
    p, v, s = np.tile(START, (len(SCALES), 1)), 0, 0
    d = [distance(p)]
    with np.errstate(over='ignore', invalid='ignore'):
        for t in range(1, HORIZON + 1):
            grad = scale * (CURVATURE * p)
            if rule == 'momentum':
                p, v = update_variables_momentum(lr, beta1, p, grad, v)
            else:
                p, v, s = update_variables_Adam(lr, beta1, beta2, EPSILON,
                                                p.copy(), grad, v, s, t)
            d.append(distance(p))
    d = np.array(d).T
    # a run that passed 1e6 has diverged (as valley_path stops it); nan
    # and inf are not within the radius
    gone = np.maximum.accumulate(~(d < 1e6), axis=1)
    d[gone] = np.inf
    strayed = ~(d.max(axis=1) <= STRAY * d[:, 0])
    return tuple(np.inf if far else steps_within_distances(row)
                 for row, far in zip(d, strayed))


def steps_within_distances(d, radius=RADIUS):
    """steps_within for the distances d at steps 0 to HORIZON."""
    outside = np.nonzero(~(d <= radius))[0]
    if len(outside) and outside[-1] == len(d) - 1:
        return np.inf
    return int(outside[-1] + 1) if len(outside) else 0


def scale_ranges(method):
    """For each of SCALES: (the lowest and the largest rate of
    SCALE_RATES that bring `method` within RADIUS for good by step
    HORIZON without straying more than STRAY times as far as it started,
    the rate that does so soonest, its steps)."""
    steps = np.array([scaled_steps(method, float(lr))
                      for lr in SCALE_RATES]).T
    out = []
    for row in steps:
        works = SCALE_RATES[row < np.inf]
        best = int(np.argmin(row))
        out.append((float(works.min()), float(works.max()),
                    float(SCALE_RATES[best]), int(row[best])))
    return out


@contextlib.contextmanager
def style():
    """matplotlib's defaults (whatever the caller or a matplotlibrc set)
    with the shared text sizes, for the figures drawn inside it."""
    with plt.rc_context():
        matplotlib.rcdefaults()
        plt.rcParams.update(STYLE)
        yield


# the figures whose runs depend on the last bits of numpy's exp, log and
# tanh and of BLAS, which differ between processors: of the twenty moons
# networks per rate, one can end on the other side of the cost 0.2 line
# (measured: one run at the largest rate, between two processors).  Each
# records the arithmetic it was drawn with; test_figures compares such a
# figure only where that arithmetic is the same.
ARITHMETIC_SENSITIVE = ('batch_norm_moons.png',)


def arithmetic():
    """A fingerprint of this machine's floating-point results for what
    the moons networks compute (exp, log, tanh, a matrix product): the
    first 16 hex digits of their SHA-256."""
    x = np.linspace(-30.0, 30.0, 4099)
    a = np.sin(np.arange(64 * 48.0)).reshape(64, 48)
    results = (np.exp(x), np.log1p(np.exp(x)), np.log(x * x + 1e-3),
               np.tanh(x), a @ a.T)
    return hashlib.sha256(b''.join(r.tobytes() for r in results)
                          ).hexdigest()[:16]


def save(fig, name, folder):
    """Write a figure to `folder` and close it (a figure of
    ARITHMETIC_SENSITIVE with its arithmetic() as a PNG text entry)."""
    os.makedirs(folder, exist_ok=True)
    metadata = ({'Arithmetic': arithmetic()}
                if name in ARITHMETIC_SENSITIVE else None)
    fig.savefig(os.path.join(folder, name), bbox_inches='tight',
                metadata=metadata)
    plt.close(fig)


def distance_panel(ax, title):
    """Label ax as a panel of the distance to the minimum (log scale)
    over the first HORIZON steps, with a dotted line at RADIUS."""
    ax.axhline(RADIUS, color='k', linestyle=':', linewidth=1.2)
    ax.set_xlim(0, HORIZON)
    ax.set_ylim(1e-3, 30)
    ax.set_xlabel('step')
    ax.set_ylabel('distance to the minimum')
    ax.set_title(title)
    ax.grid(True, alpha=0.3)


def valley_panel(ax, paths):
    """Draw the valley's contours (axes to scale), the (path, colour,
    label) of `paths`, START and the minimum on ax, and label it."""
    (x0, x1), (y0, y1) = FRAME
    x, y = np.meshgrid(np.linspace(x0, x1, 400), np.linspace(y0, y1, 300))
    ax.contour(x, y, (CURVATURE[0] * x ** 2 + CURVATURE[1] * y ** 2) / 2,
               levels=np.geomspace(0.05, 1200, 16), colors='0.8',
               linewidths=0.8)
    for path, color, label in paths:
        ax.plot(path[:, 0], path[:, 1], '.-', color=color, markersize=4,
                linewidth=1.4, label=label)
    ax.plot(*START, 'ko', markersize=7)
    ax.plot(0, 0, 'k*', markersize=14, zorder=5)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect('equal')
    ax.set_xlabel('x (along the valley, curvature 1)')
    ax.set_ylabel('y (across,\ncurvature 50)')


def figure_valley(folder):
    """The picture at the top: gradient descent and momentum, each at its
    best rate, on the narrow valley along the axes: their paths (axes to
    scale) and their distance to the minimum."""
    rates = best_rates()
    with style():
        fig, (ax, ax2) = plt.subplots(2, 1, figsize=(10, 8.8),
                                      height_ratios=(1, 1))
        paths = []
        for method in TOP_METHODS:
            lr, steps = rates[method]
            label = METHODS[method][0].split(' (')[0]
            path = valley_path(method, lr)
            paths.append((path, COLORS[method], label))
            ax2.semilogy(distance(path), color=COLORS[method],
                         label='{}: {} steps'.format(label, steps))
        valley_panel(ax, paths)
        ax.text(START[0], START[1] + 0.18, 'start', ha='center',
                va='bottom', fontsize=12.5)
        ax.set_title('their paths on f = (x² + 50 y²) / 2 (axes to scale; '
                     'the star is the minimum)')
        ax.legend(loc='upper right', fontsize=12.5, framealpha=0.95)
        distance_panel(ax2, 'their distance to the minimum (log scale), and '
                       'the steps until they arrive\n(within {:g}, and '
                       'staying there through step {})'.format(RADIUS,
                                                               HORIZON))
        ax2.text(HORIZON - 4, RADIUS * 1.25, '"arrived": within {:g} of '
                 'the minimum'.format(RADIUS), ha='right', va='bottom',
                 fontsize=12.5)
        ax2.legend(loc='upper right', fontsize=12.5)
        fig.suptitle('A valley curving 50 times more sharply across than '
                     'along: gradient descent\nzigzags across it and crawls '
                     'along it; momentum swings and arrives sooner')
        fig.tight_layout()
        save(fig, 'valley.png', folder)
    return rates


# the four side by side: (method, its betas, its name, its colour);
# RMSProp as in its own figure, bias-corrected (Adam with beta1 = 0)
FOUR = (('gd', {}, 'gradient descent', COLORS['gd']),
        ('momentum', {}, 'momentum', COLORS['momentum']),
        ('adam', {'beta1': 0.0}, 'RMSProp (bias-corrected)',
         COLORS['rmsprop']),
        ('adam', {}, 'Adam', COLORS['adam']))


def four_paths():
    """[(name, colour, best rate, steps, path)] of FOUR on the valley along
    the axes, each at its best rate."""
    runs = []
    for method, betas, name, color in FOUR:
        lr, steps = best_rate(method, **betas)
        runs.append((name, color, lr, steps, valley_path(method, lr,
                                                         **betas)))
    return runs


def figure_four(folder):
    """Gradient descent, momentum, RMSProp and Adam on the valley along
    the axes, each at its best rate: one panel each, to compare their
    paths."""
    with style():
        fig, axes = plt.subplots(2, 2, figsize=(10, 5.5), sharex=True,
                                 sharey=True)
        axes = axes.ravel()
        for ax, (method, betas, *_), (name, color, lr, steps, path) in zip(
                axes, FOUR, four_paths()):
            valley_panel(ax, [(path, color, name)])
            # at a constant rate RMSProp and Adam leave the minimum again
            # after HORIZON steps (test_post: test_the_four_figure_...);
            # RMSProp soon after, at a step its growing steps set, Adam
            # thousands of steps on, where the last bits of rounding may
            # move the step: only RMSProp's is given
            leaves, note = later_exit(method, lr, **betas), ''
            if leaves:
                note = ',\nbut at this constant rate {}'.format(
                    'leaves at step {}'.format(leaves)
                    if leaves < 2 * HORIZON else 'it later leaves')
            ax.set_title('{}: arrives in {} steps{}'.format(name, steps, note))
            if ax in axes[:2]:
                ax.set_xlabel('')
            if ax in axes[1::2]:
                ax.set_ylabel('')
        fig.suptitle('The four on the valley, each at its best rate: a '
                     'zigzag, a swing, even steps along the floor,\nand '
                     'Adam: a swing with even steps')
        fig.tight_layout()
        save(fig, 'four.png', folder)


def method_speed(alpha, beta1):
    """The speed of task 5 with beta1 on the valley at rate alpha: the
    share of its error the slower of the valley's two directions loses
    per step, 1 - the larger momentum_factor (0 or less where a direction
    diverges)."""
    return 1 - max(momentum_factor(alpha, h, beta1) for h in CURVATURE)


def measured_speed(alpha, beta1):
    """method_speed measured on task 5's runs of the two directions: 1 -
    the larger measured_factor."""
    return 1 - max(measured_factor(alpha, coordinate, beta1)
                   for coordinate in range(len(CURVATURE)))


def momentum_numbers(beta1=0.9):
    """The numbers the momentum figure quotes, for gradient descent and
    task 5's momentum with beta1 on the valley: {'gd': (best rate 2 /
    (h_min + h_max), its speed, the divergence limit), 'momentum':
    ((first, last) rate of the plateau where every direction keeps
    sqrt(beta1), the speed there, the divergence limit)}."""
    h_min, h_max = CURVATURE.min(), CURVATURE.max()
    best = 2 / (h_min + h_max)
    low, high = plateau(beta1, h_min, h_max)
    return {'gd': (best, method_speed(best, 0.0), momentum_limit(h_max, 0.0)),
            'momentum': ((low, high), method_speed(np.sqrt(low * high),
                                                   beta1),
                         momentum_limit(h_max, beta1))}


def figure_momentum(folder):
    """Each method's speed against the rate: the share of its error the
    valley's slower direction loses per step (log scale), formula and
    measured on runs, for gradient descent and momentum (beta1 = 0.9);
    rates at which a direction diverges are left out.  Gradient descent
    is fastest at the one rate 2 / 51; momentum, a little faster, at
    every rate of its plateau, from where the flat direction starts
    swinging to where the steep one stops (just under its divergence
    limit).  The per-direction picture is
    figure_momentum_directions's."""
    numbers = momentum_numbers()
    best, best_speed, limit0 = numbers['gd']
    (low, high), ceiling, limit9 = numbers['momentum']
    # the grid, and every rate where a curve bends or drops to 0
    base = np.geomspace(1e-3, 1.5, 400)
    with style():
        fig, ax = plt.subplots(figsize=(10, 6))
        # gradient descent wide, below: the two nearly coincide at
        # small rates
        for method, beta1, limit, width, size in (
                ('gd', 0.0, limit0, 4, 11),
                ('momentum', 0.9, limit9, 2, 6)):
            color = COLORS[method]
            name = METHODS[method][0].split(' (')[0]
            alphas = np.unique(np.r_[base, best, low, high,
                                     np.linspace(limit * 0.97, limit, 300)])
            speed = np.array([method_speed(a, beta1) for a in alphas])
            works = speed > 0
            # the drop to 0 at the limit runs off the bottom of the axes
            ax.plot(alphas[works], speed[works], color=color,
                    linewidth=width, zorder=2 if method == 'gd' else 3,
                    label='{}: formula'.format(name))
            measured = np.array([measured_speed(a, beta1)
                                 for a in MEASURED])
            shown = measured > 0
            ax.plot(MEASURED[shown], measured[shown], 'o', color=color,
                    markersize=size, markerfacecolor='none',
                    markeredgewidth=1.8, zorder=4,
                    label='{}: measured on a run'.format(name))
        # gradient descent's best rate
        ax.plot(best, best_speed, 'o', color=COLORS['gd'], markersize=9,
                zorder=5)
        ax.annotate('gradient descent\'s long-run best:\n'
                    '$\\alpha = 2 / {:g}$, it '
                    'loses\n{:.3f} per step'.format(
                        CURVATURE.min() + CURVATURE.max(), best_speed),
                    (best, best_speed), xytext=(0.06, 6e-3), ha='left',
                    va='center', fontsize=12.5, color=COLORS['gd'],
                    arrowprops=dict(arrowstyle='->', color=COLORS['gd']))
        # momentum's plateau, from its first to its last rate
        ax.plot([low, high], [ceiling, ceiling], 'o',
                color=COLORS['momentum'], markersize=9, zorder=5)
        ax.text(0.7, ceiling / 1.15, 'momentum\'s long-run best: loses\n'
                '$1 - \\sqrt{{0.9}}$ = {:.3f} per step\nat every $\\alpha$ '
                'from {:.2g} to '
                '{:.2g}'.format(ceiling, low, high), ha='right', va='top',
                fontsize=12.5, color=COLORS['momentum'])
        # where each diverges
        for method, limit in (('gd', limit0), ('momentum', limit9)):
            ax.plot([limit, limit], [1e-3, 1.6e-3], color=COLORS[method],
                    linewidth=2.5)
            ax.text(limit * 0.93, 1.2e-3, 'diverges\nabove {:.2g}'.format(
                limit), ha='right', va='bottom', fontsize=12.5,
                color=COLORS[method])
        ax.set_xscale('log')
        ax.set_yscale('log')
        ax.set_xlim(1e-3, 1.5)
        ax.set_ylim(1e-3, 0.3)
        ax.set_xlabel(r'learning rate $\alpha$ (log scale)')
        ax.set_ylabel('speed: share of the error the slower\ndirection '
                      'loses per step (log scale)')
        ax.grid(True, alpha=0.3)
        ax.legend(loc='upper left', fontsize=12.5)
        ax.set_title('Momentum is a little faster at its best ({:.1f} % of '
                     'the error per step, against {:.1f} %)\nand stays that '
                     'fast over a {:.0f}× range of rates; gradient descent '
                     'peaks at one rate'.format(100 * ceiling,
                                                100 * best_speed,
                                                high / low))
        fig.tight_layout()
        save(fig, 'momentum.png', folder)


# the momentum-swing figure: the steps of its across panel (the swings
# have died down by then) and of its along panel
SWING_STEPS = (60, 200)


def sign_changes(values):
    """The steps at which `values` (one per step) has the other sign
    than at the step before."""
    s = np.sign(values)
    return np.nonzero(s[1:] != s[:-1])[0] + 1


def swing_numbers(steps=SWING_STEPS[-1]):
    """The numbers the momentum-swing figure checks, for gradient
    descent and momentum at their best rates (best_rates) over `steps`
    steps from START: {'gd' / 'momentum': (rate, the steps at which y
    changes sign, the steps at which x does, the step from which |x|
    stays within RADIUS)}, and 'ahead': the step from which momentum's
    |x| stays below gradient descent's through `steps`."""
    rates = best_rates()
    out, along = {}, {}
    for method in ('gd', 'momentum'):
        lr = rates[method][0]
        path = valley_path(method, lr, steps)
        along[method] = np.abs(path[:, 0])
        outside = np.nonzero(along[method] > RADIUS)[0]
        out[method] = (lr, sign_changes(path[:, 1]),
                       sign_changes(path[:, 0]), int(outside[-1] + 1))
    behind = np.nonzero(along['momentum'] >= along['gd'])[0]
    out['ahead'] = int(behind[-1] + 1)
    return out


def figure_momentum_swing(folder):
    """The lead figure's gradient descent and momentum (beta1 = 0.9),
    each at its best rate, one coordinate at a time: across the valley
    (y, top, the first SWING_STEPS[0] steps) gradient descent's y
    changes sign every step, momentum's swings, every 7 or 8 steps;
    along it (|x|, log scale, bottom) gradient descent creeps, momentum
    starts slower (its velocity starts at 0), is ahead from step
    swing_numbers()['ahead'] on and arrives sooner, crossing 0 once."""
    numbers = swing_numbers()
    first, last = SWING_STEPS
    with style():
        fig, (ax, ax2) = plt.subplots(2, 1, figsize=(10, 9.4))
        for method in ('gd', 'momentum'):
            lr, flips, _, _ = numbers[method]
            path = valley_path(method, lr, last)
            name = METHODS[method][0]
            color = COLORS[method]
            gaps = np.diff(np.r_[0, flips])
            if gaps.max() == 1:
                flip = 'y changes sign every step'
            else:
                # the first swing is shorter: it starts at rest
                low, high = gaps[1:].min(), gaps[1:].max()
                flip = 'y changes sign every {} {} {} steps'.format(
                    low, 'or' if high == low + 1 else 'to', high)
            ax.plot(np.arange(first + 1), path[:first + 1, 1], '.-',
                    color=color, markersize=5, linewidth=1.3,
                    label='{}, $\\alpha = {:.3g}$: {}'.format(name, lr, flip))
            # no step count here: the top figure's counts the distance
            ax2.semilogy(np.abs(path[:, 0]), color=color,
                         label='{}, $\\alpha = {:.3g}$'.format(name, lr))
        ax.axhline(0, color='k', linewidth=0.8)
        ax.set_xlim(0, first)
        ax.set_ylim(-1.6, 2.3)
        ax.set_xlabel('step')
        ax.set_ylabel('y, distance across\nfrom the minimum')
        ax.set_title('across the valley (steep, y, curvature {:g}): the '
                     'first {} steps'.format(CURVATURE[1], first))
        ax.grid(True, alpha=0.3)
        ax.legend(loc='upper right', fontsize=12.5, framealpha=0.95)
        # along: where momentum gets ahead, and where it crosses 0
        ahead = numbers['ahead']
        ax2.axhline(RADIUS, color='k', linestyle=':', linewidth=1.2)
        ax2.text(4, RADIUS * 1.25, '{:g}'.format(RADIUS), ha='left',
                 va='bottom', fontsize=12.5)
        ax2.axvline(ahead, color='0.4', linestyle='--', linewidth=1.2)
        ax2.text(ahead + 2, 2e-4, 'momentum ahead\nfrom step {}'.format(
            ahead), ha='left', va='bottom', fontsize=12.5)
        lr, _, crossings, _ = numbers['momentum']
        x = valley_path('momentum', lr, last)[:, 0]
        over = crossings[0] + int(np.argmax(np.abs(x[crossings[0]:])))
        ax2.annotate('momentum crosses x = 0 at step {}\n(overshoots to x = '
                     '{:+.3f} at step {})'.format(crossings[0], x[over],
                                                  over),
                     (crossings[0], 3e-4), xytext=(last - 2, 1), ha='right',
                     va='center', fontsize=12.5, color=COLORS['momentum'],
                     arrowprops=dict(arrowstyle='->',
                                     color=COLORS['momentum']))
        ax2.set_xlim(0, last)
        ax2.set_ylim(1e-4, 60)
        ax2.set_xlabel('step')
        ax2.set_ylabel('|x|, distance along from\nthe minimum (log scale)')
        ax2.set_title('along the valley (flat, x, curvature {:g}): all {} '
                      'steps'.format(CURVATURE[0], last))
        ax2.grid(True, alpha=0.3)
        ax2.legend(loc='upper right', fontsize=12.5, framealpha=0.95)
        fig.suptitle('Gradient descent zigzags and creeps; momentum swings '
                     'and gets there sooner')
        fig.tight_layout()
        save(fig, 'momentum_swing.png', folder)
    return numbers


def figure_momentum_directions(folder):
    """Goh's per-direction picture: the share of its error each direction
    of the valley loses per step (1 - momentum_factor, log scale)
    against alpha, formula and measured, for gradient descent (left) and
    momentum, beta1 = 0.9 (right); a direction that diverges (keeps more
    than all of it) is left out, the dashed line is where the steep one
    starts to.  Momentum moves the divergence limit far to the right,
    but puts a speed limit on every direction: it loses at most 1 -
    sqrt(beta1) = 0.051 per step (the dotted horizontal line, in both
    panels), while gradient descent, at its best rate 2 / 51 (dotted
    vertical, left), loses 1 - (1 - 2 / 51) = 0.039 in both
    directions.  (The two methods' paths on the valley are the lead
    figure's, valley.png.)"""
    alphas = np.geomspace(1e-3, 1.5, 400)
    measured = MEASURED

    def lost(kept):
        """1 - kept, nan where a direction diverges (kept >= 1)."""
        kept = np.asarray(kept)
        return np.where(kept < 1, 1 - kept, np.nan)

    ceiling = 1 - np.sqrt(0.9)
    best = 2 / (CURVATURE.min() + CURVATURE.max())
    best_lost = 1 - momentum_factor(best, CURVATURE.min(), 0.0)
    with style():
        fig, axes = plt.subplots(1, 2, figsize=(10, 6.6), sharey=True)
        for ax, beta1 in zip(axes, (0.0, 0.9)):
            # not the methods' colours: these lines are the directions
            for h, coordinate, color, name in ((1, 0, 'k', 'along, $h = 1$'),
                                               (50, 1, '0.6',
                                                'across, $h = 50$')):
                ax.plot(alphas, lost([momentum_factor(a, h, beta1)
                                      for a in alphas]), color=color,
                        label='{}: formula'.format(name))
                ax.plot(measured, lost([measured_factor(a, coordinate,
                                                        beta1)
                                        for a in measured]), 'o',
                        color=color, markersize=6, markerfacecolor='none',
                        markeredgewidth=1.6,
                        label='{}: measured on a run'.format(name))
            limit = momentum_limit(CURVATURE.max(), beta1)
            ax.axvline(limit, color='k', linestyle='--', linewidth=1.2)
            # momentum's speed limit, in both panels, drawn over the across
            # line that lies on it in the right panel
            ax.axhline(ceiling, color=BROWN, linestyle=':', linewidth=1.8,
                       zorder=5,
                       label=r"momentum's speed limit, $1 - \sqrt{0.9}$")
            ax.set_xscale('log')
            ax.set_yscale('log')
            ax.set_xlim(1e-3, 1.5)
            ax.set_ylim(1e-3, 1)
            ax.set_xlabel(r'learning rate $\alpha$')
            ax.grid(True, alpha=0.3)
        ceiling_text = ("momentum's speed limit:\n$1 - \\sqrt{{0.9}}$ = "
                        '{:.3f}'.format(ceiling))
        limit0 = momentum_limit(CURVATURE.max(), 0.0)
        limit9 = momentum_limit(CURVATURE.max(), 0.9)
        # left: every label in the empty lower right, below the
        # ceiling and the along line, right of the divergence line (the
        # ceiling is named in the legend)
        axes[0].text(limit0 * 1.15, 1.3e-3,
                     'across ($h = {:g}$)\ndiverges above {:.2g}'.format(
                         CURVATURE.max(), limit0),
                     ha='left', va='bottom', fontsize=13.5)
        axes[0].axvline(best, color='0.3', linestyle=':', linewidth=1.5)
        axes[0].plot(best, best_lost, 'o', color=BROWN, markersize=7,
                     zorder=6)
        axes[0].annotate('best rate 2 / 51:\nboth lose {:.3f}'.format(
                             best_lost),
                         (best, best_lost), xytext=(limit0 * 1.15, 6e-3),
                         ha='left', va='center', fontsize=13.5,
                         arrowprops=dict(arrowstyle='->', color='0.3'))
        # right: the ceiling's label above it
        axes[1].text(1.2e-3, ceiling * 1.2, ceiling_text, ha='left',
                     va='bottom', fontsize=13.5, color=BROWN)
        axes[1].text(limit9 * 0.87, 0.5,
                     'across ($h = {:g}$)\ndiverges above {:.2g}'.format(
                         CURVATURE.max(), limit9),
                     ha='right', va='center', fontsize=13.5)
        axes[0].set_title(r'gradient descent (task 5, $\beta_1 = 0$)')
        axes[1].set_title(r'momentum (task 5, $\beta_1 = 0.9$)')
        axes[0].set_ylabel('share of the error lost per step\n(higher is '
                           'faster, log scale)')
        fig.suptitle('With momentum every swinging direction loses the same '
                     '{:.1f} % per step;\ngradient descent, at its best '
                     'rate, loses {:.1f} %'.format(100 * ceiling,
                                                   100 * best_lost))
        fig.tight_layout(rect=(0, 0.14, 1, 1))
        # filled by columns: along and the ceiling left, across right
        handles, labels = axes[0].get_legend_handles_labels()
        order = [0, 1, 4, 2, 3]
        fig.legend([handles[i] for i in order], [labels[i] for i in order],
                   loc='lower center', ncol=2, fontsize=13)
        save(fig, 'momentum_directions.png', folder)


def momentum_roots(alpha, h, beta1=0.9):
    """The two roots of the error's two-step recurrence for task 5's
    momentum on a direction of curvature h, lambda^2 - (1 + beta1 - k)
    lambda + beta1 = 0 with k = alpha (1 - beta1) h: momentum_matrix's
    eigenvalues, the one with the larger imaginary part first."""
    k = alpha * (1 - beta1) * h
    roots = np.roots([1.0, -(1 + beta1 - k), beta1]).astype(complex)
    return roots[np.argsort(-roots.imag)]


# one direction under task 5 at three rates: the small one a third of
# the way to where its roots meet, the swing figure's (momentum's best
# rate on the valley), and just past the cap (2 (1 + beta1) / ((1 -
# beta1) h)); steps drawn for each
REGIME_H = 50.0
REGIME_STEPS = (60, 60, 40)


def regime_rates(beta1=0.9, h=REGIME_H):
    """The three rates of the regimes figure: roots real, complex, and
    one below -1."""
    return (plateau(beta1, h, h)[0] / 3, best_rate('momentum')[0],
            momentum_limit(h, beta1) * 1.005)


def regime_path(alpha, steps, beta1=0.9, h=REGIME_H):
    """Task 5 on one direction of curvature h, from an error of 1 at
    rest: the errors e_0 ... e_steps."""
    e, v, path = np.array([1.0]), 0, [1.0]
    for _ in range(steps):
        e, v = update_variables_momentum(alpha, beta1, e, h * e, v)
        path.append(float(e[0]))
    return np.array(path)


def figure_momentum_regimes(folder):
    """One direction of the valley (across, h = 50) under task 5 from an
    error of 1, at the three regime_rates: it creeps in without changing
    sign, swings inside the envelope sqrt(beta1) ** t, or flips sign
    every step and grows."""
    beta1 = 0.9
    rates = regime_rates(beta1)
    titles = ('rate {:.2g}: small,\nit creeps in',
              'rate {:.2g}: middle, it\nswings, 5 % less each step',
              'rate {:.3g}: past the cap,\nit flips and grows')
    with style():
        fig, axes = plt.subplots(1, 3, figsize=(8.6, 4.4))
        for ax, alpha, title, steps in zip(axes, rates, titles,
                                           REGIME_STEPS):
            e = regime_path(alpha, steps, beta1)
            ax.plot(np.arange(steps + 1), e, '.-', color=COLORS['momentum'],
                    markersize=4, linewidth=1.2)
            ax.axhline(0, color='k', linewidth=0.8)
            ax.set_title(title.format(alpha))
            ax.set_xlabel('step')
            ax.set_xlim(0, steps)
            ax.grid(True, alpha=0.3)
        # the middle panel's envelope: sqrt(beta1) of the error kept per
        # step
        t = np.arange(REGIME_STEPS[1] + 1)
        for sign in (1, -1):
            axes[1].plot(t, sign * np.sqrt(beta1) ** t, ':', color='k',
                         linewidth=1.2)
        axes[0].set_ylim(-0.05, 1.05)
        axes[1].set_ylim(-1.1, 1.1)
        axes[0].set_ylabel('error across the valley')
        fig.suptitle('One direction (across, $h = {:g}$) under task 5, at '
                     'three rates'.format(REGIME_H))
        fig.tight_layout()
        save(fig, 'momentum_regimes.png', folder)


# the roots figure: the rates it sweeps, past the across direction's
# cap (0.76) but not so far that the along arc reaches the dots of the
# swing figure's rate across (at 1.58 its roots turn as those do)
ROOT_RATES = np.geomspace(1e-5, 1.0, 900)


def figure_momentum_roots(folder):
    """Goh's picture of the roots: momentum_roots for the valley's two
    directions (along, h = 1, black, drawn over the circle; across, h =
    50, grey, under it) in the complex plane, as alpha sweeps ROOT_RATES
    (with the rates where the roots meet, so that the paths join), with
    the circle of size sqrt(beta1) (brown, dotted) and the unit circle
    (dashed: outside it the error grows), and the across roots at
    momentum's best rate on the valley, the swing figure's, marked."""
    beta1 = 0.9
    rate = best_rates()['momentum'][0]
    turn = np.linspace(0, 2 * np.pi, 400)
    with style():
        fig, ax = plt.subplots(figsize=(8, 8.4))
        ax.plot(np.cos(turn), np.sin(turn), color='0.3', linestyle='--',
                linewidth=1.2, label='size 1: outside, the error grows')
        # across first, wide, so that along's short path shows on top
        for h, color, width, name in ((50.0, '0.65', 5.0, 'across, $h = 50$'),
                                      (1.0, 'k', 2.6, 'along, $h = 1$')):
            meet = (np.array([1 - np.sqrt(beta1), 1 + np.sqrt(beta1)]) ** 2
                    / ((1 - beta1) * h))
            alphas = np.unique(np.r_[ROOT_RATES, meet[meet < ROOT_RATES[-1]]])
            roots = np.array([momentum_roots(a, h, beta1) for a in alphas])
            for k in range(2):
                # along above the circle, across below it
                ax.plot(roots[:, k].real, roots[:, k].imag, color=color,
                        linewidth=width, label=name if k == 0 else None,
                        zorder=5 if h == 1.0 else 2)
        ax.plot(np.sqrt(beta1) * np.cos(turn), np.sqrt(beta1) * np.sin(turn),
                color=BROWN, linestyle=':', linewidth=2.4, zorder=4,
                label='size $\\sqrt{{\\beta_1}}$ = {:.3f}'.format(
                    np.sqrt(beta1)))
        across = momentum_roots(rate, 50.0, beta1)
        ax.plot(across.real, across.imag, 'o', color='0.6', markersize=10,
                markeredgecolor='k', zorder=6)
        ax.annotate('across, at the swing figure\'s rate:\nturns {:.2f} '
                    'rad a step'.format(np.angle(across[0])),
                    (across[0].real, across[0].imag), xytext=(-0.15, 0.62),
                    ha='center', fontsize=13,
                    arrowprops=dict(arrowstyle='->', color='0.3'))
        ax.annotate('rate near 0:\nroots 1 and $\\beta_1$', (0.97, -0.01),
                    xytext=(0.45, -0.5), ha='center', fontsize=13,
                    arrowprops=dict(arrowstyle='->', color='0.3'))
        # past the limit one real root lies outside the unit circle (the
        # other, inside it, makes the rest of the grey segment)
        ax.annotate('across, above {:.2f}:\none root outside,\nthe run '
                    'diverges'.format(momentum_limit(50.0, beta1)),
                    (-1.35, 0.0), xytext=(-1.57, 0.1), fontsize=12.5,
                    va='bottom', bbox=dict(facecolor='white', alpha=0.85,
                                           edgecolor='none', pad=1),
                    arrowprops=dict(arrowstyle='->', color='0.3'))
        ax.set_xlim(-1.6, 1.25)
        ax.set_ylim(-1.25, 1.25)
        ax.set_aspect('equal')
        ax.axhline(0, color='0.8', linewidth=0.8, zorder=0)
        ax.axvline(0, color='0.8', linewidth=0.8, zorder=0)
        ax.set_xlabel('real part')
        ax.set_ylabel('imaginary part')
        ax.grid(True, alpha=0.3)
        # below the axes, where it hides no part of the circle
        ax.legend(loc='upper center', bbox_to_anchor=(0.5, -0.11), ncol=2,
                  fontsize=12.5)
        ax.set_title('As the rate grows, the roots meet, then ride one '
                     'circle:\nevery swinging direction keeps '
                     '$\\sqrt{\\beta_1}$ '
                     'of its error per step')
        fig.tight_layout()
        save(fig, 'momentum_roots.png', folder)


# the momentum-gain figure: condition numbers from 2 to 100,000
GAIN_KAPPAS = np.geomspace(2, 1e5, 61)


def momentum_crossover(beta1=0.9):
    """The condition number below which momentum with beta1, at its best
    rate, is slower than gradient descent at its best: where gradient
    descent's (kappa - 1) / (kappa + 1) equals momentum's floor
    sqrt(beta1), kappa = (1 + sqrt(beta1)) / (1 - sqrt(beta1))."""
    return float((1 + np.sqrt(beta1)) / (1 - np.sqrt(beta1)))


def figure_momentum_gain(folder):
    """How many times fewer steps momentum needs than gradient descent,
    each at its best rate, on a quadratic whose curvatures run from 1 to
    kappa: task 5 with beta1 = 0.9, and Goh's tuned momentum (beta1 and
    alpha set from the extreme curvatures), against kappa."""
    crossover = momentum_crossover()
    # the fixed curve's kinks: the crossover, and its peak where every
    # direction just swings, ((1 + sqrt(beta1)) / (1 - sqrt(beta1))) ** 2,
    # the crossover squared
    kappas = np.union1d(GAIN_KAPPAS, [crossover, crossover ** 2])
    fixed = [momentum_speedup(k) for k in kappas]
    tuned = [tuned_speedup(k) for k in kappas]
    with style():
        fig, ax = plt.subplots(figsize=(10, 5.6))
        ax.loglog(kappas, tuned, color='0.45', linewidth=2.2,
                  label='momentum tuned to the curvatures (Goh): '
                  r'about $\sqrt{\kappa}$')
        ax.loglog(kappas, fixed, color=COLORS['momentum'], linewidth=2.4,
                  label=r'momentum, $\beta_1 = 0.9$ (task 5)')
        ax.axhline(1, color=COLORS['gd'], linewidth=2,
                   label='gradient descent')
        ax.axvspan(GAIN_KAPPAS[0], crossover, color=COLORS['gd'], alpha=0.08)
        ax.text(2.3, 0.6,
                'slower below\n$\\kappa \\approx {:.0f}$'.format(crossover),
                fontsize=12, color=COLORS['gd'], va='center')
        kappa = CURVATURE.max() / CURVATURE.min()
        ax.axvline(kappa, color='k', linestyle=':', linewidth=1.2)
        ax.text(kappa * 1.12, 0.55,
                'the valley,\n$\\kappa = {:g}$'.format(kappa),
                fontsize=12, va='center')
        ax.set_xlim(GAIN_KAPPAS[0], GAIN_KAPPAS[-1])
        ax.set_ylim(0.4, 300)
        ax.set_xlabel(r'condition number $\kappa$ (largest curvature / '
                      'smallest, log scale)')
        ax.set_ylabel('times fewer steps than gradient\ndescent, in the long '
                      'run (log scale)')
        ax.grid(True, which='major', alpha=0.3)
        ax.legend(loc='upper left', fontsize=12.5)
        ax.set_title('Momentum\'s gain grows with the conditioning: little '
                     'on a mild problem,\nmany times on a badly '
                     'conditioned one (each method at its best rate)')
        fig.tight_layout()
        save(fig, 'momentum_gain.png', folder)


def decayed_path(method, lr, decay_step, steps=LONG_STEPS, angle=0.0):
    """valley_path for RMSProp or Adam (with its betas) with the rate
    decayed by task 11, decay_rate 1 every `decay_step` steps: the rate
    at step t is lr / (1 + floor((t - 1) / decay_step))."""
    _, rule, beta1, beta2 = METHODS[method]
    R = rotation(angle)
    p, v, s = turn(R.T, START), 0, 0
    path = [turn(R, p)]
    for t in range(1, steps + 1):
        alpha = learning_rate_decay(lr, 1, t - 1, decay_step)
        grad = turn(R.T, CURVATURE * turn(R, p))
        if rule == 'rmsprop':
            p, s = update_variables_RMSProp(alpha, beta2, EPSILON, p, grad,
                                            s)
        else:
            p, v, s = update_variables_Adam(alpha, beta1, beta2, EPSILON,
                                            p.copy(), grad, v, s, t)
        path.append(turn(R, p))
    return np.array(path)


# the run-on figure: the valley turned by 45 degrees, run on to
# DECAY_SHOWN steps, and task 11's decay_step for the decayed runs
TURNED, DECAY_SHOWN, VALLEY_DECAY_STEP = 45.0, 4000, 300


def own_rates(lr, steps, angle=0.0, corrected=True):
    """Each weight's own learning rate, alpha / (sqrt(s) + epsilon), at
    every step of RMSProp on the valley turned by `angle` degrees, from
    START: bias-corrected (Adam with beta1 = 0, s divided by 1 - beta2^t)
    or task 7's.  Returns (path as valley_path's, the rates used at steps
    1, 2, ..., an (n, 2) array).  It repeats rule_path's loop to see s,
    which the path does not keep; test_post checks that the two paths
    are the same, bit for bit."""
    beta2 = METHODS['rmsprop'][3]
    R = rotation(angle)
    p, v, s = turn(R.T, START), 0, 0
    path, rates = [turn(R, p)], []
    for t in range(1, steps + 1):
        grad = turn(R.T, CURVATURE * turn(R, p)) if angle else CURVATURE * p
        if corrected:
            p, v, s = update_variables_Adam(lr, 0.0, beta2, EPSILON,
                                            p.copy(), grad, v, s, t)
            rates.append(lr / (np.sqrt(s / (1 - beta2 ** t)) + EPSILON))
        else:
            p, s = update_variables_RMSProp(lr, beta2, EPSILON, p, grad, s)
            rates.append(lr / (np.sqrt(s) + EPSILON))
        path.append(turn(R, p) if angle else p)
    return np.array(path), np.array(rates)


# starts on the valley, in its own axes, whose distances from the
# minimum along and across it have ratios from 1 to 180
RATIO_STARTS = ((-2.0, 2.0), (-9.0, 4.0), (-5.0, 2.0), (-3.0, 1.0),
                (-9.0, 1.5), (-20.0, 1.0), (-9.0, 0.3), (-9.0, 0.05))


def rmsprop_ratios():
    """For each of RATIO_STARTS: (start, the ratio of its distances along
    and across the valley, the steps of RMSProp with bias correction
    (Adam with beta1 = 0) along the weights' axes, the same turned by 45
    degrees, gradient descent's steps), each at its best rate; steps as
    steps_within's (inf: never within RADIUS up to HORIZON)."""
    return [(start, abs(start[0] / start[1]),
             best_rate('adam', start=start, beta1=0.0)[1],
             best_rate('adam', angle=TURNED, start=start, beta1=0.0)[1],
             best_rate('gd', start=start)[1])
            for start in RATIO_STARTS]


def figure_rmsprop(folder):
    """Gradient descent and RMSProp with bias correction (Adam with beta1
    = 0, so that task 7's missing correction, a first step 31.6 times too
    long, does not decide the count), each at its best rate, from START:
    their paths with the weights' axes along the valley's (top) and
    turned by 45 degrees (bottom; drawn in the valley's own axes, the
    weights' axes dotted).  Along the axes RMSProp shortens the steep
    weight's steps and lengthens the flat one's; turned, it creeps along
    the valley as gradient descent does."""
    with style():
        fig, axes = plt.subplots(2, 1, figsize=(10, 8.6))
        for ax, angle, title in (
                (axes[0], 0.0, 'the weights\' axes along the valley: '
                 'RMSProp evens out the two weights\' steps'),
                (axes[1], 45.0, 'the same valley, the weights\' axes turned '
                 'by 45° (dotted): no clear help')):
            paths = []
            for method, betas, color, name in (
                    ('gd', {}, COLORS['gd'], 'gradient descent'),
                    ('adam', {'beta1': 0.0}, COLORS['rmsprop'],
                     'RMSProp (bias-corrected)')):
                lr, steps = best_rate(method, angle=angle, **betas)
                # turned, RMSProp's count moves with the last bits of
                # rounding (test_the_turned_rmsprop_count_moves_with_
                # rounding), so its label says only what holds: within
                # 10 % of gradient descent's (test_post)
                label = ('{}: about as many'.format(name)
                         if angle and method == 'adam'
                         else '{}: {} steps'.format(name, steps))
                # along the axes, at a constant rate, it leaves the minimum
                # again after HORIZON steps (test_post, the four figure)
                if method == 'adam' and not angle:
                    label += ', out again at step {}'.format(
                        later_exit(method, lr, **betas))
                paths.append((valley_path(method, lr, angle=angle, **betas),
                              color, label))
            valley_panel(ax, paths)
            if angle:
                # the weights' axes, through the minimum
                for direction in rotation(angle):
                    ax.axline((0, 0), direction, color='0.4',
                              linestyle=':', linewidth=1.6, zorder=0)
                # right of the minimum, between the axes, clear of the
                # paths and their bursts
                ax.text(0.95, 0.5, 'the weights\'\naxes', color='0.2',
                        fontsize=12.5, va='center')
            ax.set_title(title)
            # turned, below the paths, clear of the dotted axes
            ax.legend(loc='lower left' if angle else 'upper left',
                      bbox_to_anchor=(0.2, 0.0 if angle else 1.0),
                      fontsize=12, framealpha=0.95)
        fig.tight_layout()
        save(fig, 'rmsprop.png', folder)


def figure_rmsprop_ratios(folder):
    """RMSProp with bias correction and gradient descent, each at its
    best rate, from starts whose distances from the minimum along and
    across the valley have different ratios: steps until within RADIUS
    for good (through step HORIZON; at a constant rate RMSProp bursts out
    again later), against that ratio.  Every weight steps about alpha, so
    along the weights' axes RMSProp's count grows with the ratio;
    gradient descent's does not depend on it (its flat direction sets
    it), and turned by 45 degrees RMSProp is about as slow as gradient
    descent from every start."""
    rows = rmsprop_ratios()
    ratios = [row[1] for row in rows]
    never = HORIZON * 1.12
    with style():
        fig, ax = plt.subplots(figsize=(10, 5.6))
        for column, color, line, fill, name in (
                (4, COLORS['gd'], '-', COLORS['gd'],
                 'gradient descent (along or turned)'),
                (3, COLORS['rmsprop'], '--', 'white',
                 'RMSProp, valley turned by 45°'),
                (2, COLORS['rmsprop'], '-', COLORS['rmsprop'],
                 'RMSProp, valley along the axes')):
            steps = [row[column] if np.isfinite(row[column]) else np.nan
                     for row in rows]
            ax.plot(ratios, steps, color=color, linestyle=line,
                    marker='o', markersize=8, markerfacecolor=fill,
                    linewidth=2.2, label=name)
            for row in rows:
                if not np.isfinite(row[column]):
                    ax.plot(row[1], never, '^', color=color, markersize=10,
                            markerfacecolor=fill)
                    ax.annotate('never', (row[1], never), xytext=(-10, 0),
                                textcoords='offset points', ha='right',
                                va='center', color=color)
        ax.axhline(HORIZON, color='k', linestyle=':', linewidth=1.2)
        ax.text(0.9, HORIZON + 4, 'the runs end at step {}'.format(HORIZON),
                va='bottom', fontsize=12)
        top = rows[RATIO_STARTS.index(tuple(START))]
        ax.annotate('the post\'s start, ({:g}, {:g})'.format(*START),
                    (top[1], top[2]),
                    xytext=(-30, 30), textcoords='offset points',
                    ha='right', va='bottom', fontsize=12,
                    color=COLORS['rmsprop'],
                    arrowprops={'arrowstyle': '-',
                                'color': COLORS['rmsprop']})
        ax.set_xscale('log')
        ax.set_xticks([1, 3, 10, 30, 100])
        ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        ax.set_xlim(0.8, 250)
        ax.set_ylim(0, HORIZON * 1.2)
        ax.set_xlabel('start: distance along the valley / distance across')
        ax.set_ylabel('steps until within {:g}\n(and staying through step '
                      '{})'.format(RADIUS, HORIZON))
        ax.set_title('RMSProp from eight starts: fast when the weights must '
                     'travel similar distances')
        ax.grid(True, alpha=0.3)
        ax.legend(loc='lower right', fontsize=12)
        fig.tight_layout()
        save(fig, 'rmsprop_ratios.png', folder)


def figure_rmsprop_run_on(folder):
    """Task 7's RMSProp (no bias correction) on the valley turned by
    TURNED degrees, at its best rate, run on to DECAY_SHOWN steps: at
    that constant rate it leaves the minimum again and again (each time
    s has forgotten the gradients, the step alpha g / sqrt(s) grows until
    it bursts out), and with task 11's decay, alpha / (1 + step //
    VALLEY_DECAY_STEP), which stays close over these steps (its bursts
    come back, smaller, after step 8000).  The y-axis reaches down below
    both runs' lowest point."""
    with style():
        fig, ax = plt.subplots(figsize=(7, 5.2))
        lr = best_rate('rmsprop', angle=TURNED)[0]
        constant = distance(valley_path('rmsprop', lr, DECAY_SHOWN,
                                        angle=TURNED))
        decayed = distance(decayed_path('rmsprop', lr, VALLEY_DECAY_STEP,
                                        DECAY_SHOWN, TURNED))
        ax.semilogy(constant, color=COLORS['rmsprop'], linewidth=1.5,
                    label='constant rate')
        ax.semilogy(decayed, color='k', linestyle='--', linewidth=1.5,
                    label='task 11 decay: '
                    '$\\alpha / (1 + \\lfloor t / {} \\rfloor)$'
                    .format(VALLEY_DECAY_STEP))
        ax.axhline(RADIUS, color='k', linestyle=':', linewidth=1.2)
        ax.set_xlim(0, DECAY_SHOWN)
        # the whole of both runs: down to the power of ten below the
        # lowest distance either reaches
        floor = 10.0 ** np.floor(np.log10(min(constant.min(),
                                              decayed.min())))
        ax.set_ylim(floor, 30)
        ax.set_yticks(10.0 ** np.arange(0, np.log10(floor), -4))
        ax.set_xlabel('step')
        ax.set_ylabel('distance to the minimum')
        # one title; the caption says the rest (turned, its best rate)
        ax.grid(True, alpha=0.3)
        # in one line each, the legend stays below the constant rate's
        # lowest point (step 1100)
        ax.legend(loc='lower left', fontsize=12.5)
        ax.set_title("On a noise-free valley, task 7's RMSProp at a "
                     'constant rate\nkeeps bursting out; decay (task 11) '
                     'delays the bursts (dotted: {:g})'.format(RADIUS))
        fig.tight_layout()
        save(fig, 'rmsprop_run_on.png', folder)


# the Adam figure's two scales of the valley's f and its gradients
ADAM_SCALES = (1.0, 100.0)


def scaled_runs(scale):
    """{method: (rate, distance to the minimum at each step)} for the
    methods of SCALE_METHODS on the valley with f multiplied by `scale`,
    each at its best rate for the valley itself (c = 1, scale_ranges's),
    until it diverges (valley_path's runs)."""
    unscaled = SCALES.index(1.0)
    runs = {}
    for method in SCALE_METHODS:
        lr = scale_ranges(method)[unscaled][2]
        runs[method] = lr, distance(valley_path(method, lr, scale=scale))
    return runs


def adam_scale_difference(scale=ADAM_SCALES[-1]):
    """The largest relative difference between Adam's distances to the
    minimum on the valley with f multiplied by `scale` and on the valley
    itself, at its best rate for the latter, over steps 0 to HORIZON."""
    d1, dc = scaled_runs(1.0)['adam'][1], scaled_runs(scale)['adam'][1]
    return float(np.max(np.abs(dc - d1) / d1))


def figure_adam(folder):
    """Gradient descent, momentum and Adam on the valley, each at its best
    rate for c = 1, with f and every gradient multiplied by c = 1 (left)
    and c = 100 (right): at c = 100 the first two diverge (their curves
    leave the plot at the top), while Adam's distances are the same as
    at c = 1 (adam_scale_difference, printed)."""
    difference = adam_scale_difference()
    print('adam: at c = {:g} its distances differ from c = 1 by at most '
          '{:.2g} (relative)'.format(ADAM_SCALES[-1], difference))
    runs = {scale: scaled_runs(scale) for scale in ADAM_SCALES}
    with style():
        fig, axes = plt.subplots(1, 2, figsize=(10, 5.6), sharey=True)
        for ax, scale in zip(axes, ADAM_SCALES):
            for method, (lr, d) in runs[scale].items():
                name = METHODS[method][0].split(' (')[0]
                ax.semilogy(d, color=COLORS[method],
                            label='{}, $\\alpha = {:.2g}$'.format(name, lr))
            distance_panel(ax, 'c = {:g}'.format(scale))
        axes[1].set_ylabel('')
        axes[0].legend(loc='upper right', fontsize=12.5)
        axes[0].text(HORIZON - 4, RADIUS * 1.25, '{:g}'.format(RADIUS),
                     ha='right', va='bottom', fontsize=12.5)
        # where gradient descent and momentum leave the plot at c = 100,
        # and the step at which they pass 1e6 (where valley_path stops)
        top = axes[1].get_ylim()[1]
        for method, x, y in (('gd', 45, 14), ('momentum', 25, 4)):
            d = runs[ADAM_SCALES[-1]][method][1]
            k = int(np.argmax(d > top))
            # the step, between k - 1 and k, at which the line crosses
            # the top (straight on the log scale)
            out = k - 1 + np.log(top / d[k - 1]) / np.log(d[k] / d[k - 1])
            axes[1].annotate('{}: diverges\n(past 1e6 at step {})'.format(
                METHODS[method][0].split(' (')[0], len(d) - 1), (out, top),
                xytext=(x, y), fontsize=12.5, color=COLORS[method],
                va='center',
                arrowprops=dict(arrowstyle='->', color=COLORS[method],
                                relpos=(0, 0.5)))
        axes[1].text(HORIZON - 4, 0.25, 'Adam: the same curve as at c = 1\n'
                     '(largest relative difference {:.1e})'.format(
                         difference), ha='right', va='bottom', fontsize=12.5,
                     color=COLORS['adam'])
        fig.suptitle('Multiply f and its gradients by c = {:g}: at the same '
                     'rate, gradient descent and\nmomentum blow up; Adam '
                     'takes the same steps (each at its best rate for c = '
                     '1)'.format(ADAM_SCALES[-1]))
        fig.tight_layout()
        save(fig, 'adam.png', folder)


# ---------------------------------------------------------------------
# Adam under noise: a thousand weights side by side, each seeing the
# gradient 1 plus Gaussian noise of standard deviation sigma; the mean
# step over steps NOISE_FROM to NOISE_TO (the bias corrections long gone)
NOISE_SIGMAS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0)
NOISE_WEIGHTS, NOISE_FROM, NOISE_TO = 1000, 1000, 3000
NOISE_ALPHA = 0.001


def adam_noise_step(sigma, seed=0):
    """Task 9's mean step, in units of alpha (0.001, beta1 0.9, beta2
    0.999), over steps NOISE_FROM to NOISE_TO, for NOISE_WEIGHTS weights
    whose gradients are 1 plus noise of standard deviation sigma."""
    rng = np.random.default_rng(seed)
    var, v, s = np.zeros(NOISE_WEIGHTS), 0, 0
    for t in range(1, NOISE_TO + 1):
        grad = 1 + sigma * rng.normal(size=NOISE_WEIGHTS)
        var, v, s = update_variables_Adam(NOISE_ALPHA, 0.9, 0.999, 1e-8,
                                          var, grad, v, s, t)
        if t == NOISE_FROM:
            start = var.copy()
    return float(np.mean(start - var)) / (NOISE_TO - NOISE_FROM) / NOISE_ALPHA


def figure_adam_noise(folder):
    """Adam's mean step against the gradients' noise (dots: task 9; line:
    1 / sqrt(1 + sigma^2)), and gradient descent's, alpha times the mean
    gradient, which the noise leaves alone."""
    steps = [adam_noise_step(sigma) for sigma in NOISE_SIGMAS]
    sigma = np.linspace(0, NOISE_SIGMAS[-1], 200)
    with style():
        fig, ax = plt.subplots(figsize=(9, 5))
        ax.axhline(1.0, color=COLORS['gd'], linewidth=2.5,
                   label=r'gradient descent: $\alpha$ × the mean gradient')
        ax.plot(sigma, 1 / np.sqrt(1 + sigma ** 2), color='0.4',
                linestyle='--', label=r'$1 / \sqrt{1 + \sigma^2}$')
        ax.plot(NOISE_SIGMAS, steps, 'o', color=COLORS['adam'],
                markersize=9, label='Adam (task 9), measured')
        ax.set_xlim(-0.1, NOISE_SIGMAS[-1] + 0.1)
        ax.set_ylim(0, 1.15)
        ax.set_xlabel('$\\sigma$: the noise\'s standard deviation (the mean '
                      'gradient is 1)')
        ax.set_ylabel(r'mean step, in units of $\alpha$')
        ax.set_title('Where the gradients disagree, Adam steps shorter;\n'
                     'gradient descent\'s mean step ignores the noise')
        ax.grid(True, alpha=0.3)
        ax.legend(loc='center right')
        fig.tight_layout()
        save(fig, 'adam_noise.png', folder)


def figure_adam_rates(folder):
    """The rates that work for gradient descent, momentum and Adam when
    the valley's f, and so every gradient, is multiplied by 0.01 to
    100."""
    with style():
        fig, ax = plt.subplots(figsize=(10, 5.6))
        # at each c, one bar per method side by side: the rates that work,
        # and a white dot at the best one
        for method, shift in (('gd', 0.7), ('momentum', 1.0),
                              ('adam', 1.43)):
            ranges = np.array(scale_ranges(method))
            color = COLORS[method]
            x = np.array(SCALES) * shift
            ax.vlines(x, ranges[:, 0], ranges[:, 1], color=color,
                      linewidth=10, label='{}: {} steps at best'.format(
                          METHODS[method][0].split(' (')[0],
                          int(ranges[2, 3])))
            ax.plot(x, ranges[:, 2], 'o', color='white', markersize=6,
                    markeredgecolor='k', markeredgewidth=1.5, zorder=3,
                    label='the best rate' if method == 'adam' else None)
        ax.axhline(SCALE_RATES[-1], color='0.3', linestyle=':',
                   linewidth=1.2)
        ax.text(0.006, SCALE_RATES[-1] * 1.15, 'the largest rate tried',
                va='bottom', fontsize=12.5)
        ax.set_xscale('log')
        ax.set_yscale('log')
        ax.set_xlim(0.005, 200)
        ax.set_ylim(SCALE_RATES[0], SCALE_RATES[-1] * 5)
        ax.set_xticks(SCALES)
        ax.set_xticklabels(['{:g}'.format(c) for c in SCALES])
        ax.set_xlabel('c: f, and every gradient, multiplied by c')
        ax.set_ylabel(r'learning rate $\alpha$')
        ax.set_title('bars: the rates that reach {:g} of the minimum by '
                     'step {} and stay,\nnever straying over {:g}× as '
                     'far as they started; dot: the fastest'.format(
                         RADIUS, HORIZON, STRAY))
        ax.grid(True, which='major', alpha=0.3)
        ax.legend(loc='lower left')
        fig.suptitle('The valley c (x² + 50 y²) / 2: Adam\'s rates do not '
                     'move with c')
        fig.tight_layout()
        save(fig, 'adam_rates.png', folder)


def moving_average_data():
    """The 31 daily temperatures (degrees F) of the moving-average
    figure."""
    return [72, 78, 71, 68, 66, 69, 79, 79, 65, 64, 66, 78, 64, 64, 81, 71,
            69, 65, 72, 64, 60, 61, 62, 66, 72, 72, 67, 67, 67, 68, 75]


def jump_data():
    """The moving-average example's data: 30 days at 10, then 30 at
    20."""
    return [10.0] * 30 + [20.0] * 30


def figure_moving_average(folder):
    """Task 4 (beta = 0.9) with and without its bias correction: left,
    on the post's example, a jump from 10 to 20, marked 1 / (1 - beta)
    steps after it; right, on the month of daily temperatures of the
    course's task 4 driver."""
    beta = 0.9
    window = round(1 / (1 - beta))
    with style():
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.8))
        smooth = {}
        for ax, data, unit, title in (
                (axes[0], jump_data(), 'value', 'a jump from 10 to 20 '
                 '(the example)'),
                (axes[1], moving_average_data(), 'temperature (°F)',
                 'daily highs, San Francisco, October 2018')):
            corrected = smooth[ax] = np.array(moving_average(data, beta))
            t = np.arange(1, len(data) + 1)
            # task 4 returns v / (1 - beta ** t): multiply back for v
            raw = corrected * (1 - beta ** t)
            ax.plot(t, data, 'o', color='0.6', markersize=4, label='data')
            ax.plot(t, corrected, '-', color=DARK_TEAL, linewidth=2,
                    label='bias-corrected (task 4)')
            ax.plot(t, raw, '--', color=BROWN, linewidth=2,
                    label='no correction')
            ax.set_xlabel('day')
            ax.set_ylabel(unit)
            ax.set_title(title)
            ax.set_ylim(0, 1.2 * max(data))
            ax.grid(True, alpha=0.3)
        day = 30 + window                     # the jump is after day 30
        axes[0].annotate('$1 / (1 - \\beta)$ = {} days on:\nabout two thirds '
                         'of the jump'.format(window),
                         (day, smooth[axes[0]][day - 1]), (22, 3), fontsize=12,
                         arrowprops=dict(arrowstyle='->', color='k'))
        axes[0].legend(loc='upper left', fontsize=11.5)
        fig.suptitle('With $\\beta = {}$, a moving average remembers about {} '
                     'steps'.format(beta, window))
        fig.tight_layout()
        save(fig, 'moving_average.png', folder)


# ---------------------------------------------------------------------
# Feature scaling: linear regression of house prices on floor area and
# number of rooms, by gradient descent (task 5 with beta1 = 0)
def houses():
    """200 made-up houses: X (200, 2) = floor area in square feet and
    rooms, y (200,) = price in thousands of dollars."""
    rng = np.random.default_rng(0)
    area = rng.normal(1500, 450, 200).clip(400)
    rooms = np.clip(np.round(area / 500 + rng.normal(0, 0.7, 200)), 1, 7)
    price = 0.12 * area + 15 * rooms + rng.normal(0, 20, 200)
    return np.c_[area, rooms], price


def house_inputs():
    """{name: inputs} for the raw features, the features standardized
    by tasks 0 and 1, and the standardized features whitened (turned to
    their principal axes and divided by the root of each variance)."""
    X, _ = houses()
    m, s = normalization_constants(X)
    Z = normalize(X, m, s)
    variances, axes = np.linalg.eigh(np.cov(Z.T, bias=True))
    return {'raw': X, 'standardized': Z,
            'whitened': Z @ axes / np.sqrt(variances)}


def curvature(A):
    """Eigenvalues of the cost's curvature A1^T A1 / m, with a column of
    ones for the intercept, from the smallest."""
    A1 = np.c_[A, np.ones(len(A))]
    return np.linalg.eigvalsh(A1.T @ A1 / len(A1))


def condition_number(A):
    """lambda_max / lambda_min of the curvature."""
    e = curvature(A)
    return float(e.max() / e.min())


def regression_run(A, steps):
    """Excess cost J(w) - min J, relative to the start, after each step
    of gradient descent at the classic rate 1 / lambda_max (the largest
    curvature's error is gone in one step; the smallest keeps 1 - 1 /
    kappa of its error per step)."""
    _, price = houses()
    A1 = np.c_[A, np.ones(len(A))]
    lr = 1 / curvature(A).max()
    best = np.linalg.lstsq(A1, price, rcond=None)[0]

    def cost(w):
        return np.mean((A1 @ w - price) ** 2) / 2

    w, floor = np.zeros(3), cost(best)
    excess = [cost(w) - floor]
    for _ in range(steps):
        grad = A1.T @ (A1 @ w - price) / len(A1)
        w, _ = update_variables_momentum(lr, 0.0, w, grad, 0)
        excess.append(cost(w) - floor)
    return np.array(excess) / excess[0]


def steps_to(curve, level):
    """First index at which curve <= level (inf if never)."""
    below = np.nonzero(curve <= level)[0]
    return int(below[0]) if len(below) else np.inf


FEATURE_STEPS = 40
# the feature-scaling figure's lowest cost drawn
FEATURE_FLOOR = 1e-10


def readable(x):
    """A number as a reader says it: 33 million, 6.15, 1."""
    return ('{:.0f} million'.format(x / 1e6) if x >= 1e6
            else '{:.3g}'.format(x))


def figure_feature_scaling(folder):
    """Gradient descent on raw, standardized and whitened features."""
    with style():
        fig, ax = plt.subplots(figsize=(9, 4.8))
        for (name, A), color in zip(house_inputs().items(),
                                    (BROWN, TEAL, 'k')):
            curve = regression_run(A, FEATURE_STEPS)
            # exact zeros (whitened, from step 1) drawn on the bottom edge
            ax.semilogy(np.maximum(curve, FEATURE_FLOOR), color=color,
                        marker='o' if name == 'whitened' else '.',
                        markersize=7 if name == 'whitened' else 5,
                        linewidth=3 if name == 'whitened' else 2,
                        clip_on=False, zorder=3,
                        label='{}: condition number {}'.format(
                            name, readable(condition_number(A))))
        ax.annotate('whitened: exact after one step\n(cost 0, drawn on the '
                    'bottom edge)', (1, FEATURE_FLOOR), xytext=(6, 3e-9),
                    fontsize=12.5, color='k',
                    arrowprops=dict(arrowstyle='->', color='k'))
        ax.annotate('raw: the first step fits the floor\narea, then the '
                    'cost stalls', (25, 2.6e-3), xytext=(12, 2e-2),
                    fontsize=12.5, color=BROWN,
                    arrowprops=dict(arrowstyle='->', color=BROWN))
        ax.set_xlim(0, FEATURE_STEPS)
        ax.set_ylim(FEATURE_FLOOR, 2)
        ax.set_xlabel(r'gradient-descent step ($\alpha$ = 1 / largest '
                      'curvature)')
        ax.set_ylabel('cost above the least-squares fit\n(1 at the start)')
        ax.set_title('Same data, same rule: standardized features keep '
                     'converging, raw ones stall\n(price ~ floor area in '
                     'ft² + rooms, 200 houses)')
        ax.grid(True, alpha=0.3)
        ax.legend(loc='upper center', bbox_to_anchor=(0.5, -0.18))
        save(fig, 'feature_scaling.png', folder)


# ---------------------------------------------------------------------
# Mini-batches and decay: logistic regression on 2048 points
@functools.lru_cache(maxsize=None)
def logistic_data():
    """X (2048, 2), Y (2048, 1) and the lowest cost, found by Newton's
    method (independently of the runs)."""
    rng = np.random.default_rng(1)
    m = 2048
    X = rng.normal(size=(m, 2))
    Y = (X @ [1.5, -2.0] + rng.normal(scale=2.0, size=m) > 0).astype(float)
    Y = Y.reshape(-1, 1)
    W = np.zeros((2, 1))
    for _ in range(30):
        A = 1 / (1 + np.exp(-X @ W))
        W = W - np.linalg.solve((X * (A * (1 - A))).T @ X / m,
                                X.T @ (A - Y) / m)
    return X, Y, logistic_cost(X, Y, W)


def logistic_cost(X, Y, W):
    """Cross-entropy of the logistic model W on all of X, Y:
    mean(log(1 + exp(z)) - y z) with z = X W, the usual -mean(y log a +
    (1 - y) log(1 - a)) for a = sigmoid(z), in fewer passes."""
    z = X @ W
    return float(np.mean(np.log1p(np.exp(z))) - np.mean(Y * z))


# sgd_run's runs, (batch_size, decay_rate, seed, lr) -> (epochs, run)
SGD_RUNS = {}


def sgd_run(batch_size, epochs, decay_rate=0.0, seed=0, lr=2.0,
            decay_step=None):
    """Mini-batch gradient descent (tasks 3 and 5 with beta1 = 0), the
    rate decayed by task 11: once per epoch (decay_step None, the
    global step being the epoch) or every `decay_step` updates (the
    global step being the update): (epochs done, excess cost over the
    lowest cost) after each update, from the start.
    np.random.seed(seed) once before the first epoch.

    A shorter run is the start of a longer one (the seed is set once and
    the rate depends on the epoch or the update only), so the longest
    run asked for, of at least DECAY_EPOCHS, is kept and cut to
    `epochs`."""
    key = batch_size, float(decay_rate), seed, float(lr), decay_step
    if key not in SGD_RUNS or SGD_RUNS[key][0] < epochs:
        longest = max(epochs, DECAY_EPOCHS)
        SGD_RUNS[key] = longest, full_sgd_run(batch_size, longest,
                                              decay_rate, seed, lr,
                                              decay_step)
    seen, excess = SGD_RUNS[key][1]
    n = epochs * -(-len(logistic_data()[0]) // batch_size) + 1
    return seen[:n], excess[:n]


def full_sgd_run(batch_size, epochs, decay_rate, seed, lr, decay_step=None):
    """sgd_run's computation, for exactly `epochs` epochs."""
    X, Y, floor = logistic_data()
    W, seen = np.zeros((2, 1)), [0.0]
    excess = [logistic_cost(X, Y, W) - floor]
    np.random.seed(seed)
    update = 0
    for epoch in range(epochs):
        for X_b, Y_b in create_mini_batches(X, Y, batch_size):
            if decay_step is None:
                alpha = learning_rate_decay(lr, decay_rate, epoch, 1)
            else:
                alpha = learning_rate_decay(lr, decay_rate, update,
                                            decay_step)
            A = 1 / (1 + np.exp(-X_b @ W))
            W, _ = update_variables_momentum(
                alpha, 0.0, W, X_b.T @ (A - Y_b) / len(X_b), 0)
            excess.append(logistic_cost(X, Y, W) - floor)
            seen.append(seen[-1] + len(X_b) / len(X))
            update += 1
    seen, excess = np.array(seen), np.array(excess)
    seen.flags.writeable = excess.flags.writeable = False
    return seen, excess


def gradient_noise():
    """(H, C) at the lowest cost of logistic_data: the Hessian of the
    cost and the covariance of one example's gradient."""
    X, Y, _ = logistic_data()
    m = len(X)
    W = np.zeros((2, 1))
    for _ in range(30):
        A = 1 / (1 + np.exp(-X @ W))
        W = W - np.linalg.solve((X * (A * (1 - A))).T @ X / m,
                                X.T @ (A - Y) / m)
    A = 1 / (1 + np.exp(-X @ W))
    grads = X * (A - Y)
    return (X * (A * (1 - A))).T @ X / m, np.cov(grads.T, bias=True)


def noise_floor(lr, batch_size):
    """The mean excess cost at which a constant rate lr keeps mini-batch
    gradient descent on logistic_data, on the quadratic model at the
    minimum, if each batch's gradient were the full one plus independent
    noise of covariance C / batch_size * (m - batch_size) / (m - 1) (a
    batch of distinct examples among m, drawn without replacement):
    half trace(H V), V the stationary covariance, V = M V M + lr^2 times
    that noise, with M = I - lr H.  About lr trace(C) / (4 batch_size)
    while lr H is small and the batch a small part of the data."""
    H, C = gradient_noise()
    m = len(logistic_data()[0])
    noise = C / batch_size * (m - batch_size) / (m - 1)
    M = np.eye(len(H)) - lr * H
    V = np.linalg.solve(np.eye(M.size) - np.kron(M, M),
                        (lr ** 2 * noise).ravel()).reshape(M.shape)
    return float(np.trace(H @ V) / 2)


BATCH_SIZES = (8, 64, 512, 2048)
WITHIN = 0.005


def to_floor(batch_size, seed=0, within=WITHIN, epochs=12):
    """(updates, epochs) until the cost first comes within `within` of
    the lowest cost."""
    seen, excess = sgd_run(batch_size, epochs, seed=seed)
    i = int(np.argmax(excess <= within))
    return i, float(seen[i])


def noise(batch_size, first, last, seed=0, epochs=60, lr=2.0):
    """Mean and standard deviation of the excess cost after each update
    of epochs first + 1 to last (epochs done in (first, last]), at the
    constant rate lr."""
    seen, excess = sgd_run(batch_size, epochs, seed=seed, lr=lr)
    part = excess[(seen > first) & (seen <= last)]
    return float(part.mean()), float(part.std())


def per_epoch(seen, excess, epochs):
    """Mean and largest excess cost over the updates of each epoch 1, 2,
    ..., epochs (the cost after each update, not the start)."""
    epoch = np.ceil(np.round(seen[1:], 9)).astype(int)
    parts = [excess[1:][epoch == e] for e in range(1, epochs + 1)]
    return (np.array([p.mean() for p in parts]),
            np.array([p.max() for p in parts]))


NOISE_EPOCHS, SHOWN_EPOCHS = 60, 12


def figure_batch_size(folder):
    """Cost per update and per epoch for several batch sizes."""
    # not the methods' colours: grey, brown, teal as the batch grows
    # (batch 8 grey, so that its spikes do not pass for batch 64's brown)
    styles = {8: ('0.45', '-'), 64: (BROWN, '-'),
              512: (TEAL, '-'), 2048: ('k', '--')}
    floor = logistic_data()[2]
    with style():
        fig, axes = plt.subplots(1, 2, figsize=(10, 5.6), sharey=True)
        for size in BATCH_SIZES:
            seen, excess = sgd_run(size, NOISE_EPOCHS)
            color, line = styles[size]
            label = ('full batch (2048)' if size == 2048
                     else 'batch {}'.format(size))
            # batch 8 thin, light and below: its noise would hide the
            # others
            width, alpha, z = (1, 0.8, 1) if size == 8 else (2, 1, 3)
            axes[0].plot(excess[:41] + floor, color=color, linestyle=line,
                         label=label, linewidth=width, alpha=alpha,
                         zorder=z)
            # right, log x: batch 8 per update in its first epoch only,
            # then each epoch's mean and largest, so that the many
            # updates a pixel holds further right do not widen its band
            keep = (seen > 0) & (seen <= (1 if size == 8 else
                                          SHOWN_EPOCHS))
            # the larger batches edged in white, so that batch 8's spikes
            # do not cover them
            edge = [] if size == 8 else [patheffects.withStroke(
                linewidth=4.5, foreground='white')]
            axes[1].plot(seen[keep], excess[keep] + floor, color=color,
                         linestyle=line, linewidth=width, alpha=alpha,
                         zorder=z, path_effects=edge)
        # batch 8 from epoch 2 on: each epoch's mean, at its middle
        mean, _ = per_epoch(*sgd_run(8, NOISE_EPOCHS), SHOWN_EPOCHS)
        middles = np.arange(2, SHOWN_EPOCHS + 1) - 0.5
        # batch 8's grey, darker, with black-edged dots: not the full
        # batch's black
        means, = axes[1].plot(middles, mean[1:] + floor, color='0.35',
                              marker='o', markersize=6,
                              markeredgecolor='k', linewidth=1.5,
                              clip_on=False, zorder=4,
                              label='batch 8 after epoch 1: epoch means')
        axes[0].set_xlim(0, 40)
        axes[0].set_xlabel('update (one gradient step)')
        axes[0].set_title('per update')
        axes[1].set_xscale('log')
        axes[1].set_xlim(1 / 256, SHOWN_EPOCHS)
        axes[1].set_xticks([0.01, 0.1, 1, 10])
        axes[1].set_xticks([], minor=True)
        axes[1].set_xticklabels(['0.01', '0.1', '1', '10'])
        axes[1].set_xlabel('epochs (passes over the data)')
        axes[1].set_title('per epoch (log scale), colours as on the left')
        axes[0].set_ylabel('cost on all 2048 points')
        # room at the top, above the curves, for the legends
        axes[0].set_ylim(0.42, 0.70)
        for ax in axes:
            ax.axhline(floor, color='0.4', linewidth=1.2, linestyle=':',
                       label='the lowest cost')
        axes[0].legend(loc='upper right')
        # the right panel's own legend: only the dots (the left one names
        # the lines), above the curves
        axes[1].legend(handles=[means], loc='upper right')
        for ax in axes:
            ax.grid(True, alpha=0.3)
        fig.suptitle('At one rate, small batches follow the full batch per '
                     'update (noisily) and need far fewer epochs')
        fig.tight_layout()
        save(fig, 'batch_size.png', folder)


DECAY_EPOCHS = 20
# the decay figure's runs of batch 8: constant rates, and task 11's decay
# from three starting rates with decay_rate 1 per epoch (the rate is
# lr / (1 + epochs done)); the noise is measured over the LAST epochs
CONSTANT_RATES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
DECAYED_RATES = (0.5, 1.0, 2.0)
LAST = 5


def trade_off(lr, decay_rate=0.0, seed=0, within=WITHIN,
              epochs=DECAY_EPOCHS, last=LAST, decay_step=None):
    """Batch 8 at rate lr, decayed per epoch by task 11 with decay_rate:
    (the updates until the cost first comes within `within` of the
    lowest cost, the mean excess cost over the updates of the last
    `last` epochs, the update from which it stays within `within` to the
    end)."""
    seen, excess = sgd_run(8, epochs, decay_rate, seed, lr, decay_step)
    outside = np.nonzero(excess > within)[0]
    return (int(np.argmax(excess <= within)),
            float(excess[seen > epochs - last].mean()),
            int(outside[-1] + 1) if len(outside) else 0)


# the decay figure's runs of batch 8, seed 0: (rate, decay_rate,
# decay_step in updates or None for once per epoch, colour, width, label);
# the first is drawn dashed on top: the decayed runs follow it at first
DECAY_RUNS = (
    (1.0, 0.0, None, '0.45', 2.4, 'constant 1.0: fast, then noisy'),
    (0.1, 0.0, None, 'k', 1.8, 'constant 0.1: slow, then quiet'),
    (1.0, 1.0, None, BROWN, 1.8, 'task 11, 1.0 / (1 + epoch)'),
    (1.0, 1.0, 32, TEAL, 1.4, 'task 11, 1.0 / (1 + update // 32)'),
)


# the decay figure's curves are task 4's moving average of the excess
# cost, with a window of about 1 / (1 - DECAY_SMOOTHING) = 100 updates
DECAY_SMOOTHING = 0.99


def smoothed(excess):
    """After updates 1, 2, ...: task 4's bias-corrected moving average
    of the excess cost with beta DECAY_SMOOTHING."""
    return np.array(moving_average(list(excess[1:]), DECAY_SMOOTHING))


def decay_rates(lr, decay_rate, step, updates, n):
    """The rate task 11 gives at updates 0 .. updates - 1 of a run with
    n updates per epoch: once per epoch (step None) or every `step`
    updates, as full_sgd_run takes it."""
    return np.array([learning_rate_decay(lr, decay_rate, u // n, 1)
                     if step is None else
                     learning_rate_decay(lr, decay_rate, u, step)
                     for u in range(updates)])


def figure_decay(folder):
    """Two constant rates and two of task 11's schedules on batch 8,
    seed 0, against the epochs: the rate (top, log scale) and the excess
    cost smoothed by task 4 (bottom, log scale).  The constant 1.0
    starts fast and stays noisy, the constant 0.1 starts slow and ends
    low; decay starts fast, and ends far lower only if it decays fast
    enough."""
    n = -(-len(logistic_data()[0]) // 8)        # updates per epoch
    with style():
        fig, (top, ax) = plt.subplots(
            2, 1, figsize=(10, 7.2), sharex=True,
            gridspec_kw=dict(height_ratios=(1, 2.6)))
        for k, (lr, decay_rate, step, color, width, name) in enumerate(
                DECAY_RUNS):
            _, excess = sgd_run(8, DECAY_EPOCHS, decay_rate, 0, lr, step)
            updates = len(excess) - 1
            # the first drawn dashed on top: the others follow it at first
            kwargs = dict(color=color, linewidth=width, label=name,
                          linestyle=(0, (4, 2)) if k == 0 else '-',
                          zorder=3 if k == 0 else 2)
            # update u (from 0) runs from epoch u / n to (u + 1) / n
            rates = decay_rates(lr, decay_rate, step, updates, n)
            top.step(np.arange(updates + 1) / n, np.r_[rates, rates[-1]],
                     where='post', **kwargs)
            # smoothed's point k is after update k + 1, epoch (k + 1) / n
            ax.plot(np.arange(1, updates + 1) / n, smoothed(excess),
                    **kwargs)
        top.set_yscale('log')
        top.set_ylim(4e-3, 2)
        top.set_ylabel('learning\nrate (log)')
        top.set_title('Batch 8, {} epochs: decaying every 32 updates starts '
                      'as fast as the large rate\nand ends far lower than '
                      'the small one, or than decaying once per '
                      'epoch'.format(DECAY_EPOCHS))
        ax.set_yscale('log')
        ax.set_xlim(0, DECAY_EPOCHS)
        ax.set_ylim(3e-7, 2)
        ax.set_xlabel('epochs (passes over the data, 256 updates each)')
        ax.set_ylabel('cost above the lowest cost\n(moving average, '
                      'task 4, $\\beta = {:g}$)'.format(DECAY_SMOOTHING))
        for axis in (top, ax):
            axis.grid(True, which='major', alpha=0.3)
        ax.legend(loc='upper right', ncol=2, fontsize=13.5)
        fig.tight_layout()
        save(fig, 'decay.png', folder)


# the schedules figure: four ways to take a rate from 0.1 down over 100
# epochs, each (label, colour, rate at epoch t): task 11 steps its 1/t
# every 10 epochs, CS231n's step decay divides by 10 at epochs 50 and 75,
# the exponential ends a hundredth of the start, and the cosine follows a
# 5-epoch linear warm-up (Goyal et al.; Loshchilov and Hutter)
SCHEDULE_EPOCHS = 100
SCHEDULE_WARMUP = 5
SCHEDULES = (
    ('1/t in steps (task 11: decay_rate 1, decay_step 10)', 'C2',
     lambda t: learning_rate_decay(0.1, 1, t, 10)),
    ('step: divided by 10 at epochs 50 and 75', 'C1',
     lambda t: 0.1 * 0.1 ** ((t >= 50) + (t >= 75))),
    ('exponential: times 0.955 each epoch', 'C0',
     lambda t: 0.1 * np.exp(-t * np.log(100) / SCHEDULE_EPOCHS)),
    ('cosine after a {}-epoch warm-up'.format(SCHEDULE_WARMUP), 'C3',
     lambda t: 0.1 * (t + 1) / SCHEDULE_WARMUP if t < SCHEDULE_WARMUP
     else 0.05 * (1 + np.cos(np.pi * (t - SCHEDULE_WARMUP)
                             / (SCHEDULE_EPOCHS - SCHEDULE_WARMUP)))),
)


def figure_schedules(folder):
    """The rate against the epoch for SCHEDULES: all start near 0.1
    and end far below it; they differ in when the rate falls."""
    epochs = np.arange(SCHEDULE_EPOCHS)
    with style():
        fig, ax = plt.subplots(figsize=(10, 5.2))
        for name, color, rate in SCHEDULES:
            ax.step(epochs, [rate(int(t)) for t in epochs], where='post',
                    color=color, label=name)
        ax.set_xlim(0, SCHEDULE_EPOCHS)
        ax.set_ylim(0, 0.16)
        ax.set_xlabel('epoch')
        ax.set_ylabel('learning rate')
        ax.set_title('Schedules that take the rate from 0.1 down over {} '
                     'epochs:\nall end small; they differ in when the rate '
                     'falls'.format(SCHEDULE_EPOCHS))
        ax.grid(True, alpha=0.3)
        ax.legend(loc='upper right', fontsize=12)
        fig.tight_layout()
        save(fig, 'schedules.png', folder)


# the loss-curve figure: batch 64 of the mini-batch figure's logistic
# regression at four rates, (rate, colour, label); the full batch's
# limit, 2 / (largest curvature), is about 14
SHAPE_EPOCHS = 10
# the top of the loss-curve figure's cost axis
SHAPE_TOP = 1.2
# the bold curves' moving average (task 4)
SHAPE_BETA = 0.9
SHAPE_RUNS = (
    (30.0, 'C3', 'lr 30: far too high, the cost jumps up'),
    (15.0, 'C1', 'lr 15: too high, it drops, then stalls'),
    (1.0, 'k', 'lr 1: about right, a fast drop, then flat'),
    (0.02, 'C0', 'lr 0.02: too low, a slow, steady fall'),
)


def shape_curves():
    """{rate: (epochs, cost after each update, its moving average)} for
    SHAPE_RUNS: the cost itself (from ln 2 at w = 0), and task 4's
    bias-corrected moving average of it with SHAPE_BETA."""
    floor = logistic_data()[2]
    curves = {}
    for lr, _, _ in SHAPE_RUNS:
        seen, excess = sgd_run(64, SHAPE_EPOCHS, lr=lr)
        cost = excess + floor
        curves[lr] = seen, cost, np.array(
            moving_average(list(cost), SHAPE_BETA))
    return curves


def figure_loss_shapes(folder):
    """The four shapes of a loss curve (CS231n, "Neural Networks Part
    3"), drawn from real runs: batch 64 at four rates, the cost after
    every update smoothed by task 4 (unsmoothed, the largest rate's
    spikes would fill the frame and the others' would hide the shapes)."""
    curves = shape_curves()
    with style():
        fig, ax = plt.subplots(figsize=(10, 6.2))
        for lr, color, name in SHAPE_RUNS:
            seen, _, smooth = curves[lr]
            ax.plot(seen, smooth, color=color, linewidth=2.2, label=name)
        ax.set_xlim(0, SHAPE_EPOCHS)
        ax.set_ylim(0.4, SHAPE_TOP)
        # where every run starts: w = 0, a cost of ln 2
        ax.axhline(np.log(2), color='0.3', linestyle=':', linewidth=1.2)
        ax.text(SHAPE_EPOCHS * 0.99, np.log(2) - 0.008,
                'ln 2: the cost at the start', ha='right', va='top',
                fontsize=11.5, color='0.3',
                bbox=dict(facecolor='white', edgecolor='none', pad=1.5))
        ax.set_xlabel('epochs (passes over the data)')
        ax.set_ylabel('cost (cross-entropy)')
        ax.grid(True, alpha=0.3)
        ax.legend(loc='upper center', bbox_to_anchor=(0.5, -0.14), ncol=2,
                  fontsize=12.5)
        ax.set_title('The loss curve\'s shape tells the rate (each curve: '
                     'the cost, smoothed)')
        fig.tight_layout()
        save(fig, 'loss_shapes.png', folder)


# ---------------------------------------------------------------------
def batch_norm_layer():
    """1000 examples of one layer's pre-activations z (four units far
    from 0, of wide spread), and the same after task 13 (gamma 1, beta
    0)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 20))
    W = rng.normal(scale=0.6, size=(20, 4))
    Z = X @ W + [4.0, -3.0, 6.0, 1.5]
    return Z, batch_norm(Z, np.ones((1, 4)), np.zeros((1, 4)), 1e-7)


def tanh_slopes():
    """Mean slope 1 - tanh(z)^2 of each unit, before and after batch
    normalization: how much gradient tanh lets through."""
    Z, Z_bn = batch_norm_layer()
    return (1 - np.tanh(Z) ** 2).mean(axis=0), (1 - np.tanh(Z_bn) ** 2
                                                ).mean(axis=0)


def weight_gradients(seed=0):
    """Per unit of batch_norm_layer's layer, with tanh after it, for one
    draw of random gradients dA from above: (the norm of the weights'
    gradient dL/dW without batch normalization, with it), the latter
    through task 13's statistics (gamma 1, beta 0)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 20))
    Z, Z_bn = batch_norm_layer()
    dA = np.random.default_rng(100 + seed).normal(size=Z.shape)
    before = X.T @ (dA * (1 - np.tanh(Z) ** 2))
    d_norm = dA * (1 - np.tanh(Z_bn) ** 2)
    dZ = (d_norm - d_norm.mean(axis=0) - Z_bn * (d_norm * Z_bn).mean(
        axis=0)) / np.sqrt(Z.var(axis=0) + 1e-7)
    return (np.linalg.norm(before, axis=0),
            np.linalg.norm(X.T @ dZ, axis=0))


# the batch-norm figure's units: not the methods' colours; each unit's
# bar spans these percentiles of its z
UNIT_COLORS = (BROWN, TAN, TEAL, DARK_TEAL)
BAR_PERCENTILES = (10, 90)


def figure_batch_norm(folder):
    """Where a layer's pre-activations sit on tanh, before and after
    batch normalization: tanh and its slope once, and under it on the
    same z axis a strip of bars for each, each unit's middle 80 % of z
    (BAR_PERCENTILES)."""
    Z, Z_bn = batch_norm_layer()
    before, after = tanh_slopes()
    span = (-9, 10)
    zz = np.linspace(*span, 400)
    with style():
        fig, (top, *strips) = plt.subplots(
            3, 1, figsize=(10, 8), sharex=True,
            gridspec_kw=dict(height_ratios=(2.4, 1.5, 1.5)))
        top.plot(zz, np.tanh(zz), 'k', label=r'$\tanh(z)$')
        top.plot(zz, 1 - np.tanh(zz) ** 2, color='0.55', linestyle='--',
                 label=r'its slope $1 - \tanh^2(z)$')
        top.set_yticks([-1, 0, 1])
        top.set_ylabel(r'$\tanh(z)$, slope')
        top.legend(loc='upper left', fontsize=12.5)
        for bars, z, slopes, title in (
                (strips[0], Z, before,
                 'before: most $z$ on tanh\'s flat ends'),
                (strips[1], Z_bn, after,
                 'after batch_norm(z): on the slope')):
            for k in range(4):
                low, high = np.percentile(z[:, k], BAR_PERCENTILES)
                bars.plot([low, high], [k, k], color=UNIT_COLORS[k],
                          linewidth=9, solid_capstyle='butt')
                bars.plot(np.median(z[:, k]), k, 'o', color='white',
                          markeredgecolor='k', markersize=7)
            bars.set_title(title, fontsize=13.5)
            # unit 1 at the top; the bars have no y of their own, so their
            # labels stand at the left, outside the z axis
            bars.set_ylim(3.6, -0.6)
            bars.set_yticks(range(4))
            bars.set_yticklabels(['unit {}: slope {:.2f}'.format(
                k + 1, slope) for k, slope in enumerate(slopes)])
            bars.tick_params(axis='y', length=0, labelsize=13)
        for ax in (top, *strips):
            ax.grid(True, axis='x', alpha=0.3)
        top.grid(True, alpha=0.3)
        strips[1].set_xlim(*span)
        strips[1].set_xlabel('pre-activation $z$')
        fig.suptitle('Batch normalization moves each unit\'s $z$ back onto '
                     'tanh\'s slope')
        fig.text(0.5, 0.005, 'bars: middle 80 % of $z$, dot at the median; '
                 'slope: tanh\'s mean slope there', ha='center',
                 va='bottom', fontsize=12.5)
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        save(fig, 'batch_norm.png', folder)


# ---------------------------------------------------------------------
# Batch normalization on a real network: examples/moons.py's network
# (2-5-2-1, ReLU) trained by mini-batch gradient descent (task 5 with
# beta1 = 0, batches of 64) for BN_EPOCHS epochs, with and without task
# 13 on its hidden layers, from each of BN_SEEDS' initializations at
# each of BN_RATES
BN_RATES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0)
BN_SEEDS = tuple(range(20))
BN_EPOCHS = 1000
BN_SHOWN_RATE = 2.0
# the left panel's curves are task 4's moving average of the cost
BN_SMOOTHING = 0.95
# a run has trained if its cost on the 300 points ends below TRAINED: the
# runs end near 0.13, or stuck near ln 2 (every output 0.5), or diverged
TRAINED = 0.2


@functools.lru_cache(maxsize=None)
def moons():
    """examples/moons.py as a module, and its data (X, Y)."""
    spec = importlib.util.spec_from_file_location(
        'moons', os.path.join(ROOT, 'examples', 'moons.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, module.load_moons()


@functools.lru_cache(maxsize=None)
def moons_run(lr, seed, with_batch_norm):
    """The moons network trained by gradient descent at rate lr from
    initialization `seed`, with or without batch normalization: (its cost
    on the 300 points after each epoch, an array; for each unit of the
    last hidden layer, the share of the points on which it is active,
    z > 0, at the end: 0 is a dead unit)."""
    module, (X, Y) = moons()
    run = dict(rule='momentum', lr=lr, beta1=0.0,
               batch_norm=with_batch_norm)
    with np.errstate(all='ignore'):     # a diverging run's overflow
        params, costs = module.train(X, Y, run, epochs=BN_EPOCHS,
                                     init_seed=seed)
        cache = module.forward(params, X.T)[1]
    last = cache['a{}'.format(len(module.LAYERS) - 2)]
    return np.array(costs), tuple(np.mean(last > 0, axis=1))


def has_trained(costs):
    """Whether a run ends with a finite cost below TRAINED."""
    return bool(np.isfinite(costs[-1]) and costs[-1] < TRAINED)


def is_stuck(costs):
    """Whether a run ends at chance: every output 0.5, the cost ln 2 (to
    0.01)."""
    return bool(abs(costs[-1] - np.log(2)) < 0.01)


def trained_counts(with_batch_norm):
    """For each of BN_RATES, how many of the BN_SEEDS runs trained."""
    return [sum(has_trained(moons_run(lr, seed, with_batch_norm)[0])
                for seed in BN_SEEDS) for lr in BN_RATES]


def figure_batch_norm_moons(folder):
    """Left, the cost per epoch of the BN_SEEDS runs at BN_SHOWN_RATE,
    with batch normalization and without; right, how many of them train
    at each rate."""
    with style():
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 5))
        epochs = np.arange(1, BN_EPOCHS + 1)
        for with_bn, color, name in ((False, COLORS['gd'],
                                      'without batch norm'),
                                     (True, TEAL, 'with batch norm')):
            for seed in BN_SEEDS:
                costs = moons_run(BN_SHOWN_RATE, seed, with_bn)[0]
                finite = np.isfinite(costs)
                last = int(np.nonzero(finite)[0][-1])
                # task 4's moving average, as in section 9: the trend
                smooth = np.array(moving_average(
                    list(costs[:last + 1]), BN_SMOOTHING))
                ax.plot(epochs[:last + 1], smooth, color=color,
                        linewidth=1.8, alpha=0.9,
                        label=name if seed == 0 else None)
                if not finite[-1]:
                    ax.plot(epochs[last], smooth[-1], 'x', color=color,
                            markersize=11, markeredgewidth=2.5)
                    ax.annotate('blew up', (epochs[last], smooth[-1]),
                                xytext=(-8, 8), textcoords='offset points',
                                ha='right', color=color, fontsize=12)
        ax.axhline(np.log(2), color='0.4', linestyle=':', linewidth=1.2)
        stuck = sum(is_stuck(moons_run(BN_SHOWN_RATE, seed, False)[0])
                    for seed in BN_SEEDS)
        ax.text(BN_EPOCHS * 0.98, np.log(2) + 0.015, '{} runs, one on the '
                'other: stuck'.format(stuck), ha='right', va='bottom',
                fontsize=12, color=COLORS['gd'])
        ax.set_xlim(0, BN_EPOCHS)
        ax.set_ylim(0, 0.85)
        ax.set_xlabel('epoch')
        ax.set_ylabel('cost on the 300 training points')
        ax.set_title('at lr {:g}, from {} initializations (smoothed)'.format(
            BN_SHOWN_RATE, len(BN_SEEDS)))
        ax.grid(True, alpha=0.3)
        ax.legend(loc='center right')
        for with_bn, color, line, name in (
                (False, COLORS['gd'], '-', 'without batch norm'),
                (True, TEAL, '-', 'with batch norm')):
            ax2.plot(BN_RATES, trained_counts(with_bn), color=color,
                     linestyle=line, marker='o', markersize=8, label=name)
        ax2.set_xscale('log')
        ax2.set_xticks(BN_RATES, ['{:g}'.format(lr) for lr in BN_RATES])
        ax2.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax2.set_ylim(-0.3, len(BN_SEEDS) + 0.5)
        ax2.set_yticks(range(0, len(BN_SEEDS) + 1, 2))
        ax2.set_xlabel('learning rate')
        ax2.set_ylabel('initializations that train (of {})'.format(
            len(BN_SEEDS)))
        ax2.set_title('cost below {:g} after {:,} epochs'.format(
            TRAINED, BN_EPOCHS))
        ax2.grid(True, alpha=0.3)
        ax2.legend(loc='lower left')
        fig.suptitle('Of {} starts per rate, more train with batch '
                     'normalization, at every rate'.format(len(BN_SEEDS)))
        fig.tight_layout()
        save(fig, 'batch_norm_moons.png', folder)


FIGURE_FUNCTIONS = (figure_valley, figure_momentum,
                    figure_momentum_swing, figure_momentum_directions,
                    figure_momentum_roots, figure_momentum_regimes,
                    figure_momentum_gain, figure_rmsprop,
                    figure_rmsprop_ratios, figure_rmsprop_run_on,
                    figure_adam, figure_adam_noise, figure_adam_rates,
                    figure_moving_average,
                    figure_feature_scaling,
                    figure_batch_size, figure_decay, figure_schedules,
                    figure_batch_norm,
                    figure_batch_norm_moons, figure_loss_shapes,
                    figure_four)


def main(argv=None):
    """Draw every figure; print the numbers the captions quote."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--output', default=FIGURES,
                        help='folder for the PNG files (default: '
                        'docs/figures)')
    folder = parser.parse_args(argv).output
    for method, (lr, steps) in figure_valley(folder).items():
        print('valley: {:8} lr {:.3g}, within {:g} from step {}'.format(
            method, lr, RADIUS, steps))
    for draw in FIGURE_FUNCTIONS[1:]:
        draw(folder)
    for size in BATCH_SIZES:
        print('batch {:4}: {} updates, {:.3g} epochs to the floor'.format(
            size, *to_floor(size)))
    print('figures written to {}'.format(folder))


if __name__ == '__main__':
    main()
