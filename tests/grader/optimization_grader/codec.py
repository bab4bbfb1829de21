#!/usr/bin/env python3
"""Plain data across the process boundary, as JSON: never pickle.

A worker runs a solution's code, so what it sends back is untrusted:
unpickling it could run code in the grader.  Values travel instead as
JSON trees of a few tagged types: None, bools, ints, floats, strings,
lists, tuples, string-keyed dicts, and numpy arrays and scalars of
numeric dtypes (their raw bytes in base64).  Anything else is described,
not sent: an `Opaque` with its type's name and a short repr.  decode()
checks every array's dtype, shape and size before it builds it.

Messages are framed by an 8-byte length, and capped at MAX_MESSAGE bytes
and MAX_ITEMS values, so that decoding one costs the grader at most a
small multiple of MAX_MESSAGE (a JSON list of small numbers costs about
40 bytes of Python objects a number, strings and base64 arrays about
their size); a message over either cap, or malformed in any way (even
nested deeper than the JSON parser can go), is a DecodeError at once.
"""
import base64
import json
import os
import select
import struct
import time

import numpy as np

MAX_MESSAGE = 32 * 2 ** 20       # bytes
MAX_ITEMS = 2 ** 20              # JSON values in one message
MAX_DEPTH = 32
DTYPES = {'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16',
          'uint32', 'uint64', 'float16', 'float32', 'float64', 'complex64',
          'complex128'}


class Opaque:
    """A value that could not be sent: what type it was, and its repr."""

    def __init__(self, type_name, text=''):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return self.text or '<{}>'.format(self.type_name)


class DecodeError(ValueError):
    """A worker sent something that is not a well-formed value."""


def type_name(value):
    """The qualified name of a value's type, e.g. 'numpy.ndarray'."""
    kind = type(value)
    module = getattr(kind, '__module__', '') or ''
    name = getattr(kind, '__qualname__', kind.__name__)
    return name if module == 'builtins' else '{}.{}'.format(module, name)


def encode(value, depth=0):
    """value as a JSON-able tree (in the worker)."""
    if depth > MAX_DEPTH:
        return {'t': 'opaque', 'type': type_name(value), 'repr': 'too deep'}
    if value is None or isinstance(value, (bool, str)):
        return value
    if type(value) is int:
        return value
    if type(value) is float:
        return {'t': 'float', 'v': repr(value)}
    if type(value) in (list, tuple):
        return {'t': type(value).__name__,
                'items': [encode(item, depth + 1) for item in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {'t': 'dict', 'items': {k: encode(v, depth + 1)
                                       for k, v in value.items()}}
    if isinstance(value, (np.ndarray, np.generic)) and \
            value.dtype.name in DTYPES:
        array = np.array(value, order='C')     # a scalar stays 0-d
        return {'t': 'ndarray' if isinstance(value, np.ndarray)
                else 'npscalar',
                'dtype': array.dtype.newbyteorder('<').str
                if array.dtype.byteorder == '>' else array.dtype.str,
                'shape': list(array.shape),
                'data': base64.b64encode(array.astype(
                    array.dtype.newbyteorder('<')).tobytes()).decode()}
    try:
        text = repr(value)
    except Exception:
        text = ''
    return {'t': 'opaque', 'type': type_name(value), 'repr': text[:300]}


def decode(tree, depth=0):
    """The value a tree stands for (in the grader); DecodeError if it is
    not one encode() could have made."""
    if depth > MAX_DEPTH + 1:
        raise DecodeError('nested too deeply')
    if tree is None or type(tree) in (bool, str, int):
        return tree
    if type(tree) is not dict:
        raise DecodeError('unexpected {}'.format(type(tree).__name__))
    tag = tree.get('t')
    if tag == 'float':
        return float(tree['v'])
    if tag in ('list', 'tuple'):
        items = [decode(item, depth + 1) for item in tree['items']]
        return items if tag == 'list' else tuple(items)
    if tag == 'dict':
        return {str(k): decode(v, depth + 1)
                for k, v in dict(tree['items']).items()}
    if tag in ('ndarray', 'npscalar'):
        try:
            dtype = np.dtype(str(tree['dtype']))
        except TypeError:
            raise DecodeError('bad dtype') from None
        if dtype.name not in DTYPES:
            raise DecodeError('dtype {} not allowed'.format(dtype))
        shape = tuple(int(n) for n in tree['shape'])
        if any(n < 0 for n in shape) or len(shape) > 32:
            raise DecodeError('bad shape')
        data = base64.b64decode(str(tree['data']), validate=True)
        if len(data) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise DecodeError('size does not match the shape')
        array = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        return array if tag == 'ndarray' else array[()]
    if tag == 'opaque':
        return Opaque(str(tree.get('type'))[:200],
                      str(tree.get('repr', ''))[:300])
    raise DecodeError('unknown tag {!r}'.format(tag)[:80])


def send(fd, message, deadline=None):
    """Write one message (a JSON-able dict) to file descriptor fd; with a
    deadline (time.monotonic()), fd is written without blocking and
    TimeoutError raised past it (a worker that stops reading its pipe
    cannot hold the grader)."""
    data = json.dumps(message).encode()
    if len(data) > MAX_MESSAGE or data.count(b',') + data.count(b'[') + \
            data.count(b':') > MAX_ITEMS:
        data = json.dumps({'ok': False, 'error': {
            'type': 'GraderLimit', 'message': 'the result is larger than '
            'the grader takes ({} MB, {} values)'.format(
                MAX_MESSAGE >> 20, MAX_ITEMS)}}).encode()
    data = struct.pack('<Q', len(data)) + data
    if deadline is None:
        while data:
            data = data[os.write(fd, data):]
        return
    os.set_blocking(fd, False)
    while data:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError('the request was not read in time')
        _, ready, _ = select.select([], [fd], [], min(left, 0.5))
        if ready:
            try:
                data = data[os.write(fd, data):]
            except BlockingIOError:
                pass


def read_exactly(fd, size):
    """size bytes from fd, or fewer at end of file."""
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 2 ** 20))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b''.join(chunks)


def receive(fd):
    """Read one message from fd: a dict, or None at end of file.

    Raises DecodeError if what arrives is not a message."""
    header = read_exactly(fd, 8)
    if not header:
        return None
    if len(header) < 8:
        raise DecodeError('a cut-off message')
    size, = struct.unpack('<Q', header)
    if size > MAX_MESSAGE:
        raise DecodeError('a message of {} bytes'.format(size))
    data = read_exactly(fd, size)
    if len(data) < size:
        raise DecodeError('a cut-off message')
    # every value but the outermost follows a '[', ',' or ':'
    items = data.count(b',') + data.count(b'[') + data.count(b':')
    if items > MAX_ITEMS:
        raise DecodeError('a message of more than {} values'.format(
            MAX_ITEMS))
    try:
        message = json.loads(data.decode())
    except (UnicodeDecodeError, ValueError, RecursionError, MemoryError):
        raise DecodeError('a message that is not JSON, or nested too '
                          'deeply') from None
    if type(message) is not dict:
        raise DecodeError('a message that is not an object')
    return message
