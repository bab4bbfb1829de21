#!/usr/bin/env python3
"""The notebook's experiment, rebuilt from the project's functions.

deeplearning.ai's "Optimization Methods" trains a 3-layer network
(2 -> 5 -> 2 -> 1, ReLU, ReLU, sigmoid) on 300 "moons" points with
mini-batch gradient descent, momentum and Adam, and ends with a table:
79.7 %, 79.7 % and 94 % training accuracy.  This script reproduces those
three rows exactly (239, 239 and 282 of 300) with the numbered functions:
3-mini_batch shuffles and cuts the batches, 5-momentum, 7-RMSProp and
9-Adam update the parameters, 11-learning_rate_decay decays the rate and
13-batch_norm normalizes the hidden layers.  It adds three rows: RMSProp,
Adam with stepwise learning-rate decay, and Adam with batch normalization;
three control rows at 10 times the rate; and a sweep of learning rates
(1000 epochs each), which compares the methods each at a rate of its own
size: how soon the cost falls below 0.15, and how soon it stays there;
the sweep is repeated from ten initializations, to see whether the order
of the methods is the notebook's initialization's alone.

The numbered functions take data as (m, nx); the network computes in the
notebook's (nx, m) layout, so each batch is transposed on the way in.

Run from anywhere: python3 examples/moons.py [--output FOLDER]
It prints the tables and saves the figures under examples/figures/ (or
FOLDER).
"""
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
create_mini_batches = __import__('3-mini_batch').create_mini_batches
update_variables_momentum = __import__('5-momentum').update_variables_momentum
update_variables_RMSProp = __import__('7-RMSProp').update_variables_RMSProp
update_variables_Adam = __import__('9-Adam').update_variables_Adam
learning_rate_decay = __import__('11-learning_rate_decay').learning_rate_decay
batch_norm = __import__('13-batch_norm').batch_norm

LAYERS = [2, 5, 2, 1]
EPSILON_BN = 1e-7
FIGURES = os.path.join(ROOT, 'examples', 'figures')

# name: the optimizer and its hyperparameters.  The first three are the
# notebook's; the others are this project's (see README): RMSProp, decay
# and batch norm, and three controls at 10 times the rate, which show how
# much of the gap between the notebook's rows is the learning rate
RUNS = {
    'Gradient descent': dict(rule='momentum', lr=0.0007, beta1=0.0),
    'Momentum': dict(rule='momentum', lr=0.0007, beta1=0.9),
    'Adam': dict(rule='adam', lr=0.0007),
    'RMSProp': dict(rule='rmsprop', lr=0.0007, beta2=0.999),
    'Adam + lr decay': dict(rule='adam', lr=0.007, decay_rate=1.0,
                            decay_step=1000),
    'Adam + batch norm': dict(rule='adam', lr=0.0007, batch_norm=True),
    'Gradient descent, lr 0.007': dict(rule='momentum', lr=0.007, beta1=0.0),
    'Momentum, lr 0.007': dict(rule='momentum', lr=0.007, beta1=0.9),
    'Adam, lr 0.007': dict(rule='adam', lr=0.007),
}
# The sweep: for each method, rates 1.5 to 2.5 times apart, from too small
# to too large, each trained SWEEP_EPOCHS epochs.  Gradient descent's step
# is lr times the gradient, Adam's about lr: their useful rates differ by
# a factor of about 100, so one nominal rate cannot be fair to both
SWEEP = {
    'Gradient descent': (dict(rule='momentum', beta1=0.0),
                         (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0)),
    'Momentum': (dict(rule='momentum', beta1=0.9),
                 (0.2, 0.5, 1.0, 2.0, 5.0, 10.0)),
    'Adam': (dict(rule='adam'), (0.005, 0.01, 0.02, 0.05, 0.1)),
}
SWEEP_EPOCHS = 1000
LEVEL = 0.15
INIT_SEED = 3
# the initializations the sweep is repeated from (INIT_SEED among them)
ORDER_SEEDS = range(10)

# the plotting grid of the decision boundaries: x from -1.5 to 2.5, y from
# -1 to 1.5
GRID = np.meshgrid(np.linspace(-1.5, 2.5, 300), np.linspace(-1, 1.5, 250))


def load_moons():
    """The notebook's 300 training points, X (300, 2) and Y (300, 1)."""
    from sklearn.datasets import make_moons
    np.random.seed(3)
    X, Y = make_moons(n_samples=300, noise=0.2)
    return X, Y.reshape(-1, 1).astype(float)


