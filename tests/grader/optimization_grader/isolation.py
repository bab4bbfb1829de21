#!/usr/bin/env python3
"""How far a solution's processes are kept from everything else.

Three levels, strongest first; a run uses the strongest this machine
allows, or the one asked for (--isolation), and refuses to grade below
--require-isolation:

- 'bubblewrap': every worker and driver runs in a bwrap sandbox of its
  own.  It sees read-only the system (/usr, /etc), the Python
  environment and its own inputs (the staged numbered files, the
  worker's or driver's code, the course data); writable only its own
  folder, its /tmp and its HOME.  Nothing else of this repository (not
  the reference solutions, not tests/expected/, not the grader's
  package), no network, and PID, IPC and UTS namespaces of its own, so it
  cannot see, signal or trace the grader; --die-with-parent and
  --new-session.  When the grader runs as root, the sandboxed process
  runs as a user id of its own (setpriv, before the interpreter starts).
  When it ends, or is killed, the kernel ends everything it started.
- 'separate user' (root without bubblewrap): every run starts as an
  unprivileged user id of its own (setpriv, before the interpreter).  It
  cannot write the grader's files or signal its processes, and what it
  starts is stopped at once by that user id, then found and killed.  It
  can still read what every user may read (the reference solutions too),
  use the network, and write where every user may (/tmp, /var/tmp,
  /dev/shm) until the grading ends, which removes what its user ids left
  there.  A grading killed before it ends leaves those files, and its
  runs may keep running: no later grading uses their user ids while any
  of them runs.  It needs a Python environment that other users can read
  (a system Python or a virtual environment outside a private home).
- 'same user': today's isolation: fresh processes with limits, found by
  session and by a marker in their environment.  The solution can read
  and write whatever the user can, use the network, and stop or kill the
  grader.

UNPROTECTED says, for the weaker levels, what they leave open; the table
and the report print it.
"""
import functools
import itertools
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys

import psutil

LEVELS = ('same user', 'separate user', 'bubblewrap')
UNPROTECTED = {
    'bubblewrap': None,
    'separate user': 'without bubblewrap, solutions run as other user ids: '
                     'they can read what any user may read (the reference '
                     'solutions too), use the network, and write where any '
                     'user may until the grading ends',
    'same user': 'solutions run as this user: they can read and write '
                 "this user's files, use the network, and stop or kill "
                 'the grader; install bubblewrap (apt-get install '
                 'bubblewrap) or run as root for a stronger level',
}
# user ids for the runs of one grading: a block of UIDS_PER_GRADING ids
# that no other grading on this machine holds (see reserve_block), none
# a real user's (real ones are far below)
UID_BASE = 1000000000
UIDS_PER_GRADING = 256
BLOCKS = 2000000
# processes (threads included) one run's user id may have at once
PROCESSES = 1024
# bytes a sandboxed run may write in each of its folders (its working
# directory, HOME, /tmp), held in memory
WRITABLE = 64 * 2 ** 20


def _bwrap():
    return shutil.which('bwrap')


def _system_binds():
    """(option, source, destination) of what every sandbox sees of the
    system: /usr and /etc read-only, /bin, /lib... as they are (links on a
    merged /usr)."""
    found = [('--ro-bind', '/usr', '/usr'), ('--ro-bind', '/etc', '/etc')]
    for name in ('bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'):
        path = '/' + name
        if os.path.islink(path):
            found.append(('--symlink', os.readlink(path), path))
        elif os.path.isdir(path):
            found.append(('--ro-bind', path, path))
    return found


