#!/usr/bin/env python3
"""The moons experiment (examples/moons.py), built from the numbered tasks."""
import functools
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from optimization_grader.paths import ROOT

pytest.importorskip('sklearn')
sys.path.insert(0, os.path.join(ROOT, 'examples'))
import moons  # noqa: E402

pytestmark = pytest.mark.project


def numeric_gradient(params, X, Y, key, h=1e-6):
    """Central differences of the cost with respect to params[key]."""
    grad = np.zeros_like(params[key])
    for i in np.ndindex(grad.shape):
        saved = params[key][i]
        params[key][i] = saved + h
        up = moons.cost(moons.forward(params, X)[0], Y)
        params[key][i] = saved - h
        down = moons.cost(moons.forward(params, X)[0], Y)
        params[key][i] = saved
        grad[i] = (up - down) / (2 * h)
    return grad


@pytest.mark.parametrize('A, Y, desired', [
    # outputs that round to their label: 0 log 0 = 0, a cost of 0
    ([[1.0, 0.0]], [[1.0, 0.0]], 0.0),
    # one that rounds to the other label: inf
    ([[1.0, 0.5]], [[0.0, 1.0]], np.inf),
    # a diverged run's nan output
    ([[np.nan, 0.5]], [[1.0, 1.0]], np.nan),
    # otherwise the formula: (ln 2 + ln 4) / 2 and ln(10 / 9)
    ([[0.5, 0.75]], [[1.0, 0.0]], (np.log(2) + np.log(4)) / 2),
    ([[0.9]], [[1.0]], np.log(10 / 9)),
])
def test_the_cost_takes_0_log_0_as_0(A, Y, desired):
    np.testing.assert_allclose(moons.cost(np.array(A), np.array(Y)),
                               desired, rtol=1e-15)


@pytest.mark.parametrize('batch_norm', [False, True])
def test_backward_matches_finite_differences(batch_norm):
    rng = np.random.default_rng(8)
    X = rng.normal(size=(2, 9))
    Y = (rng.uniform(size=(1, 9)) > 0.5).astype(float)
    params = moons.initialize(batch_norm)
    for key in params:            # move away from the zero biases
        params[key] = params[key] + rng.normal(scale=0.3,
                                               size=params[key].shape)
    A, cache = moons.forward(params, X)
    grads = moons.backward(params, cache, Y)
    assert sorted(grads) == sorted(params)
    for key in params:
        # central differences err by O(h^2) ~ 1e-12 plus rounding
        # 1e-16 / h ~ 1e-10: far below 1e-6
        np.testing.assert_allclose(grads[key],
                                   numeric_gradient(params, X, Y, key),
                                   rtol=1e-6, atol=1e-9, err_msg=key)


