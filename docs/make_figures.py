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
# f(x, y) = (x^2 + 50 y^2) / 2: 50 times steeper across the valley than
# along it (condition number 50), the shape that makes gradient descent
# zigzag or crawl
CURVATURE = np.array([1.0, 50.0])
START = np.array([-9.0, 1.5])
STEPS = 100
# each method gets the learning rate of this grid that leaves it closest
# to the minimum after STEPS steps
RATES = np.geomspace(0.001, 3, 36)
METHODS = {
    'gradient descent': 'gd',
    'momentum (beta1 0.9)': 'momentum',
    'RMSProp (beta2 0.9)': 'rmsprop',
    'Adam (beta1 0.9, beta2 0.999)': 'adam',
}


def valley_path(method, lr, steps=STEPS):
    """The points visited by `method` ('gd', 'momentum', 'rmsprop',
    'adam') with learning rate lr, from START; stops if it diverges."""
    p, v, s, path = START.copy(), 0, 0, [START.copy()]
    for t in range(1, steps + 1):
        grad = CURVATURE * p
        if method in ('gd', 'momentum'):
            beta1 = 0.0 if method == 'gd' else 0.9
            p, v = update_variables_momentum(lr, beta1, p, grad, v)
        elif method == 'rmsprop':
            p, s = update_variables_RMSProp(lr, 0.9, 1e-8, p, grad, s)
        else:
            p, v, s = update_variables_Adam(lr, 0.9, 0.999, 1e-8, p.copy(),
                                            grad, v, s, t)
        path.append(p.copy())
        if not np.linalg.norm(p) < 1e6:
            break
    return np.array(path)


def distance(path):
    """Distance to the minimum (0, 0) at each step (inf once diverged)."""
    d = np.linalg.norm(path, axis=1)
    return np.where(np.isfinite(d), d, np.inf)


def best_rates():
    """{method: (learning rate, distance after STEPS steps)}, the best
    rate of RATES for each method."""
    found = {}
    for method in METHODS.values():
        final = []
        for lr in RATES:
            path = valley_path(method, lr)
            final.append((distance(path)[-1] if len(path) == STEPS + 1
                          else np.inf, lr))
        d, lr = min(final)
        found[method] = (float(lr), float(d))
    return found


def figure_valley():
    """The picture at the top: four tuned optimizers on one narrow bowl."""
    rates = best_rates()
    x, y = np.meshgrid(np.linspace(-10, 2, 300), np.linspace(-2, 2, 200))
    f = (CURVATURE[0] * x ** 2 + CURVATURE[1] * y ** 2) / 2
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(13, 4.6),
                                  gridspec_kw={'width_ratios': [1.6, 1]})
    ax.contour(x, y, f, levels=np.geomspace(0.05, 150, 14), colors='0.75',
               linewidths=0.8)
    colors = ['C3', 'C0', 'C2', 'C1']
    for (name, method), color in zip(METHODS.items(), colors):
        lr, d = rates[method]
        path = valley_path(method, lr)
        label = '{}, lr {:.3g}'.format(name, lr)
        ax.plot(path[:, 0], path[:, 1], '.-', color=color, label=label,
                markersize=3, linewidth=1)
        ax2.semilogy(distance(path), color=color, label=label)
    ax.plot(0, 0, 'k*', markersize=12)
    ax.set_xlim(-10, 2)
    ax.set_ylim(-2, 2)
    ax.set_title('{} steps on f(x, y) = (x² + 50 y²) / 2 from (-9, 1.5)'
                 .format(STEPS))
    ax.set_xlabel('x')
    ax.set_ylabel('y')
    ax.legend(loc='lower right', fontsize=8)
    ax2.set_xlabel('step')
    ax2.set_ylabel('distance to the minimum')
    ax2.set_title('the same runs: distance to (0, 0)')
    ax2.grid(True, which='major', alpha=0.3)
    ax2.legend(loc='lower left', fontsize=8)
    fig.tight_layout()
    save(fig, 'valley.png')
    return rates


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
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    bins = np.linspace(-1, 1, 41)
    for k in range(4):
        label = 'unit {}: z mean {:.1f}, std {:.1f}'.format(
            k + 1, Z[:, k].mean(), Z[:, k].std())
        axes[0].hist(np.tanh(Z[:, k]), bins=bins, histtype='step',
                     linewidth=1.6, color='C{}'.format(k), label=label)
        axes[1].hist(np.tanh(Z_bn[:, k]), bins=bins, histtype='step',
                     linewidth=1.6, color='C{}'.format(k),
                     label='unit {}'.format(k + 1))
    axes[0].set_title('tanh(z): piled up at -1 and 1, where its slope is 0')
    axes[1].set_title('tanh(batch_norm(z)): spread over the slope')
    axes[0].set_ylabel('examples (of 1000) per bin of width 0.05')
    for ax in axes:
        ax.set_xlabel('activation tanh(.)')
        ax.legend(fontsize=8, loc='upper center')
    fig.suptitle('Four units of one layer, 1000 examples; batch_norm with '
                 'gamma 1, beta 0, epsilon 1e-7 (task 13)')
    fig.tight_layout()
    save(fig, 'batch_norm.png')


