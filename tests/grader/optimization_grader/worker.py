#!/usr/bin/env python3
"""A worker: the only place a task's module runs, a fresh interpreter.

    python3 -I worker.py STAGING STEM NAME KIND IN_FD OUT_FD SETTINGS

STAGING is a folder holding the task's file from the solution and those
of the tasks it uses; STEM the task's file name without .py; NAME its
function; KIND 'numpy' or 'tensorflow'; SETTINGS confine.py's settings as
JSON (limits, what to import before the module, so that its import time
is not the module's, and the run's user id).  Requests arrive on IN_FD
and answers leave on OUT_FD as codec messages; the solution's prints go
to this process's stdout, which the grader keeps.

Requests:
- {'op': 'load'}: import the module; answer what the course's checker
  reads of it (its docstrings, its function and that function's number
  of parameters).
- {'op': 'call', 'args': [...], 'seed': n}: call the task's function, with
  numpy's global random state seeded first when seed is given.
- {'op': 'probe', 'probe': name, 'args': [...], 'inputs': {...}}: call the
  function and measure what the result does (the TensorFlow tasks):
  steps of an optimizer, values of a schedule, a layer's output.

An answer is {'ok': True, 'value': ..., 'printed': ...} or {'ok': False,
'error': {'type', 'message', 'where'}}.  The grader decides what the
answer means; this process decides nothing.
"""
import contextlib
import importlib
import inspect
import io
import os
import sys
import traceback

PRINTED = 4000      # characters of what a call prints, kept for messages


class Capped(io.StringIO):
    """What a call prints, up to PRINTED characters."""

    def write(self, text):
        room = PRINTED - self.tell()
        if room > 0:
            super().write(str(text)[:room])
        return len(text)


def where(error, staging):
    """'5-momentum.py, line 12': the last line of the task's files that
    the error passed through, or ''."""
    found = ''
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.dirname(os.path.abspath(frame.filename)) == staging:
            found = '{}, line {}'.format(os.path.basename(frame.filename),
                                         frame.lineno)
    return found


def describe(error, staging):
    try:
        message = str(error)
    except Exception:
        message = ''
    return {'type': type(error).__name__, 'message': message[:600],
            'where': where(error, staging)}


def plain(value, depth=0):
    """A config-like value as plain data: numbers, strings, lists, dicts;
    anything else as its repr."""
    if depth > 8:
        return repr(value)[:100]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in value][:50]
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in list(
            value.items())[:50]}
    try:
        import numpy as np
        if isinstance(value, np.generic):
            return value.item()
    except Exception:
        pass
    return repr(value)[:200]


def kind_of(value):
    kind = type(value)
    return [(getattr(k, '__module__', '') or '') + '.' + k.__qualname__
            for k in kind.__mro__]


def config_of(value):
    try:
        return plain(value.get_config())
    except Exception:
        return None


# ---------------------------------------------------------------- probes

def optimizer_steps(function, args, var, grads):
    """Build the optimizer, apply each gradient to one float32 variable."""
    import numpy as np
    import tensorflow as tf
    optimizer = function(*args)
    found = {'type': kind_of(optimizer), 'config': config_of(optimizer),
             'is_none': optimizer is None, 'steps': None, 'error': None}
    if optimizer is None:
        return found
    try:
        variable = tf.Variable(np.asarray(var, np.float32))
        steps = []
        for grad in grads:
            optimizer.apply_gradients(
                [(tf.constant(np.asarray(grad, np.float32)), variable)])
            steps.append(np.array(variable.numpy(), dtype=np.float64))
        found['steps'] = steps
    except Exception as e:
        found['error'] = '{}: {}'.format(type(e).__name__, e)[:400]
    return found


def schedule_values(function, args, steps):
    """Build the schedule, and read its learning rate at each step."""
    import numpy as np
    schedule = function(*args)
    found = {'type': kind_of(schedule), 'config': config_of(schedule),
             'is_none': schedule is None, 'values': None, 'error': None}
    if schedule is None:
        return found
    try:
        found['values'] = [float(np.asarray(schedule(step)))
                           for step in steps]
    except Exception as e:
        found['error'] = '{}: {}'.format(type(e).__name__, e)[:400]
    return found