def notebook_training(X, Y, optimizer, epochs):
    """The notebook's own code for the first epochs, in its (nx, m) layout.

    Written from the notebook's formulas and opt_utils, independently of
    the numbered tasks: random_mini_batches, forward and backward
    propagation, and update_parameters_with_gd / momentum / adam.
    Returns the training-set cost after each epoch.
    """
    X, Y = X.T, Y.T
    np.random.seed(3)
    p = {}
    for layer in range(1, 4):
        n, n_prev = [2, 5, 2, 1][layer], [2, 5, 2, 1][layer - 1]
        p['W%d' % layer] = np.random.randn(n, n_prev) * np.sqrt(2 / n_prev)
        p['b%d' % layer] = np.zeros((n, 1))
    v = {k: np.zeros_like(a) for k, a in p.items()}
    s = {k: np.zeros_like(a) for k, a in p.items()}
    t, costs, lr = 0, [], 0.0007

    def forward(X):
        a1 = np.maximum(0, np.dot(p['W1'], X) + p['b1'])
        a2 = np.maximum(0, np.dot(p['W2'], a1) + p['b2'])
        a3 = 1 / (1 + np.exp(-(np.dot(p['W3'], a2) + p['b3'])))
        return a1, a2, a3

    for epoch in range(epochs):
        np.random.seed(11 + epoch)
        permutation = list(np.random.permutation(X.shape[1]))
        X_s, Y_s = X[:, permutation], Y[:, permutation]
        for k in range(0, X.shape[1], 64):
            x, y = X_s[:, k:k + 64], Y_s[:, k:k + 64]
            a1, a2, a3 = forward(x)
            m = x.shape[1]
            dz3 = 1. / m * (a3 - y)
            dz2 = np.multiply(np.dot(p['W3'].T, dz3), np.int64(a2 > 0))
            dz1 = np.multiply(np.dot(p['W2'].T, dz2), np.int64(a1 > 0))
            g = {'W3': np.dot(dz3, a2.T), 'b3': np.sum(dz3, 1, keepdims=True),
                 'W2': np.dot(dz2, a1.T), 'b2': np.sum(dz2, 1, keepdims=True),
                 'W1': np.dot(dz1, x.T), 'b1': np.sum(dz1, 1, keepdims=True)}
            t += 1
            for key in p:
                if optimizer == 'gd':
                    p[key] = p[key] - lr * g[key]
                elif optimizer == 'momentum':
                    v[key] = 0.9 * v[key] + (1 - 0.9) * g[key]
                    p[key] = p[key] - lr * v[key]
                else:
                    v[key] = 0.9 * v[key] + (1 - 0.9) * g[key]
                    v_corrected = v[key] / (1 - 0.9 ** t)
                    s[key] = 0.999 * s[key] + (1 - 0.999) * np.square(g[key])
                    s_corrected = s[key] / (1 - 0.999 ** t)
                    p[key] = p[key] - lr * (v_corrected / (
                        np.sqrt(s_corrected) + 1e-8))
        a3 = forward(X)[2]
        costs.append(float(1. / Y.shape[1] * np.sum(
            np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3),
                                                      1 - Y))))
    return costs


@pytest.mark.parametrize('name, optimizer', [
    ('Gradient descent', 'gd'), ('Momentum', 'momentum'), ('Adam', 'adam')])
def test_first_epochs_match_the_notebook_code(name, optimizer):
    X, Y = moons.load_moons()
    _, costs = moons.train(X, Y, moons.RUNS[name], epochs=20)
    # float64; the two differ only in the grouping of a few products
    np.testing.assert_allclose(costs, notebook_training(X, Y, optimizer, 20),
                               rtol=1e-12)


def test_the_data_is_the_notebooks():
    X, Y = moons.load_moons()
    assert X.shape == (300, 2) and Y.shape == (300, 1)
    assert sorted(np.unique(Y)) == [0, 1] and Y.sum() == 150


@functools.lru_cache(maxsize=None)
def runs():
    """Every row of moons.RUNS and every run of the sweep, trained once
    per session on all cores, as main() does: (results, sweep)."""
    with ProcessPoolExecutor() as pool:
        return moons.run_all(pool)


def results():
    """name -> (params, costs, correct, seconds) of every row of RUNS."""
    return runs()[0]


def sweep():
    """(method, lr) -> (costs, final cost, correct, seconds) of every run
    of the sweep."""
    return runs()[1]


@functools.lru_cache(maxsize=None)
def seed_orders():
    """The sweep from each of moons.ORDER_SEEDS, trained once per session
    on all cores: {seed: {method: (epochs until the cost stays below
    LEVEL, lr)}}."""
    with ProcessPoolExecutor() as pool:
        return moons.seed_orders(pool)


def test_first_and_stays_below_count_the_epochs_done():
    # costs[i] is the cost after i + 1 epochs: below 0.15 first after 2
    # epochs, for good from 4 on
    costs = [0.3, 0.14, 0.16, 0.13, 0.12]
    assert moons.first_below(costs, 0.15) == 2
    assert moons.stays_below(costs, 0.15) == 4
    assert moons.stays_below([0.1, 0.12], 0.15) == 0
    assert moons.first_below([0.3, 0.2], 0.15) is None
    assert moons.stays_below([0.1, 0.2], 0.15) is None
    # a diverged run's nan cost is not below the level
    assert moons.stays_below([0.1, float('nan'), 0.1], 0.15) == 3