def python_paths():
    """The folders of this Python environment: its prefixes, and the
    installation its executable links to."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix,
             sys.base_exec_prefix,
             os.path.dirname(os.path.dirname(os.path.realpath(
                 sys.executable)))}
    found = sorted(os.path.realpath(p) for p in found if p)
    # a folder inside another is bound with it
    return [p for p in found if not any(
        p != q and p.startswith(q.rstrip('/') + '/') for q in found)]


@functools.lru_cache(maxsize=None)
def bubblewrap_works():
    """None if bwrap runs a sandbox here, else why not."""
    bwrap = _bwrap()
    if bwrap is None:
        return 'bwrap is not installed'
    argv = Isolation('bubblewrap').command(
        [sys.executable, '-I', '-c', 'pass'], uid=None, folder='/',
        reads=(), writes=())
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return 'bwrap did not run: {}'.format(e)
    if proc.returncode != 0:
        return 'bwrap could not make a sandbox here: {}'.format(
            proc.stderr.decode('utf-8', 'replace').strip()[:200])
    return None


@functools.lru_cache(maxsize=None)
def separate_user_works():
    """None if runs can have a user id of their own here, else why not."""
    if os.geteuid() != 0:
        return ('the grader does not run as root, so it cannot give '
                'solutions a user id of their own')
    if shutil.which('setpriv') is None:
        return 'setpriv (util-linux) is not installed'
    # it must be this very interpreter and environment: where another
    # user cannot read them, another Python may answer (the system's,
    # through the libraries the loader finds instead)
    code = 'import sys, numpy; print(sys.version, sys.prefix, numpy.__file__)'
    argv = setpriv(UID_BASE - 1) + [sys.executable, '-I', '-c', code]
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, cwd='/',
                              capture_output=True, timeout=120, text=True)
    except (OSError, subprocess.TimeoutExpired) as e:
        return 'setpriv did not run: {}'.format(e)
    import numpy
    if proc.stdout.strip() != '{} {} {}'.format(sys.version, sys.prefix,
                                                numpy.__file__):
        return ('another user id cannot use this Python environment ({}): '
                'its folders are not readable by other users'.format(
                    ', '.join(python_paths())))
    return None


def strongest(most=None):
    """The strongest level this machine allows, at most `most`, and why
    not each stronger one ({level: why})."""
    why = {}
    for level, works in (('bubblewrap', bubblewrap_works),
                         ('separate user', separate_user_works)):
        if most and LEVELS.index(most) < LEVELS.index(level):
            why[level] = 'not asked for (--isolation {})'.format(most)
            continue
        problem = works()
        if problem is None:
            return level, why
        why[level] = problem
    return 'same user', why


def reserve_block(start=None):
    """(first user id, holder) of a block of UIDS_PER_GRADING user ids
    that no other grading holds and no process uses: the first such from
    block `start` (by default, this process's id).

    Two gradings must never share a user id, because a run is killed
    with every process of its user id: not two gradings side by side
    (batch), and not two sandboxes of one process (the tests).  The
    block is held by an abstract Unix socket bound to its name: the
    kernel frees the name when the holder is closed or its process ends,
    however it ends, and nothing is left on disk."""
    start = os.getpid() if start is None else start
    used = {uid for uid in _real_uids() if uid >= UID_BASE}
    for k in range(BLOCKS):
        block = (start + k) % BLOCKS
        first = UID_BASE + block * UIDS_PER_GRADING
        if used & set(range(first, first + UIDS_PER_GRADING)):
            continue            # left running by a grading that was killed
        if any(_named(uid) for uid in range(first, first + UIDS_PER_GRADING)):
            continue            # a user of this machine's
        hold = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            hold.bind('\0optimization-grader-uids-{}'.format(block))
        except OSError:
            hold.close()        # another grading's
            continue
        return first, hold
    raise RuntimeError('no free block of user ids')


def _real_uids():
    """The real user ids of this machine's processes, each read into a
    dict of its own (process_iter's proc.info is shared between threads:
    see sandbox._each_process)."""
    found = set()
    for proc in psutil.process_iter():
        try:
            uids = proc.as_dict(attrs=['uids'])['uids']
        except psutil.Error:
            continue
        if uids is not None:
            found.add(uids.real)
    return found


# where any user may write, outside a run's own folder: what a run of
# another user id leaves there would outlive its grading (a full disk,
# files planted for the next grading)
SHARED_WRITABLE = ('/tmp', '/var/tmp', '/dev/shm', '/dev/mqueue',
                   '/run/lock')


def _shared_entries(roots, uids):
    """[(path, owner)] of the entries under roots that the user ids
    `uids` own (none a user of this machine's), deepest first.  It looks
    (lstat only, without recursion: a tree may be thousands of folders
    deep) into every folder any user may write: the only folders,
    besides their own, where those ids can make an entry."""
    found, folders = [], [(root, 0) for root in roots if os.path.isdir(root)]
    while folders:
        folder, depth = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if info.st_uid in uids and not _named(info.st_uid):
                found.append((depth, entry.path, info.st_uid))
            if stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_IWOTH:
                folders.append((entry.path, depth + 1))
    return [(path, uid) for _, path, uid in sorted(found, reverse=True)]


def remove_tree(paths, uid=None):
    """Remove paths and all under them, with rm -rf: however deep (in
    shutil.rmtree, a deep tree raises RecursionError, which is not an
    OSError), never following a link.  With uid, as that user id, never
    as root: a path changed meanwhile (a folder on it swapped for a link)
    then reaches nothing that uid could not remove itself.  Returns
    whether rm succeeded."""
    command = ['rm', '-rf'] + (['--one-file-system'] if sys.platform
                               .startswith('linux') else []) + ['--']
    if uid is not None:
        command = setpriv(uid) + command
    done, batches, size = True, [[]], 0
    for path in paths:          # argv well under ARG_MAX: paths are long
        if size > 100000:
            batches.append([])
            size = 0
        batches[-1].append(path)
        size += len(path) + 1
    for batch in batches if paths else ():
        try:
            done = subprocess.run(
                command + batch, cwd='/', stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=300).returncode == 0 and done
        except (OSError, subprocess.SubprocessError):
            done = False
    return done


def remove_ipc(uids):
    """Remove the System V shared memory, semaphores and message queues
    that the user ids `uids` own or made (they outlive their processes;
    an owner may give one to root, its maker stays), each as its maker:
    an id reused meanwhile by someone else's object is not removed."""
    for kind, option, key in (('shm', '-m', 'shmid'), ('sem', '-s', 'semid'),
                              ('msg', '-q', 'msqid')):
        try:
            with open('/proc/sysvipc/' + kind) as f:
                header, *rows = [line.split() for line in f]
        except (OSError, ValueError):
            continue
        for row in rows:
            fields = dict(zip(header, row))
            try:
                maker = int(fields['cuid'])
                if maker not in uids and int(fields['uid']) not in uids:
                    continue
                subprocess.run(setpriv(maker) + ['ipcrm', option,
                                                 fields[key]],
                               stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=30)
            except (KeyError, ValueError, OSError,
                    subprocess.SubprocessError):
                pass


def remove_left_by(uids, roots=SHARED_WRITABLE):
    """Remove what the user ids `uids` (a range) left under roots, deepest
    first, each entry as its owner, and their System V IPC objects.
    Returns the paths it found."""
    found = _shared_entries(roots if uids else (), uids)
    # a run of entries of one owner at a time, in the order found
    for owner, run in itertools.groupby(found, key=lambda entry: entry[1]):
        remove_tree([path for path, _ in run], owner)
    if uids:
        remove_ipc(uids)
    return [path for path, _ in found]


@functools.lru_cache(maxsize=4096)
def _named(uid):
    """Whether uid is a user of this machine."""
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


class Isolation:
    """The level of a grading, and how its runs are started."""

    def __init__(self, level):
        assert level in LEVELS, level
        self.level = level
        self.root = os.geteuid() == 0
        # a user id of its own for each run, where the grader can give one
        self.separate = self.root and level != 'same user'
        self.first_uid = self.hold = None   # reserved at the first run
        self.runs = 0

    def new_uid(self, busy=()):
        """A user id for the next run, none of `busy` (the user ids of
        runs still open: a run is killed with every process of its user
        id); None at the same-user level."""
        if not self.separate:
            return None
        if self.hold is None:
            self.first_uid, self.hold = reserve_block()
        for _ in range(UIDS_PER_GRADING):
            self.runs += 1
            uid = self.first_uid + self.runs % UIDS_PER_GRADING
            if uid not in busy:
                return uid
        raise RuntimeError('all {} user ids of this grading are in use'
                           .format(UIDS_PER_GRADING))

    def uids(self):
        """The user ids this grading's runs may have had (a range)."""
        if self.first_uid is None:
            return range(0)
        return range(self.first_uid, self.first_uid + UIDS_PER_GRADING)

    def release(self):
        """Give the block of user ids back (when the runs have ended),
        with nothing of theirs left in the shared writable folders."""
        remove_left_by(self.uids())
        if self.hold is not None:
            self.hold.close()
            self.hold = None

    def settings(self, uid, address_space, file_size, preload):
        """confine.py's settings for a run."""
        found = {'address_space': address_space, 'file_size': file_size,
                 'preload': list(preload)}
        if uid is not None:
            found['processes'] = PROCESSES
        return found

    def prepare(self, folder, uid):
        """Make a run's own folder: home/, tmp/ and work/, writable by the
        run (owned by its user id) and by no other run."""
        for name in ('home', 'tmp', 'work'):
            os.makedirs(os.path.join(folder, name))
        if uid is not None:
            for name in ('', 'home', 'tmp', 'work'):
                os.chown(os.path.join(folder, name), uid, uid)
            os.chmod(folder, 0o700)
        return {name: os.path.join(folder, name)
                for name in ('home', 'tmp', 'work')}

    def command(self, argv, uid, folder, reads, writes):
        """argv, run at this level: in a sandbox that sees `reads`
        read-only and `folder` and `writes` writable (each at its own
        path; under bubblewrap, empty folders in memory of WRITABLE bytes
        each), with a private /tmp, as user id `uid`."""
        if self.level == 'same user':
            return list(argv)
        if self.level == 'separate user':
            return setpriv(uid) + list(argv)
        found = [_bwrap(), '--die-with-parent', '--new-session',
                 '--unshare-pid', '--unshare-ipc', '--unshare-uts',
                 '--unshare-net', '--unshare-cgroup-try']
        if not self.root:
            found.append('--unshare-user')
        for option, source, destination in _system_binds():
            found += [option, source, destination]
        found += ['--proc', '/proc', '--dev', '/dev',
                  '--size', str(WRITABLE), '--tmpfs', '/tmp']
        binds = [('--ro-bind', path) for path in python_paths()]
        binds += [('--ro-bind', path) for path in reads]
        # what it may write is memory of its own, of a bounded size: it
        # cannot fill the machine's disk, and nothing of it outlives it
        binds += [('--tmpfs', path) for path in [folder] + list(writes)
                  if path != '/']
        # each at its own path: the folders above it are made first, open
        # to all (bwrap would make them as closed as the grader's own)
        made = {'/', '/tmp'}
        for _, path in binds:
            parts = path.strip('/').split('/')[:-1]
            for k in range(len(parts)):
                parent = '/' + '/'.join(parts[:k + 1])
                if parent not in made:
                    made.add(parent)
                    found += ['--perms', '0755', '--dir', parent]
        for option, path in binds:
            if option == '--tmpfs':
                found += ['--perms', '1777', '--size', str(WRITABLE),
                          '--tmpfs', path]
            else:
                found += [option, path, path]
        found += ['--chdir', folder]
        if uid is not None and self.root:
            found += ['--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID',
                      '--'] + setpriv(uid)
        else:
            found.append('--')
        return found + list(argv)


def setpriv(uid):
    """The command prefix that runs a command as user and group uid,
    with no supplementary groups."""
    return [shutil.which('setpriv') or '/usr/bin/setpriv',
            '--reuid={}'.format(uid), '--regid={}'.format(uid),
            '--clear-groups', '--']
