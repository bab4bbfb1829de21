#!/usr/bin/env python3
"""Driver of task 4: moving average of San Francisco temperatures."""

import matplotlib.pyplot as plt
import numpy as np
import course  # puts the repository root on sys.path; shows the figure
moving_average = __import__('4-moving_average').moving_average

if __name__ == '__main__':
    data = [72, 78, 71, 68, 66, 69, 79, 79, 65, 64, 66, 78, 64, 64, 81, 71,
            69, 65, 72, 64, 60, 61, 62, 66, 72, 72, 67, 67, 67, 68, 75]
    days = list(range(1, len(data) + 1))
    m_avg = moving_average(data, 0.9)
    print(m_avg)
    plt.plot(days, data, 'r', days, m_avg, 'b')
    plt.xlabel('Day of Month')
    plt.ylabel('Temperature (Fahrenheit)')
    plt.title('SF Maximum Temperatures in October 2018')
    plt.legend(['actual', 'moving_average'])
    course.show()