def test_train_records_the_cost_after_every_epoch():
    X, Y = moons.load_moons()
    params, costs = moons.train(X, Y, moons.RUNS['Adam'], epochs=3)
    assert len(costs) == 3
    assert costs[-1] == moons.cost(moons.forward(params, X.T)[0], Y.T)


@pytest.mark.parametrize('method, rule, beta1', [
    ('Gradient descent', 'momentum', 0.0), ('Momentum', 'momentum', 0.9),
    ('Adam', 'adam', 0.9)])
def test_the_sweep_runs_each_method_as_its_row(method, rule, beta1):
    # the sweep's settings are the notebook rows' (task 5 with beta1 0
    # or 0.9, task 9 with the defaults) at another rate: its curves start
    # as a run of RUNS's settings at that rate does
    X, Y = moons.load_moons()
    settings = dict(moons.RUNS[method])
    assert (settings['rule'], settings.get('beta1', 0.9)) == (rule, beta1)
    for lr in moons.SWEEP[method][1][:2]:
        settings['lr'] = lr
        _, costs = moons.train(X, Y, settings, epochs=30)
        curve = sweep()[method, lr][0]
        assert len(curve) == moons.SWEEP_EPOCHS
        np.testing.assert_array_equal(costs, curve[:30])


@pytest.mark.parametrize('name, correct', [
    ('Gradient descent', 239), ('Momentum', 239), ('Adam', 282)])
def test_notebook_accuracies(name, correct):
    # the notebook's table: 79.7 %, 79.7 % and 94 % of 300 points
    assert results()[name][2] == correct


@pytest.mark.parametrize('name', list(moons.RUNS))
def test_drawn_regions_agree_with_the_reported_accuracy(name):
    # each training point takes the class of its nearest grid node in the
    # figure; a point within half a grid cell of the boundary may differ
    X, Y = moons.load_moons()
    params, _, correct, _ = results()[name]
    regions = moons.drawn_regions(params, moons.training_statistics(params,
                                                                    X))
    xx, yy = moons.GRID
    col = np.rint((X[:, 0] - xx[0, 0]) / (xx[0, 1] - xx[0, 0])).astype(int)
    row = np.rint((X[:, 1] - yy[0, 0]) / (yy[1, 0] - yy[0, 0])).astype(int)
    drawn = int(np.sum(regions[row, col] == Y.ravel()))
    assert abs(drawn - correct) <= 2, (drawn, correct)


def test_inference_uses_the_training_statistics():
    # a batch-normalized network must not depend on the other points it is
    # asked about: one point alone gets the same prediction as in the set
    X, Y = moons.load_moons()
    params = results()['Adam + batch norm'][0]
    stats = moons.training_statistics(params, X)
    together = moons.predict(params, X, stats)
    alone = [moons.predict(params, X[i:i + 1], stats)[0] for i in range(20)]
    np.testing.assert_array_equal(alone, together[:20])


def test_readme_table_is_what_the_script_prints():
    X, Y = moons.load_moons()
    with open(os.path.join(ROOT, 'README.md')) as f:
        readme = f.read()
    for name, (params, _, correct, _) in results().items():
        final = moons.cost(moons.forward(params, X.T)[0], Y.T)
        row = '| {} | {:.4f} | {}/300 = {:.1f} % |'.format(
            name, final, correct, correct / 3)
        assert row in readme, row


def test_the_seed_sweep_repeats_the_sweep_from_the_notebooks_seed():
    # seed_orders trains the sweep again from each initialization; from
    # the notebook's it must find what the sweep itself finds
    orders = seed_orders()
    assert list(orders) == list(moons.ORDER_SEEDS)
    assert moons.INIT_SEED in orders
    assert orders[moons.INIT_SEED] == {
        method: moons.best_of_sweep(sweep(), method, moons.stays_below)
        for method in moons.SWEEP}
