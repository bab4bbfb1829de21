#!/usr/bin/env python3
"""Driver of task 2: shuffle two small matrices the same way."""

import numpy as np
import course  # puts the repository root on sys.path
shuffle_data = __import__('2-shuffle_data').shuffle_data

if __name__ == '__main__':
    X = np.array([[1, 2],
                  [3, 4],
                  [5, 6],
                  [7, 8],
                  [9, 10]])
    Y = np.array([[11, 12],
                  [13, 14],
                  [15, 16],
                  [17, 18],
                  [19, 20]])

    np.random.seed(0)
    X_shuffled, Y_shuffled = shuffle_data(X, Y)

    print(X_shuffled)
    print(Y_shuffled)
