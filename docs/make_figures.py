#!/usr/bin/env python3
"""Draw the figures of docs/optimization-explained.md from the numbered tasks.

Run from anywhere: python3 docs/make_figures.py
It writes the PNG files under docs/figures/ (the moons figures of the post
come from examples/moons.py).
"""
import os
import sys

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
create_mini_batches = __import__('3-mini_batch').create_mini_batches
moving_average = __import__('4-moving_average').moving_average
update_variables_momentum = __import__('5-momentum').update_variables_momentum
update_variables_RMSProp = __import__('7-RMSProp').update_variables_RMSProp
update_variables_Adam = __import__('9-Adam').update_variables_Adam
learning_rate_decay = __import__('11-learning_rate_decay').learning_rate_decay
batch_norm = __import__('13-batch_norm').batch_norm

FIGURES = os.path.join(ROOT, 'docs', 'figures')
# f(x, y) = (x^2 + 20 y^2) / 2: 20 times steeper across the valley than
# along it, the shape that makes plain gradient descent zigzag
CURVATURE = np.array([1.0, 20.0])
START = np.array([-9.0, 1.5])


def valley_paths(steps=60):
    """Paths of GD, momentum, RMSProp and Adam on the valley, from START."""
    def grad(p):
        return CURVATURE * p

    rules = {
        'gradient descent (lr 0.09)': lambda p, v, s, t: (
            update_variables_momentum(0.09, 0.0, p, grad(p), v) + (s,)),
        'momentum (lr 0.09, beta1 0.9)': lambda p, v, s, t: (
            update_variables_momentum(0.09, 0.9, p, grad(p), v) + (s,)),
        'RMSProp (lr 0.3, beta2 0.9)': lambda p, v, s, t: (
            (lambda r: (r[0], v, r[1]))(update_variables_RMSProp(
                0.3, 0.9, 1e-8, p, grad(p), s))),
        'Adam (lr 0.6, beta1 0.9, beta2 0.999)': lambda p, v, s, t:
            update_variables_Adam(0.6, 0.9, 0.999, 1e-8, p.copy(), grad(p),
                                  v, s, t),
    }
    paths = {}
    for name, rule in rules.items():
        p, v, s, path = START.copy(), 0, 0, [START.copy()]
        for t in range(1, steps + 1):
            p, v, s = rule(p, v, s, t)
            path.append(p.copy())
        paths[name] = np.array(path)
    return paths


def figure_valley():
    """The picture at the top: four optimizers on one ill-conditioned bowl."""
    x, y = np.meshgrid(np.linspace(-10, 2, 300), np.linspace(-2.2, 2.2, 200))
    f = (CURVATURE[0] * x ** 2 + CURVATURE[1] * y ** 2) / 2
    fig, ax = plt.subplots(figsize=(10, 4.2))
    ax.contour(x, y, f, levels=np.geomspace(0.05, 120, 14), colors='0.75',
               linewidths=0.8)
    for (name, path), color in zip(valley_paths().items(),
                                   ['C3', 'C0', 'C2', 'C1']):
        ax.plot(path[:, 0], path[:, 1], '.-', color=color, label=name,
                markersize=4, linewidth=1.2)
    ax.plot(0, 0, 'k*', markersize=12)
    ax.set_title('60 steps on f(x, y) = (x² + 20 y²) / 2 from (-9, 1.5), '
                 'drawn with tasks 5, 7 and 9')
    ax.legend(loc='lower right', fontsize=9)
    ax.set_xlabel('x')
    ax.set_ylabel('y')
    save(fig, 'valley.png')


def figure_moving_average():
    """Task 4 with and without its bias correction."""
    data = [72, 78, 71, 68, 66, 69, 79, 79, 65, 64, 66, 78, 64, 64, 81, 71,
            69, 65, 72, 64, 60, 61, 62, 66, 72, 72, 67, 67, 67, 68, 75]
    beta = 0.9
    corrected = np.array(moving_average(data, beta))
    t = np.arange(1, len(data) + 1)
    # task 4 returns v / (1 - beta ** t): multiply back to get the raw v
    raw = corrected * (1 - beta ** t)
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(t, data, 'o', color='0.6', label='daily maximum')
    ax.plot(t, corrected, 'C0-', label='moving average, bias-corrected')
    ax.plot(t, raw, 'C3--', label='moving average, no correction')
    ax.set_xlabel('day of October 2018')
    ax.set_ylabel('°F')
    ax.set_title('San Francisco temperatures, beta = 0.9 (task 4)')
    ax.legend()
    save(fig, 'moving_average.png')


