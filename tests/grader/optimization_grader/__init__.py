#!/usr/bin/env python3
"""The optimization project's grader: `python3 -m pytest --solution PATH`.

A pytest plugin (plugin.py) that grades a solution folder task by task,
running the solution's code only in worker processes (sandbox.py,
worker.py) and judging what they send back in its own process (checks.py,
outputs.py) against the facts of one task table (tasks.py).
"""