def initialize(batch_norm_layers=False, seed=INIT_SEED):
    """He initialization after np.random.seed(seed); the notebook's seed
    is 3.

    With batch normalization the hidden layers have gamma and beta
    (n, 1) instead of a bias, which the normalization would cancel.
    """
    np.random.seed(seed)
    params = {}
    for k in range(1, len(LAYERS)):
        params['W%d' % k] = (np.random.randn(LAYERS[k], LAYERS[k - 1])
                             * np.sqrt(2 / LAYERS[k - 1]))
        if batch_norm_layers and k < len(LAYERS) - 1:
            params['gamma%d' % k] = np.ones((LAYERS[k], 1))
            params['beta%d' % k] = np.zeros((LAYERS[k], 1))
        else:
            params['b%d' % k] = np.zeros((LAYERS[k], 1))
    return params


def forward(params, X, stats=None):
    """Return the output (1, m) for X (nx, m), and the cache for backward.

    z = W @ a + b; hidden layers: a = relu(z), or relu(bn(z)) with
    bn(z) = gamma * (z - mu) / sqrt(var + eps) + beta.  In training, mu and
    var are the batch's (task 13).  At inference, pass stats, {k: (mu,
    var)} from training_statistics: each point is then normalized with the
    training set's statistics, not with those of the points it comes with.
    """
    cache, a = {'a0': X}, X
    L = len(LAYERS) - 1
    for k in range(1, L + 1):
        W = params['W%d' % k]
        if 'gamma%d' % k in params:
            cache['z%d' % k] = z = W @ a
            gamma, beta = params['gamma%d' % k], params['beta%d' % k]
            if stats is None:
                # task 13 works on (m, n): transpose in and out
                z = batch_norm(z.T, gamma.T, beta.T, EPSILON_BN).T
            else:
                mu, var = stats[k]
                z = gamma * (z - mu) / np.sqrt(var + EPSILON_BN) + beta
        else:
            z = W @ a + params['b%d' % k]
        if k == L:
            with np.errstate(over='ignore'):    # a diverging run's z
                a = 1 / (1 + np.exp(-z))
        else:
            a = np.maximum(z, 0)
        cache['a%d' % k] = a
    return a, cache


def cost(A, Y):
    """Binary cross-entropy averaged over the examples (A, Y: (1, m)),
    with 0 log 0 = 0: an output that rounds to its label (a sure right
    answer) costs 0, one that rounds to the other label costs inf (a
    diverging run), and a nan output (a diverged one) gives nan.  Where
    no output rounds to 0 or 1, the same bits as
    -(Y log A + (1 - Y) log(1 - A))."""
    with np.errstate(divide='ignore'):
        return float(np.mean(-np.where(Y == 1, np.log(A), np.log(1 - A))))


def backward(params, cache, Y):
    """Gradients of the averaged cost with respect to every parameter."""
    m, L = Y.shape[1], len(LAYERS) - 1
    grads = {}
    dz = (cache['a%d' % L] - Y) / m
    for k in range(L, 0, -1):
        a_prev = cache['a%d' % (k - 1)]
        if 'gamma%d' % k in params:
            z = cache['z%d' % k]
            std = np.sqrt(z.var(axis=1, keepdims=True) + EPSILON_BN)
            z_norm = (z - z.mean(axis=1, keepdims=True)) / std
            grads['gamma%d' % k] = (dz * z_norm).sum(axis=1, keepdims=True)
            grads['beta%d' % k] = dz.sum(axis=1, keepdims=True)
            dz_norm = dz * params['gamma%d' % k]
            # through the batch mean and variance, not just the scaling
            dz = (dz_norm - dz_norm.mean(axis=1, keepdims=True) - z_norm
                  * (dz_norm * z_norm).mean(axis=1, keepdims=True)) / std
        else:
            grads['b%d' % k] = dz.sum(axis=1, keepdims=True)
        grads['W%d' % k] = dz @ a_prev.T
        if k > 1:
            dz = (params['W%d' % k].T @ dz) * (cache['a%d' % (k - 1)] > 0)
    return grads