def batch_size_runs(sizes=(8, 64, 512, 2048), epochs=60):
    """Logistic regression on 2048 points by mini-batch gradient descent
    (tasks 3 and 5, lr 2.0): {batch size: (epochs, costs)}, the cost on
    all points after each update and the epochs done at that point."""
    rng = np.random.default_rng(1)
    m = 2048
    X = rng.normal(size=(m, 2))
    Y = (X @ [1.5, -2.0] + rng.normal(scale=2.0, size=m) > 0).astype(float)
    Y = Y.reshape(-1, 1)

    def cost(W):
        A = 1 / (1 + np.exp(-X @ W))
        return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))

    runs = {}
    np.random.seed(0)
    for batch_size in sizes:
        W, costs, seen = np.zeros((2, 1)), [cost(np.zeros((2, 1)))], [0]
        for _ in range(epochs):
            for X_b, Y_b in create_mini_batches(X, Y, batch_size):
                A = 1 / (1 + np.exp(-X_b @ W))
                W, _ = update_variables_momentum(
                    2.0, 0.0, W, X_b.T @ (A - Y_b) / len(X_b), 0)
                costs.append(cost(W))
                seen.append(seen[-1] + len(X_b) / m)
        runs[batch_size] = (np.array(seen), np.array(costs))
    return runs


def epochs_to_floor(runs, within=0.005):
    """{batch size: epochs until the cost is first within `within` of the
    lowest cost any run reaches}."""
    floor = min(costs.min() for _, costs in runs.values())
    return {size: float(seen[np.argmax(costs <= floor + within)])
            for size, (seen, costs) in runs.items()}


def figure_batch_size():
    """Cost per update and per epoch for several batch sizes."""
    runs = batch_size_runs()
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2), sharey=True)
    styles = {8: ('C3', '-'), 64: ('C1', '-'), 512: ('C0', '-'),
              2048: ('k', '--')}
    for size, (seen, costs) in runs.items():
        color, style = styles[size]
        label = 'full batch (2048)' if size == 2048 else 'batch {}'.format(
            size)
        # batch 8 is drawn thin and light: its noise would hide the others
        width, alpha = (0.6, 0.5) if size == 8 else (1.2, 1)
        axes[0].plot(costs[:201], color=color, linestyle=style, label=label,
                     linewidth=width, alpha=alpha)
        # from the first update on: epoch 0 has no place on a log axis
        axes[1].plot(seen[1:], costs[1:], color=color, linestyle=style,
                     linewidth=width, alpha=alpha)
    axes[0].set_xlabel('update (one gradient step)')
    axes[0].set_title('per update: small batches are noisy')
    axes[1].set_xlabel('epoch (one pass over the 2048 points)')
    axes[1].set_xscale('log')
    axes[1].set_xlim(0.003, 60)
    axes[1].set_title('per epoch: small batches get there sooner')
    axes[0].set_ylabel('cost on all 2048 points')
    axes[0].set_ylim(0.42, 0.62)
    axes[0].legend(loc='upper right')
    for ax in axes:
        ax.grid(True, alpha=0.3)
    fig.suptitle('Logistic regression, learning rate 2.0, mini-batches from '
                 'task 3, steps from task 5 with beta1 = 0')
    fig.tight_layout()
    save(fig, 'batch_size.png')
    return epochs_to_floor(runs)


def save(fig, name):
    """Write a figure to docs/figures/ and close it."""
    os.makedirs(FIGURES, exist_ok=True)
    fig.savefig(os.path.join(FIGURES, name), dpi=90, bbox_inches='tight')
    plt.close(fig)


if __name__ == '__main__':
    for method, (lr, d) in figure_valley().items():
        print('valley: {:8} lr {:.3g}, distance after {} steps {:.2g}'
              .format(method, lr, STEPS, d))
    figure_moving_average()
    figure_decay()
    figure_batch_norm()
    for size, epochs in figure_batch_size().items():
        print('batch {:4}: {:.3g} epochs to the floor'.format(size, epochs))
    print('figures written to {}'.format(FIGURES))