def batch_norm_layer(function, args, prev, n, activation_name):
    """Call create_batch_norm_layer and report the Dense layers it made
    (recorded by their class's __init__, however Dense was imported) and
    its output."""
    import numpy as np
    import tensorflow as tf
    activation = {'tanh': tf.nn.tanh, 'relu': tf.nn.relu,
                  'sigmoid': tf.nn.sigmoid, 'identity': tf.identity}[
                      activation_name]
    dense_class = tf.keras.layers.Dense
    created = []
    original = dense_class.__init__

    def recording(self, *a, **k):
        original(self, *a, **k)
        created.append(self)
    dense_class.__init__ = recording
    try:
        out = function(np.asarray(prev, np.float32), n, activation)
    finally:
        dense_class.__init__ = original
    found = {'type': kind_of(out), 'is_none': out is None,
             'is_tensor': bool(tf.is_tensor(out)), 'output': None,
             'dense': [], 'error': None}
    for dense in created:
        config = config_of(dense) or {}
        initializer = config.get('kernel_initializer')
        if not isinstance(initializer, dict):
            initializer = {'class_name': type(getattr(
                dense, 'kernel_initializer', None)).__name__,
                'config': plain(getattr(dense.kernel_initializer,
                                        'get_config', dict)())}
        found['dense'].append({
            'units': config.get('units'), 'use_bias': config.get('use_bias'),
            'initializer': initializer,
            'kernel': np.array(dense.kernel.numpy(), np.float64)
            if getattr(dense, 'kernel', None) is not None else None,
            'bias': np.array(dense.bias.numpy(), np.float64)
            if getattr(dense, 'bias', None) is not None else None})
    try:
        found['output'] = np.array(out, dtype=np.float64)
    except Exception as e:
        found['error'] = '{}: {}'.format(type(e).__name__, e)[:400]
    return found


PROBES = {'optimizer_steps': optimizer_steps,
          'schedule_values': schedule_values,
          'batch_norm_layer': batch_norm_layer}


# ------------------------------------------------------------------ main

def serve(staging, stem, name, fd_in, fd_out, codec):
    module, function = None, None
    while True:
        request = codec.receive(fd_in)
        if request is None:
            return
        printed = Capped()
        try:
            with contextlib.redirect_stdout(printed):
                op = request['op']
                if op == 'ready':
                    value = True
                elif op == 'load':
                    module = importlib.import_module(stem)
                    found = getattr(module, name, None)
                    function = found if callable(found) else None
                    value = {'module_doc': plain(getattr(module, '__doc__',
                                                         None)),
                             'exists': found is not None,
                             'callable': callable(found),
                             'doc': plain(getattr(found, '__doc__', None)),
                             'parameters': None}
                    if callable(found):
                        try:
                            value['parameters'] = len(inspect.signature(
                                found).parameters)
                        except (TypeError, ValueError):
                            pass
                elif function is None:
                    raise LookupError('{}.py has no function {}'.format(
                        stem, name))
                elif op == 'call':
                    if request.get('seed') is not None:
                        import random
                        import numpy as np
                        random.seed(request['seed'])
                        np.random.seed(request['seed'])
                    args = codec.decode(request['args'])
                    value = function(*args)
                    if inspect.isgenerator(value):
                        value = codec.Opaque('generator', 'a generator')
                elif op == 'probe':
                    args = codec.decode(request['args'])
                    inputs = codec.decode(request.get('inputs', {}))
                    value = PROBES[request['probe']](function, args, **inputs)
                else:
                    raise ValueError('unknown request {!r}'.format(op))
            if isinstance(value, codec.Opaque):
                tree = {'t': 'opaque', 'type': value.type_name,
                        'repr': value.text}
            else:
                tree = codec.encode(value)
            answer = {'ok': True, 'value': tree}
        except BaseException as e:      # SystemExit too: it is an answer
            answer = {'ok': False, 'error': describe(e, staging)}
        answer['printed'] = printed.getvalue()
        codec.send(fd_out, answer)


def _load(name):
    """A module of this worker's folder, by file name (nothing of the
    grader's package is importable here)."""
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        '_grader_' + name, os.path.join(here, name + '.py'))
    found = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(found)
    return found


def main():
    staging, stem, name, kind, fd_in, fd_out, settings = sys.argv[1:8]
    fd_in, fd_out = int(fd_in), int(fd_out)
    import json
    codec = _load('codec')
    # limits, numpy (and TensorFlow) imported, then the run's own user id:
    # all before any of the solution's code runs
    _load('confine').confine(json.loads(settings))
    # the task's folder first; nothing of the grader
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [staging] + [p for p in sys.path
                               if p and os.path.abspath(p) != here]
    serve(os.path.abspath(staging), stem, name, fd_in, fd_out, codec)


if __name__ == '__main__':
    main()