class Optimizer:
    """One numbered update rule applied to every parameter, with state.

    The rules are elementwise, so the parameters are updated as one flat
    vector: one call per step instead of one per parameter, and the same
    numbers, bit for bit, as updating each parameter on its own.
    """

    def __init__(self, rule, lr, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 decay_rate=0.0, decay_step=1, batch_norm=False):
        self.rule, self.lr0, self.beta1, self.beta2 = rule, lr, beta1, beta2
        self.epsilon, self.decay = epsilon, (decay_rate, decay_step)
        self.batch_norm, self.v, self.s, self.t = batch_norm, 0, 0, 0

    def rate(self, epoch):
        """The learning rate of every update of an epoch (task 11)."""
        return learning_rate_decay(self.lr0, self.decay[0], epoch,
                                   self.decay[1])

    def update(self, var, grad, lr):
        """One step of the rule on the flat vector var of every parameter,
        grad its gradient; returns the new var.  t counts updates from
        1."""
        self.t += 1
        if self.rule == 'momentum':
            var, self.v = update_variables_momentum(lr, self.beta1, var,
                                                    grad, self.v)
        elif self.rule == 'rmsprop':
            var, self.s = update_variables_RMSProp(
                lr, self.beta2, self.epsilon, var, grad, self.s)
        else:
            var, self.v, self.s = update_variables_Adam(
                lr, self.beta1, self.beta2, self.epsilon, var, grad,
                self.v, self.s, self.t)
        return var


def flatten(params):
    """The parameters as one flat vector, in the order of sorted(params),
    and params with each value replaced by a view of it: writing into the
    vector updates them."""
    keys = sorted(params)
    flat = np.concatenate([params[key].ravel() for key in keys])
    start = 0
    for key in keys:
        size = params[key].size
        params[key] = flat[start:start + size].reshape(params[key].shape)
        start += size
    return flat, keys


def train(X, Y, run, epochs=10000, batch_size=64, init_seed=INIT_SEED):
    """Train the network; return its parameters and the cost on the
    whole training set after each epoch (costs[i]: after i + 1 epochs).

    He initialization after np.random.seed(init_seed) (the notebook's
    3).  Before epoch i the seed is 11 + i, as in the notebook, so that
    create_mini_batches draws the notebook's permutations.
    """
    optimizer = Optimizer(**run)
    params = initialize(optimizer.batch_norm, init_seed)
    flat, keys = flatten(params)
    costs = []
    for epoch in range(epochs):
        lr = optimizer.rate(epoch)
        np.random.seed(11 + epoch)
        for X_batch, Y_batch in create_mini_batches(X, Y, batch_size):
            _, cache = forward(params, X_batch.T)
            grads = backward(params, cache, Y_batch.T)
            flat[:] = optimizer.update(flat, np.concatenate(
                [grads[key].ravel() for key in keys]), lr)
        costs.append(cost(forward(params, X.T)[0], Y.T))
    return params, costs


def training_statistics(params, X):
    """{k: (mu, var)} of each batch-normalized layer's z on the whole
    training set X (m, nx), for inference ({} without batch norm)."""
    _, cache = forward(params, X.T)
    return {k: (cache['z%d' % k].mean(axis=1, keepdims=True),
                cache['z%d' % k].var(axis=1, keepdims=True))
            for k in range(1, len(LAYERS)) if 'gamma%d' % k in params}


def predict(params, X, stats):
    """0/1 predictions (m,) for X (m, nx), threshold 0.5, normalizing
    batch-normalized layers with `stats` (see training_statistics)."""
    return (forward(params, X.T, stats)[0] > 0.5).astype(int).ravel()


def drawn_regions(params, stats):
    """The predicted class on GRID, as the boundary figure draws it."""
    xx, yy = GRID
    return predict(params, np.c_[xx.ravel(), yy.ravel()], stats).reshape(
        xx.shape)


def first_below(costs, level=LEVEL):
    """The number of epochs after which the cost (costs[i]: after i + 1
    epochs) is first below `level`; None if it never is."""
    below = np.nonzero(np.asarray(costs) < level)[0]
    return int(below[0]) + 1 if len(below) else None


def stays_below(costs, level=LEVEL):
    """The number of epochs from which the cost stays below `level` to
    the end of the curve (0 if it always is); None if it is not below it
    at the end.  A nan cost (a diverged run) is not below."""
    above = np.nonzero(~(np.asarray(costs) < level))[0]
    if not len(above):
        return 0
    if above[-1] == len(costs) - 1:
        return None
    return int(above[-1]) + 2