def figure_decay():
    """Task 11's stepwise inverse time decay over 100 steps."""
    steps = np.arange(100)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for rate, color in [(1, 'C0'), (0.5, 'C1'), (2, 'C2')]:
        ax.step(steps, [learning_rate_decay(0.1, rate, int(i), 10)
                        for i in steps], where='post', color=color,
                label='decay_rate {}'.format(rate))
    ax.set_xlabel('global_step')
    ax.set_ylabel('learning rate')
    ax.set_title('alpha / (1 + decay_rate * floor(step / 10)), alpha = 0.1 '
                 '(task 11)')
    ax.legend()
    save(fig, 'decay.png')


def figure_batch_norm():
    """A layer's pre-activations and tanh outputs, before and after BN."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 20))
    W = rng.normal(scale=0.6, size=(20, 4))
    Z = X @ W + [4.0, -3.0, 6.0, 1.5]      # units far from 0, of wide spread
    Z_bn = batch_norm(Z, np.ones((1, 4)), np.zeros((1, 4)), 1e-7)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    bins = np.linspace(-1, 1, 41)
    for k in range(4):
        axes[0].hist(np.tanh(Z[:, k]), bins=bins, alpha=0.5,
                     label='unit {}'.format(k + 1))
        axes[1].hist(np.tanh(Z_bn[:, k]), bins=bins, alpha=0.5)
    axes[0].set_title('tanh(z): piled up at -1 and 1, where its slope is 0')
    axes[1].set_title('tanh(batch_norm(z)): spread over the slope')
    axes[0].legend(fontsize=8)
    for ax in axes:
        ax.set_xlabel('activation')
    fig.suptitle('Four units of one layer, 1000 examples (task 13)')
    fig.tight_layout()
    save(fig, 'batch_norm.png')


def figure_batch_size():
    """Logistic-regression cost per update for several batch sizes."""
    rng = np.random.default_rng(1)
    m = 2048
    X = rng.normal(size=(m, 2))
    Y = (X @ [1.5, -2.0] + rng.normal(scale=2.0, size=m) > 0).astype(float)
    Y = Y.reshape(-1, 1)

    def cost(W):
        A = 1 / (1 + np.exp(-X @ W))
        return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))

    fig, ax = plt.subplots(figsize=(8, 4))
    np.random.seed(0)
    for batch_size, color in [(8, 'C3'), (64, 'C1'), (512, 'C0'),
                              (m, 'k')]:
        W, costs = np.zeros((2, 1)), [cost(np.zeros((2, 1)))]
        while len(costs) < 200:
            for X_b, Y_b in create_mini_batches(X, Y, batch_size):
                A = 1 / (1 + np.exp(-X_b @ W))
                W, _ = update_variables_momentum(
                    2.0, 0.0, W, X_b.T @ (A - Y_b) / len(X_b), 0)
                costs.append(cost(W))
        label = 'full batch' if batch_size == m else 'batch {}'.format(
            batch_size)
        ax.plot(costs[:200], color=color, label=label, linewidth=1)
    ax.set_xlabel('update')
    ax.set_ylabel('cost on all 2048 points')
    ax.set_title('Smaller batches: cheaper, noisier steps (tasks 3 and 5)')
    ax.set_ylim(0.42, 0.62)
    ax.legend()
    save(fig, 'batch_size.png')


def save(fig, name):
    """Write a figure to docs/figures/ and close it."""
    os.makedirs(FIGURES, exist_ok=True)
    fig.savefig(os.path.join(FIGURES, name), dpi=90, bbox_inches='tight')
    plt.close(fig)


if __name__ == '__main__':
    figure_valley()
    figure_moving_average()
    figure_decay()
    figure_batch_norm()
    figure_batch_size()
    print('figures written to {}'.format(FIGURES))
