"""Tasks 13 and 14: batch normalization, in numpy and in TensorFlow."""
import numpy as np
import pytest

from grading import function, reference
from test_normalization import PRINTED, driver_data

batch_norm = function('13-batch_norm')


@pytest.mark.task(13)
def test_documented():
    # the spec's output of 13-main: its first 3 rows
    Z = driver_data()
    gamma, beta = np.random.rand(1, 3), np.random.rand(1, 3)
    np.testing.assert_allclose(
        batch_norm(Z, gamma, beta, 1e-7)[:3],
        [[1.48744674, 0.95227432, 0.82862045],
         [0.63640336, -0.291899, 0.83717117],
         [0.99742624, -0.26214196, 0.92538004]], atol=PRINTED)


@pytest.mark.task(13)
def test_by_hand():
    # mu = 2, var = 1: Z_norm = [-1, 1]; times 2 plus 1 = [-1, 3]
    Z = np.array([[1.0], [3.0]])
    out = batch_norm(Z, np.array([[2.0]]), np.array([[1.0]]), 0)
    np.testing.assert_allclose(out, [[-1.0], [3.0]], rtol=1e-15)


@pytest.mark.task(13)
@pytest.mark.parametrize('epsilon', [0, 1e-7, 1e-2])
def test_unit_scale_gives_mean_0_and_shrunk_std(epsilon):
    rng = np.random.default_rng(4)
    Z = rng.normal(5, 3, size=(500, 6))
    out = batch_norm(Z, np.ones((1, 6)), np.zeros((1, 6)), epsilon)
    var = Z.var(axis=0)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-14)
    np.testing.assert_allclose(out.std(axis=0), np.sqrt(var / (var + epsilon)),
                               rtol=1e-13)


@pytest.mark.task(13)
def test_gamma_and_beta_can_undo_the_normalization():
    rng = np.random.default_rng(5)
    Z = rng.normal(-2, 4, size=(50, 3))
    gamma, beta = Z.std(axis=0, keepdims=True), Z.mean(axis=0, keepdims=True)
    np.testing.assert_allclose(batch_norm(Z, gamma, beta, 0), Z, rtol=1e-13)


@pytest.mark.project
@pytest.mark.parametrize('epsilon', [0, 1e-7])
def test_zero_variance_feature_becomes_beta(epsilon):
    Z = np.array([[4.0, 1.0], [4.0, 2.0], [4.0, 6.0]])
    out = batch_norm(Z, np.array([[3.0, 1.0]]), np.array([[0.5, 0.0]]),
                     epsilon)
    assert np.all(np.isfinite(out))
    np.testing.assert_array_equal(out[:, 0], 0.5)


@pytest.mark.project
def test_inputs_not_mutated():
    Z = driver_data()
    gamma, beta = np.ones((1, 3)), np.zeros((1, 3))
    copies = [a.copy() for a in (Z, gamma, beta)]
    batch_norm(Z, gamma, beta, 1e-7)
    for a, c in zip((Z, gamma, beta), copies):
        np.testing.assert_array_equal(a, c)


@pytest.mark.task(14)
class TestLayer:
    """Task 14 against task 13 on the same Dense output."""

    @pytest.fixture
    def layer(self, monkeypatch):
        """Call task 14 while recording the Dense layer it creates."""
        tf = pytest.importorskip('tensorflow')
        created = []

        class RecordingDense(tf.keras.layers.Dense):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                created.append(self)

        monkeypatch.setattr(tf.keras.layers, 'Dense', RecordingDense)
        create = function('14-batch_norm')

        def call(prev, n, activation):
            out = create(prev, n, activation)
            assert created, ('create_batch_norm_layer made no '
                             'tf.keras.layers.Dense layer')
            return out, created[-1]
        return call

    def test_dense_base_layer(self, layer):
        import tensorflow as tf
        rng = np.random.default_rng(6)
        out, dense = layer(rng.normal(size=(8, 5)).astype(np.float32), 4,
                           tf.nn.tanh)
        config = dense.get_config()
        assert config['units'] == 4
        initializer = config['kernel_initializer']
        assert initializer['class_name'] == 'VarianceScaling'
        assert initializer['config']['mode'] == 'fan_avg'
        assert tuple(out.shape) == (8, 4)
        assert out.dtype == tf.float32

    @pytest.mark.project
    def test_dense_has_no_bias(self, layer):
        # beta takes its place; a bias would be removed by the
        # normalization anyway
        import tensorflow as tf
        _, dense = layer(np.ones((4, 3), np.float32), 2, tf.nn.tanh)
        assert dense.get_config()['use_bias'] is False

    @pytest.mark.parametrize('activation', ['tanh', 'relu', 'identity'])
    def test_matches_task_13(self, layer, activation):
        # the batch's own statistics: a BatchNormalization layer called
        # in inference mode (its moving mean 0 and variance 1) fails here
        import tensorflow as tf
        rng = np.random.default_rng(7)
        X = rng.uniform(0, 1, size=(200, 30)).astype(np.float32)
        out, dense = layer(X, 16, {'tanh': tf.nn.tanh, 'relu': tf.nn.relu,
                                   'identity': tf.identity}[activation])
        Z = X.astype(float) @ dense.kernel.numpy().astype(float)
        if dense.use_bias:
            Z = Z + dense.bias.numpy()
        expected = reference('13-batch_norm').batch_norm(
            Z, np.ones((1, 16)), np.zeros((1, 16)), 1e-7)
        expected = {'tanh': np.tanh, 'relu': lambda z: np.maximum(z, 0),
                    'identity': lambda z: z}[activation](expected)
        # float32 layer against float64 numpy: normalized values of size
        # ~3 carry ~1e-6 of float32 rounding
        np.testing.assert_allclose(
            out.numpy(), expected, atol=1e-5,
            err_msg="not the batch norm of the layer's Dense output with "
                    "the batch's own mean and variance, epsilon 1e-7")
        assert isinstance(out, tf.Tensor)