def sweep_keys():
    """(method, lr) of every run of the sweep."""
    return [(method, lr) for method, (_, rates) in SWEEP.items()
            for lr in rates]


def best_of_sweep(sweep, method, criterion):
    """The rate of the sweep with the soonest first_below or stays_below
    (the criterion) for one method: (epoch, lr); (None, None) if no rate
    gets there."""
    reached = [(criterion(sweep[method, lr][0]), lr)
               for lr in SWEEP[method][1]
               if criterion(sweep[method, lr][0]) is not None]
    return min(reached) if reached else (None, None)


def plot(results, orders, X, Y, folder=FIGURES):
    """Save the decision boundaries and the cost curves as PNG files in
    `folder`.  results: {name: (params, costs, correct, seconds)}, as
    run_row returns them; orders: {seed: {method: (epochs, lr)}}, as
    seed_orders returns them."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    os.makedirs(folder, exist_ok=True)
    # sizes for a figure 10 inches wide shown at 700 px: 12.5 pt is 12 px
    style = {'font.size': 14, 'axes.titlesize': 14, 'axes.labelsize': 14,
             'legend.fontsize': 12.5, 'xtick.labelsize': 13.5,
             'ytick.labelsize': 13.5, 'figure.titlesize': 15,
             'savefig.dpi': 100}
    # matplotlib's defaults, whatever the caller or a matplotlibrc set
    with plt.rc_context():
        matplotlib.rcdefaults()
        plt.rcParams.update(style)
        plot_boundaries(results, X, Y, folder, plt)
        plot_costs(results, orders, folder, plt, matplotlib.ticker)


def plot_boundaries(results, X, Y, folder, plt):
    """The 3 x 3 panels of decision boundaries."""
    xx, yy = GRID
    fig, axes = plt.subplots(3, 3, figsize=(10, 10.4), sharex=True,
                             sharey=True)
    for ax, (name, (params, costs, correct, _)) in zip(axes.flat,
                                                       results.items()):
        stats = training_statistics(params, X)
        ax.contourf(xx, yy, drawn_regions(params, stats),
                    cmap=plt.cm.Spectral, alpha=0.8)
        ax.scatter(X[:, 0], X[:, 1], c=Y.ravel(), cmap=plt.cm.Spectral,
                   s=16, edgecolors='w', linewidths=0.5)
        # the points the network gets wrong, circled in black
        wrong = predict(params, X, stats) != Y.ravel()
        ax.scatter(X[wrong, 0], X[wrong, 1], s=70, facecolors='none',
                   edgecolors='k', linewidths=1.5)
        ax.set_title('{}\n{}/300 correct'.format(name, correct))
    for ax in axes[-1]:
        ax.set_xlabel('x1')
    for ax in axes[:, 0]:
        ax.set_ylabel('x2')
    fig.suptitle('Decision boundaries after 10 000 epochs; black circles: '
                 'the points\nmisclassified (batch norm predicts with the '
                 'training set\'s mean and variance)')
    fig.tight_layout()
    fig.savefig(os.path.join(folder, 'moons_boundaries.png'))
    plt.close(fig)


def plot_costs(results, orders, folder, plt, ticker):
    """Two panels (readable at 700 px): the cost after every epoch of the
    rows at the notebook's rate 0.0007, epochs on a log scale; and, from
    each initialization of orders, the epochs until each method's cost
    stays below LEVEL at its best rate of the sweep.  The rows at 0.007
    are in the tables (main), not drawn."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(10, 9.6), gridspec_kw={'height_ratios': [1.15, 1]})
    # one colour per method, as in the post's figures (docs/make_figures.py
    # COLORS): gradient descent red, momentum blue, RMSProp green, Adam
    # orange; batch norm purple
    colors = {'Gradient descent': 'C3', 'Momentum': 'C0', 'RMSProp': 'C2',
              'Adam': 'C1', 'Adam + batch norm': 'C4'}
    for name, (_, costs, _, _) in results.items():
        if RUNS[name]['lr'] > 0.001:
            continue
        # momentum dashed over gradient descent, which it tracks: wide
        # and light below it; so too RMSProp over Adam, which it tracks
        # from about 1500 epochs on (Adam's band below gradient
        # descent's, which it follows for the first epochs)
        style = dict(lw=2.5, color=colors[name])
        if name in ('Momentum', 'RMSProp'):
            style.update(linestyle='--', zorder=3)
        elif name == 'Gradient descent':
            style.update(lw=8, alpha=0.45)
        elif name == 'Adam':
            style.update(lw=8, alpha=0.45, zorder=1.9)
        # costs[i] is the cost after i + 1 epochs
        top.plot(np.arange(1, len(costs) + 1), costs, label=name, **style)
    top.axhline(LEVEL, color='0.3', linestyle=':', linewidth=1.2)
    # the dotted line says what it is, at the left, where every curve is
    # still far above it
    top.text(0.01, LEVEL * 1.04, 'cost {:g}: "good enough"'.format(LEVEL),
             transform=top.get_yaxis_transform(), ha='left', va='bottom',
             fontsize=13, color='0.3')
    top.set_xscale('log')
    top.set_yscale('log')
    # room below the curves for the legend
    top.set_xlim(1, 10000)
    top.set_ylim(0.05, 1)
    top.set_yticks([0.1, 0.15, 0.2, 0.3, 0.5, 0.7])
    top.yaxis.set_major_formatter(ticker.ScalarFormatter())
    top.yaxis.set_minor_formatter(ticker.NullFormatter())
    top.xaxis.set_major_formatter(ticker.ScalarFormatter())
    top.set_ylabel('cost (cross-entropy)')
    top.set_xlabel('epochs (log scale)')
    top.grid(True, which='major', alpha=0.3)
    top.legend(loc='lower left', ncol=2, columnspacing=1, handlelength=1.8,
               fontsize=13.5)
    top.set_title('One initialization at the notebook\'s rate, 0.0007: too '
                  'low for\ngradient descent and momentum')
    # the bottom panel: one column per initialization, one marker per
    # method, side by side; "never" (no rate of the sweep gets there
    # within SWEEP_EPOCHS) on a row of its own above the axis's top
    never = SWEEP_EPOCHS * 1.6
    markers = {'Gradient descent': 'o', 'Momentum': 's', 'Adam': '^'}
    seeds = sorted(orders)
    for k, method in enumerate(SWEEP):
        epochs = [orders[seed][method][0] for seed in seeds]
        bottom.scatter(
            [i + 0.22 * (k - 1) for i in range(len(seeds))],
            [never if e is None else e for e in epochs], s=90,
            marker=markers[method], color=colors[method], label=method,
            edgecolors='k', linewidths=0.6, zorder=3)
    bottom.axhline(SWEEP_EPOCHS * 1.25, color='0.3', linewidth=0.8)
    bottom.set_yscale('log')
    # room below the markers for the legend
    bottom.set_ylim(8, SWEEP_EPOCHS * 2.2)
    ticks = [10, 20, 50, 100, 200, 500, 1000]
    bottom.set_yticks(ticks + [never])
    bottom.set_yticklabels([str(t) for t in ticks] + ['never'])
    bottom.yaxis.set_minor_formatter(ticker.NullFormatter())
    bottom.set_xticks(range(len(seeds)))
    bottom.set_xticklabels([
        '{}\n(notebook)'.format(seed) if seed == INIT_SEED else str(seed)
        for seed in seeds])
    bottom.set_xlim(-0.6, len(seeds) - 0.4)
    bottom.set_xlabel('initialization (seed)')
    bottom.set_ylabel('epochs until the cost\nstays below {:g}'.format(LEVEL))
    bottom.grid(True, axis='y', which='major', alpha=0.3)
    bottom.legend(loc='lower left', ncol=3, fontsize=13.5)
    bottom.set_title('{} initializations, each method at its best rate of '
                     'the sweep:\nAdam first, then momentum, then gradient '
                     'descent'.format(len(seeds)))
    fig.tight_layout()
    fig.savefig(os.path.join(folder, 'moons_costs.png'))
    plt.close(fig)


