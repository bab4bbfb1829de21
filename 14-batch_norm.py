#!/usr/bin/env python3
"""Task 14: a batch-normalized Dense layer, in TensorFlow."""
import numpy as np
import tensorflow as tf


def create_batch_norm_layer(prev, n, activation):
    """Create a Dense layer with batch normalization; return its output.

    z = Dense(n, kernel_initializer=VarianceScaling(mode='fan_avg'))(prev)
    mu, var = tf.nn.moments(z, axes=[0])
    z_norm = (z - mu) / sqrt(var + 1e-7)
    a = activation(gamma * z_norm + beta)     # gamma = 1, beta = 0

    gamma and beta are trainable tf.Variables of shape (n,).  The Dense
    layer has no bias: beta takes its place, and a bias would be removed
    by the normalization anyway.

    Args:
        prev: tensor or numpy.ndarray of shape (m, nx), the activated
            output of the previous layer.
        n: positive int (Python's or numpy's), the number of nodes in
            the layer.
        activation: the activation function of the layer, e.g.
            tf.nn.tanh (anything tf.keras.activations.get accepts).

    Returns:
        A tensor of shape (m, n), the activated output of the layer.

    Raises:
        ValueError: if n is not a positive integer.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError("Argument `n` must be a positive integer. "
                         "Received: n={!r}".format(n))
    dense = tf.keras.layers.Dense(
        int(n), use_bias=False,     # Keras 3 takes no numpy integer
        kernel_initializer=tf.keras.initializers.VarianceScaling(
            mode='fan_avg'))
    z = dense(prev)
    mean, variance = tf.nn.moments(z, axes=[0])
    gamma = tf.Variable(tf.ones([n]), trainable=True, name='gamma')
    beta = tf.Variable(tf.zeros([n]), trainable=True, name='beta')
    z_norm = tf.nn.batch_normalization(z, mean, variance, offset=beta,
                                       scale=gamma, variance_epsilon=1e-7)
    return tf.keras.activations.get(activation)(z_norm)
