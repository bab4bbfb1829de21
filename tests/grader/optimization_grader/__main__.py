#!/usr/bin/env python3
"""python3 -m optimization_grader: the optimization-grader command."""
import sys

from .cli import main

sys.exit(main())