def run_row(name):
    """Train one row of RUNS; return params, costs, correct, seconds."""
    start = time.perf_counter()
    X, Y = load_moons()
    params, costs = train(X, Y, RUNS[name])
    stats = training_statistics(params, X)
    correct = int(np.sum(predict(params, X, stats) == Y.ravel()))
    return params, costs, correct, time.perf_counter() - start


def sweep_row(key):
    """Train one run of the sweep, key = (method, lr), for SWEEP_EPOCHS
    epochs; return its costs, final cost, correct and seconds."""
    start = time.perf_counter()
    method, lr = key
    X, Y = load_moons()
    params, costs = train(X, Y, dict(SWEEP[method][0], lr=lr),
                          epochs=SWEEP_EPOCHS)
    correct = int(np.sum(predict(params, X, {}) == Y.ravel()))
    return (costs, cost(forward(params, X.T)[0], Y.T), correct,
            time.perf_counter() - start)


def seed_sweep_row(key):
    """The costs of one run of the sweep from another initialization,
    key = (method, lr, seed)."""
    method, lr, seed = key
    X, Y = load_moons()
    return train(X, Y, dict(SWEEP[method][0], lr=lr), epochs=SWEEP_EPOCHS,
                 init_seed=seed)[1]


def seed_orders(pool, seeds=ORDER_SEEDS):
    """The sweep from each initialization in seeds, on the pool's
    processes: {seed: {method: (epochs until the cost stays below LEVEL,
    lr)}}, each method at the rate that gets it there soonest ((None,
    None): no rate of the sweep does)."""
    keys = [(method, lr, seed) for seed in seeds
            for method, lr in sweep_keys()]
    costs = dict(zip(keys, pool.map(seed_sweep_row, keys)))
    return {seed: {method: best_of_sweep(
        {(m, lr): (costs[m, lr, seed],) for m, lr in sweep_keys()},
        method, stays_below) for method in SWEEP} for seed in seeds}


