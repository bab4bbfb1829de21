#!/usr/bin/env python3
"""What a grading reads before any solution code runs, read so that a
solution cannot change what it means: a task's file, never through a
link; the course files, checked against their SHA-256."""
import hashlib
import os
import stat

from .paths import ROOT
from .sandbox import MAX_SOURCE
from .tasks import COURSE_FILES


def course_folders():
    """Where the course files are looked for, in order: the same as
    mains/course.py's folders() (a project test holds them equal)."""
    found = [os.getcwd(), os.path.join(ROOT, 'data')]
    if os.environ.get('OPTIMIZATION_DATA'):
        found.insert(0, os.path.abspath(os.environ['OPTIMIZATION_DATA']))
    return sorted(set(found), key=found.index)


def data_folder():
    """The folder holding all three course files, or None."""
    for folder in course_folders():
        if all(os.path.isfile(os.path.join(folder, f)) for f in COURSE_FILES):
            return folder
    return None


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(2 ** 20), b''):
            digest.update(block)
    return digest.hexdigest()


def verify_data(folder):
    """None if folder's course files are the course's (tasks.COURSE_FILES),
    else what is wrong, in one line."""
    for name, digest in COURSE_FILES.items():
        if sha256(os.path.join(folder, name)) != digest:
            return ('{} in {} is not the course\'s file (its SHA-256 '
                    'differs)'.format(name, folder))
    return None


def read_source(folder, name):
    """A task's file, read without following a link: (bytes, mode), None
    if there is no such file, or why it is not graded (one line: a link,
    not a plain file, too large) -- its content is never read then."""
    path = os.path.join(folder, name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        if os.path.islink(path):
            return ('{} is a symbolic link: only a plain file in the '
                    'solution folder is graded'.format(name))
        if not os.path.lexists(path):
            return None
        return '{} cannot be read'.format(name)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return '{} is not a plain file'.format(name)
        if info.st_size > MAX_SOURCE:
            return '{} is larger than {} MB'.format(
                name, MAX_SOURCE >> 20)
        chunks, size = [], 0
        while size <= MAX_SOURCE:
            chunk = os.read(fd, MAX_SOURCE + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_SOURCE:
            return '{} is larger than {} MB'.format(
                name, MAX_SOURCE >> 20)
        return b''.join(chunks), info.st_mode
    finally:
        os.close(fd)
