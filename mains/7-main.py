#!/usr/bin/env python3
"""Driver of task 7: logistic regression on Binary_Train with RMSProp."""

import matplotlib.pyplot as plt
import numpy as np
import course  # puts the repository root on sys.path; finds the data
update_variables_RMSProp = __import__('7-RMSProp').update_variables_RMSProp


def forward_prop(X, W, b):
    """Return the sigmoid activations of the logistic model."""
    Z = np.matmul(X, W) + b
    A = 1 / (1 + np.exp(-Z))
    return A


def calculate_grads(Y, A, W, b):
    """Return the gradients of the cost with respect to W and b."""
    m = Y.shape[0]
    dZ = A - Y
    dW = np.matmul(X.T, dZ) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    return dW, db


def calculate_cost(Y, A):
    """Return the cross-entropy cost."""
    m = Y.shape[0]
    loss = - (Y * np.log(A) + (1 - Y) * np.log(1 - A))
    cost = np.sum(loss) / m

    return cost


if __name__ == '__main__':
    lib_train = course.load('Binary_Train.npz')
    X_3D, Y = lib_train['X'], lib_train['Y'].T
    X = X_3D.reshape((X_3D.shape[0], -1))

    nx = X.shape[1]
    np.random.seed(0)
    W = np.random.randn(nx, 1)
    b = 0
    dW_prev = np.zeros((nx, 1))
    db_prev = 0
    for i in range(1000):
        A = forward_prop(X, W, b)
        if not (i % 100):
            cost = calculate_cost(Y, A)
            print('Cost after {} iterations: {}'.format(i, cost))
        dW, db = calculate_grads(Y, A, W, b)
        W, dW_prev = update_variables_RMSProp(0.001, 0.9, 1e-8, W, dW,
                                              dW_prev)
        b, db_prev = update_variables_RMSProp(0.001, 0.9, 1e-8, b, db,
                                              db_prev)
    A = forward_prop(X, W, b)
    cost = calculate_cost(Y, A)
    print('Cost after {} iterations: {}'.format(1000, cost))

    Y_pred = np.where(A >= 0.5, 1, 0)
    fig = plt.figure(figsize=(10, 10))
    for i in range(100):
        fig.add_subplot(10, 10, i + 1)
        plt.imshow(X_3D[i])
        plt.title(str(Y_pred[i, 0]))
        plt.axis('off')
    plt.tight_layout()
    course.show()