def run_all(pool):
    """Train every row of RUNS and every run of the sweep on the pool's
    processes: (results, sweep) as plot takes them.  The longest run,
    batch norm's, goes first."""
    names = sorted(RUNS, key=lambda name: not RUNS[name].get('batch_norm'))
    rows = [pool.submit(run_row, name) for name in names]
    runs = [pool.submit(sweep_row, key) for key in sweep_keys()]
    results = dict(zip(names, (row.result() for row in rows)))
    return ({name: results[name] for name in RUNS},
            dict(zip(sweep_keys(), (run.result() for run in runs))))


def main(argv=None):
    """Train every row and the sweep on all cores, print the tables, draw
    the figures (in examples/figures/, or in the folder given by
    --output)."""
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--output', default=FIGURES,
                        help='folder for the PNG files (default: '
                        'examples/figures)')
    folder = parser.parse_args(argv).output
    start = time.perf_counter()
    X, Y = load_moons()
    with ProcessPoolExecutor() as pool:
        results, sweep = run_all(pool)
        orders = seed_orders(pool)
    print('| optimizer | final cost | training accuracy | seconds |')
    print('| --- | ---: | ---: | ---: |')
    for name, (params, costs, correct, seconds) in results.items():
        print('| {} | {:.4f} | {}/300 = {:.1f} % | {:.1f} |'.format(
            name, cost(forward(params, X.T)[0], Y.T), correct,
            correct / 3, seconds))
    print('\nThe sweep, {} epochs each: the epochs after which the cost '
          'is first below {:g}, and from which it stays below it'.format(
              SWEEP_EPOCHS, LEVEL))
    print('\n| optimizer | lr | first below {0:g} | stays below {0:g} from '
          '| final cost | training accuracy |'.format(LEVEL))
    print('| --- | ---: | ---: | ---: | ---: | ---: |')
    for (method, lr), (costs, final, correct, _) in sweep.items():
        epochs = [first_below(costs), stays_below(costs)]
        print('| {} | {:g} | {} | {} | {:.4f} | {}/300 |'.format(
            method, lr, *['never' if e is None else e for e in epochs],
            final, correct))
    print('\nThe sweep from {} initializations: the epochs from which the '
          'cost stays below {:g}, each method at the rate that gets it '
          'there soonest\n'.format(len(orders), LEVEL))
    print('| initialization | ' + ' | '.join(SWEEP) + ' |')
    print('| ---: |' + ' ---: |' * len(SWEEP))
    for seed, best in orders.items():
        print('| {} | {} |'.format(seed, ' | '.join(
            'never' if epochs is None else '{} (lr {:g})'.format(epochs, lr)
            for epochs, lr in best.values())))
    print('\nAll runs: {:.1f} s on {} cores.'.format(
        time.perf_counter() - start, os.cpu_count()))
    plot(results, orders, X, Y, folder)
    print('figures saved in {}'.format(folder), file=sys.stderr)


if __name__ == '__main__':
    main()
