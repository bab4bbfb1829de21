#!/usr/bin/env python3
"""Run a solution's code in processes of its own, with limits from outside.

- Worker: one fresh interpreter a task (worker.py), asked to load the
  task's module, call its function or probe it; what it answers is
  decoded as plain data (codec.py).
- DriverRun: one driver, mains/N-main.py (a copy) run by launch.py, its
  stdout read line by line; stopped at a checkpoint when asked.

Every run is started at the grading's isolation level (isolation.py),
in a folder of its own, with an environment built from an allow-list,
and confines itself (confine.py: limits, no_new_privs) before any of the
solution's code runs.  The grader enforces, from its own process:
- a time limit on every request and run: past it, the run is killed
  (SIGKILL), even inside a C call;
- a watchdog that kills a run whose resident memory passes its limit;
- a crash (a signal, an exit at any moment) becomes one line, and the
  grading goes on;
- end(): every process of every run is killed.  A run's processes are
  those under its bwrap (bubblewrap), those of its user id (separate
  user), or those of its session or that carry its marker in their
  environment, plus the orphans re-parented to the grader, which is a
  child subreaper (same user).

RepoGuard keeps a copy of this repository's files, taken before any
solution code runs, and puts back any file a solution changed: the
same-user level's defence, where a solution can write them.
"""
import ctypes
import fcntl
import json
import os
import queue
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import psutil

from . import codec, isolation
from .paths import ROOT

HERE = os.path.dirname(os.path.abspath(__file__))
# what runs beside a solution's code, copied for each grading
RUNTIME = ('worker.py', 'codec.py', 'confine.py', 'launch.py')
MARKER = 'OPTIMIZATION_GRADER_RUN'
# a sandbox's folder: PREFIX + random, holding HELD while its grader lives
PREFIX = 'optimization-grader-'
HELD = '.held'
# in an argv given to Sandbox.spawn: where the settings go
SETTINGS = object()
# variables of the grader's environment that a run keeps: they pick
# numerical kernels (OpenBLAS's on some processors) and oneDNN
PASSED = ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'TF_ENABLE_ONEDNN_OPTS',
          'LANG', 'LC_ALL', 'TZ')
GB = 2 ** 30
# address space for a worker (TensorFlow maps about 2 GB at import) and
# for a driver (MNIST, the course model and TensorFlow: about 4 GB)
ADDRESS_SPACE = {'numpy': 4 * GB, 'tensorflow': 12 * GB, 'driver': 16 * GB}
# resident memory past which the watchdog kills a session
RESIDENT = {'numpy': 2 * GB, 'tensorflow': 4 * GB, 'driver': 6 * GB}
MAX_SOURCE = 2 ** 20        # bytes of a numbered file
MAX_OUTPUT = 2 ** 20        # bytes a driver may print
MAX_FILE = 16 * 2 ** 20     # bytes of any one file a run writes (its logs)
# imported before the solution's code, so that their import time is not
# its (a driver imports what it needs itself)
_KERAS = ['tensorflow:keras.' + name for name in (
    'optimizers.SGD', 'optimizers.RMSprop', 'optimizers.Adam',
    'optimizers.schedules.InverseTimeDecay', 'layers.Dense',
    'layers.BatchNormalization', 'initializers.VarianceScaling',
    'models.load_model', 'losses.CategoricalCrossentropy')]
PRELOAD = {'numpy': ['numpy'],
           'tensorflow': ['numpy', 'tensorflow'] + _KERAS,
           'driver': [],
           'tensorflow driver': []}
SIGNALS = {signal.SIGSEGV: 'a segmentation fault',
           signal.SIGBUS: 'a bus error', signal.SIGABRT: 'an abort',
           signal.SIGKILL: 'SIGKILL', signal.SIGFPE: 'a floating-point '
           'exception', signal.SIGILL: 'an illegal instruction',
           signal.SIGTERM: 'SIGTERM',
           signal.SIGXFSZ: 'the file size limit (it wrote a file of 16 MB)'}


class Gone(Exception):
    """A worker cannot answer: it crashed, exited, hung or ran out of
    memory.  The text is one line that says which."""


class Answered(Exception):
    """The solution's code raised: error is {'type', 'message', 'where'}."""

    def __init__(self, error, printed):
        super().__init__(error.get('message', ''))
        self.error, self.printed = error, printed


def _error(error):
    """What a worker says its solution raised, as the grader takes it:
    three strings of bounded length, whatever the worker sent."""
    error = error if isinstance(error, dict) else {}
    return {'type': str(error.get('type', ''))[:100],
            'message': str(error.get('message', ''))[:600],
            'where': str(error.get('where', ''))[:200]}


def status_text(status):
    """A process's exit status in words."""
    if status is None:
        return 'did not end'
    if status < 0:
        return 'was killed by {} (signal {})'.format(
            SIGNALS.get(-status, 'a signal'), -status)
    return 'exited with status {}'.format(status)


def _subreaper():
    """Make this process adopt its orphaned descendants (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)      # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


# the command line of each process at the latest look (None: a zombie):
# a process that forks and exits over and over is gone by the time its
# command line would be read again, but was there at the look
_SEEN = {}


def _each_process(attrs):
    """(pid, {attribute: value}) of each process, each read into a dict of
    its own: psutil.process_iter(attrs) writes them into one Process object
    per pid, shared by every thread (the watchdog's and the grading's)."""
    for proc in psutil.process_iter():
        try:
            yield proc.pid, proc.as_dict(attrs=attrs)
        except psutil.Error:
            continue


def _processes():
    """{pid: (ppid, session, resident bytes)} of this machine's processes
    that this user may read (zombies have resident 0)."""
    found = {}
    for pid, info in _each_process(['ppid', 'memory_info', 'cmdline',
                                    'status']):
        try:
            session = os.getsid(pid)
        except OSError:
            continue
        memory = info['memory_info']
        found[pid] = (info['ppid'], session,
                      memory.rss if memory is not None else 0)
        command = ' '.join(info['cmdline'] or []).strip()[:80]
        _SEEN[pid] = None if info['status'] == psutil.STATUS_ZOMBIE \
            else command or None
    return found


def _seen(pid):
    """The command line of a process live now, or at the latest look."""
    return _command(pid) or _SEEN.get(pid)


def _marks(token, pids):
    """{pid: label} of the processes among pids whose environment carries
    the run's marker (MARKER=token:label)."""
    prefix = '{}:'.format(token)
    found = {}
    for pid in pids:
        if pid == os.getpid():
            continue
        try:
            mark = psutil.Process(pid).environ().get(MARKER, '')
        except (psutil.Error, OSError):
            continue
        if mark.startswith(prefix):
            found[pid] = mark[len(prefix):]
    return found


def _command(pid):
    """The command line of a live process; None for a zombie."""
    try:
        return ' '.join(psutil.Process(pid).cmdline()).strip()[:80] or None
    except (psutil.Error, OSError):
        return None


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _hold(folder):
    """Mark folder as in use for as long as this process lives: an
    exclusive flock on folder/HELD, which the kernel drops when the
    process ends, however it ends.  The file is locked before it gets
    its name, so a sweep never finds it unheld.  Returns its descriptor
    (Popen's children do not inherit it)."""
    fd, path = tempfile.mkstemp(dir=folder)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.rename(path, os.path.join(folder, HELD))
    return fd


def sweep(parent):
    """Remove the sandbox folders in parent that no living grader holds:
    those of gradings killed before end() could run (SIGKILL, a timeout
    from outside), which would otherwise pile up over a batch, staged
    solutions and course data included.  Only this user id's folders
    named PREFIX..., not symbolic links, whose HELD file no process has
    locked.  Returns the paths removed."""
    removed = []
    try:
        names = sorted(os.listdir(parent))
    except OSError:
        return removed
    for name in names:
        path = os.path.join(parent, name)
        try:
            info = os.lstat(path)
            if not (name.startswith(PREFIX) and stat.S_ISDIR(info.st_mode)
                    and info.st_uid == os.getuid()):
                continue
            held = os.open(os.path.join(path, HELD),
                           os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue            # not a sandbox's, or not this user's
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue            # a living grader's
        finally:
            os.close(held)
        if isolation.remove_tree([path]):
            removed.append(path)
    return removed


class Sandbox:
    """The processes of one grading run, and their limits.

    Each worker or driver run has a label, a folder of its own (home/,
    tmp/, work/) and, where the level gives one, a user id of its own.
    Its processes are found by level (isolation.py): the processes under
    its bwrap; those of its user id; or those of its session and those
    whose environment carries MARKER=token:label."""

    def __init__(self, level='same user'):
        self.isolation = isolation.Isolation(level)
        self.level = level
        self.token = uuid.uuid4().hex
        # as other user ids, runs reach their folders by host paths: in
        # /tmp, whose parents they can pass through (TMPDIR's may be
        # closed)
        parent = '/tmp' if level == 'separate user' else None
        sweep(parent or tempfile.gettempdir())
        self.tmp = tempfile.mkdtemp(prefix=PREFIX, dir=parent)
        self.held = _hold(self.tmp)
        if self.isolation.separate:
            # the runs' user ids may pass through, not list it
            os.chmod(self.tmp, 0o711)
        # what a worker or driver runs, copied: nothing of the grader's
        # package is visible to a solution
        self.runtime = self.private_copy('runtime', [
            os.path.join(HERE, name) for name in RUNTIME])
        self.mains = self.private_copy('mains', [
            os.path.join(ROOT, 'mains', name)
            for name in sorted(os.listdir(os.path.join(ROOT, 'mains')))
            if name.endswith('.py')])
        self.runs = {}            # label -> Run
        self.lock = threading.Lock()
        self.adopted = set()      # pids started by this sandbox
        self.ended = False
        if sys.platform.startswith('linux') and level == 'same user':
            _subreaper()
        self.watchdog = threading.Thread(target=self._watch, daemon=True)
        self.watchdog.start()

    def private_copy(self, name, files):
        """A read-only folder of copies of files (0755, files 0444)."""
        folder = os.path.join(self.tmp, name)
        os.makedirs(folder)
        for path in files:
            target = os.path.join(folder, os.path.basename(path))
            shutil.copyfile(path, target)
            os.chmod(target, 0o444)
        os.chmod(folder, 0o755)
        return folder

    def folder(self, prefix):
        """A new folder for staged files, readable by every run."""
        path = tempfile.mkdtemp(dir=self.tmp, prefix=prefix)
        os.chmod(path, 0o755)
        return path

    def env(self, label, home, tmp, extra=None, threads=1):
        """The environment of a worker or driver run: an allow-list, not
        the grader's environment."""
        env = {key: os.environ[key] for key in PASSED if key in os.environ}
        threads = str(threads)
        env.update({'PATH': '/usr/local/bin:/usr/bin:/bin',
                    'HOME': home, 'TMPDIR': tmp, 'MPLCONFIGDIR': home,
                    'LANG': env.get('LANG', 'C.UTF-8'),
                    'MPLBACKEND': 'Agg',
                    'PYTHONDONTWRITEBYTECODE': '1', 'PYTHONHASHSEED': '0',
                    'TF_CPP_MIN_LOG_LEVEL': '2', 'OMP_NUM_THREADS': threads,
                    'OPENBLAS_NUM_THREADS': threads,
                    'MKL_NUM_THREADS': threads,
                    'TF_NUM_INTRAOP_THREADS': threads,
                    'TF_NUM_INTEROP_THREADS': threads})
        if self.level == 'same user':
            env[MARKER] = '{}:{}'.format(self.token, label)
        env.update(extra or {})
        return env

    def spawn(self, argv, label, kind, on_kill, reads, preload, extra=None,
              threads=1, task=None, check='function', **kwargs):
        """Start argv (its last argument is replaced by the confinement
        settings, as JSON) in a run of its own: a folder, a user id, a
        session, at this level.  The run's folders are in run.paths; task
        and check say whose run it is (what it leaves is blamed on them)."""
        with self.lock:
            uid = self.isolation.new_uid({run.uid for run in
                                          self.runs.values() if run.open})
        folder = tempfile.mkdtemp(dir=self.tmp, prefix='run-')
        paths = self.isolation.prepare(folder, uid)
        settings = self.isolation.settings(uid, ADDRESS_SPACE[kind],
                                           MAX_FILE, preload)
        argv = [json.dumps(settings) if part is SETTINGS else part
                for part in argv]
        argv = self.isolation.command(argv, uid, paths['work'],
                                      reads, (paths['home'], paths['tmp']))
        env = self.env(label, paths['home'], paths['tmp'], extra, threads)
        proc = subprocess.Popen(argv, start_new_session=True,
                                stdin=subprocess.DEVNULL, cwd=paths['work'],
                                env=env, **kwargs)
        with self.lock:
            self.runs[label] = Run(kind, on_kill, proc, uid, folder, paths)
            self.runs[label].task, self.runs[label].check = task, check
            self.adopted.add(proc.pid)
        return proc

    def run(self, label):
        with self.lock:
            return self.runs.get(label)

    def members(self, label, processes=None, marks=None):
        """The live processes of run `label`."""
        run = self.runs[label]
        if self.level == 'bubblewrap':
            # once bwrap is reaped its pid may be another process's; and
            # everything in its sandbox ended before it
            if run.proc.returncode is not None:
                return set()
            return _tree(run.proc.pid, processes)
        if self.level == 'separate user':
            found = _of_user(run.uid)
            if run.proc.poll() is None:
                found.add(run.proc.pid)
            return found
        processes = _processes() if processes is None else processes
        if marks is None:
            marks = _marks(self.token, processes)
        leader = run.proc.pid
        return {pid for pid, (_, session, _) in processes.items()
                if (session == leader or marks.get(pid) == label)
                and pid != os.getpid()}

    def kill(self, label):
        """Kill every process of run `label`; the command lines of those
        that were still running besides the run itself (what it left).

        A process that forks and exits over and over must not slip
        between looks: under bubblewrap they are read from the sandbox's
        own /proc (_namespace_left) and all end at once with its init;
        as a user id of its own, every process of that user id is stopped
        first, so that none forks while they are listed."""
        run = self.run(label)
        if run is None:
            return []
        if self.level == 'bubblewrap':
            with run.ending:
                left = _namespace_left(run)
        else:
            if run.uid is not None and run.open:
                _signal_user(run.uid, signal.SIGSTOP)
            core = {run.proc.pid}
            # two looks in a row must find none (at the same-user level, one
            # that forks and exits over and over may be between two
            # processes at one look)
            left = self._kill_all(lambda: self.members(label) - core,
                                  looks=2)
        if run.proc.returncode is None:
            try:
                os.killpg(run.proc.pid, signal.SIGKILL)
            except OSError:
                pass
        self._kill_all(lambda: self.members(label))
        with self.lock:
            run.open = False
        return left

    def _watch(self):
        while not self.ended:
            time.sleep(0.5)
            with self.lock:
                runs = {label: run for label, run in self.runs.items()
                        if run.open}
            if not runs:
                continue
            processes = _processes()
            marks = _marks(self.token, processes) \
                if self.level == 'same user' else None
            for label, run in runs.items():
                try:
                    total = sum(processes[pid][2] for pid in self.members(
                        label, processes, marks) if pid in processes)
                except Exception:
                    continue
                if total > RESIDENT[run.kind]:
                    run.on_kill('used more than {:g} GB of memory'.format(
                        RESIDENT[run.kind] / GB))
                    self.kill(label)

    def orphans(self):
        """Kill the processes re-parented to this process that carry no
        marker (they cleared their environment), and whatever else runs
        in their sessions; their command lines.  Only the same-user level
        needs it: a sandbox's processes end with it, and a run's user id
        finds all of its own."""
        if self.level != 'same user':
            return []
        own, sessions = os.getsid(0), set()

        def find():
            processes = _processes()
            marks = _marks(self.token, processes)
            sessions.update(
                session for pid, (ppid, session, _) in processes.items()
                if ppid == os.getpid() and pid not in self.adopted
                and pid not in marks and _command(pid) is not None
                and session != own)
            return {pid for pid, (ppid, session, _) in processes.items()
                    if session in sessions and pid != os.getpid()
                    or ppid == os.getpid() and pid not in self.adopted
                    and pid not in marks}
        # two looks in a row must find none: one that forks and exits over
        # and over may be between parents at one look
        return self._kill_all(find, looks=2)

    def _kill_all(self, find, looks=1):
        """Kill the live processes find() returns until `looks` looks in
        a row find none; the command lines of those it killed."""
        left, clean = [], 0
        for _ in range(40):
            live = [pid for pid in find() if _seen(pid) is not None]
            if not live:
                clean += 1
                if clean == looks:
                    break
                time.sleep(0.05)
                continue
            clean = 0
            for pid in live:
                left.append(_seen(pid))
                _kill(pid)
            time.sleep(0.05)
            self._reap_zombies()
        self._reap_zombies()
        return sorted(set(command for command in left if command))

    def _reap_zombies(self):
        # orphans re-parented to this process; never the Popen children,
        # whose status subprocess must read itself
        if self.level != 'same user':
            return
        for pid, (ppid, _, _) in _processes().items():
            if ppid == os.getpid() and pid not in self.adopted:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except OSError:
                    pass

    def status(self, status):
        """A run's exit status as Popen gives it, with bwrap's 128 + n
        read as killed by signal n."""
        if self.level == 'bubblewrap' and status is not None and \
                128 < status < 128 + 65:
            return -(status - 128)
        return status

    def end(self):
        """Kill every run and every stray process; remove the files.
        [(run, commands it left running)], run None for unmarked
        orphans."""
        left = []
        with self.lock:
            labels = list(self.runs)
        for label in labels:
            found = self.kill(label)
            if found:
                left.append((self.runs[label], found))
        found = self.orphans()
        if found:
            left.append((None, found))
        self.ended = True
        self.isolation.release()
        isolation.remove_tree([self.tmp])
        if self.held is not None:
            os.close(self.held)
            self.held = None
        return left


class Run:
    """One worker's or driver's processes: their kind (for the limits),
    what to call when the watchdog kills them, the process started, its
    user id (or None), its folder and that folder's home/, tmp/, work/;
    and the task and check ('function' or 'driver') it runs for."""

    def __init__(self, kind, on_kill, proc, uid, folder, paths):
        self.kind, self.on_kill, self.proc = kind, on_kill, proc
        self.uid, self.folder, self.paths = uid, folder, paths
        self.open = True
        self.init = None        # under bubblewrap: _namespace_init()
        self.ending = threading.Lock()     # one kill() at a time


def _tree(pid, processes=None):
    """pid and its live descendants (from one reading of the process
    table: a process that ends meanwhile cannot hide the others)."""
    processes = _processes() if processes is None else processes
    children = {}
    for child, (ppid, _, _) in processes.items():
        children.setdefault(ppid, []).append(child)
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        if parent not in found:
            found.add(parent)
            todo += children.get(parent, [])
    return {p for p in found if p == pid or _seen(p) is not None}


def _status(pid, root='/proc'):
    """{field: value} of a process's status file (empty once it ended)."""
    try:
        with open('{}/{}/status'.format(root, pid)) as f:
            return dict(line.rstrip('\n').split(':\t', 1) for line in f
                        if ':\t' in line)
    except (OSError, ValueError):
        return {}


def _namespace_init(run):
    """bwrap's init, pid 1 of a run's PID namespace and the parent of all
    that runs in it: (its pid here, a pidfd on it or None), or None if
    it has ended.  Found once, kept: it lives as long as the run (and
    once killed, it is not looked for again: its pid may be another
    process's by then)."""
    if run.init is None and run.proc.returncode is None:
        for pid in psutil.pids():
            status = _status(pid)
            if status.get('PPid') == str(run.proc.pid) and \
                    status.get('NSpid', '').split()[-1:] == ['1']:
                try:
                    fd = os.pidfd_open(pid)
                except (AttributeError, OSError):
                    fd = None
                # the pidfd holds this very process, if it is still the
                # one found (not a later process given the same pid)
                if _status(pid).get('PPid') == str(run.proc.pid):
                    run.init = (pid, fd)
                elif fd is not None:
                    os.close(fd)
                break
    return run.init if run.init != 'ended' else None


def _namespace_left(run):
    """Under bubblewrap: the command lines of the processes in a run's
    sandbox besides bwrap's init and the command (pids 1 and 2 of its
    namespace), read from the sandbox's own /proc; then everything in it
    is killed at once, by killing its init.

    That /proc lists only the sandbox's few processes, in increasing pid
    order, in one read, and pids are handed out in increasing order: a
    process that forks and exits over and over is in every listing, as
    itself or as its child.  When one listed has ended by the time it is
    read, or is ending (no command line left), the listing is read again;
    two in a row must find none."""
    init = _namespace_init(run)
    if init is None:
        return []
    pid, fd = init
    base = '/proc/{}/root/proc'.format(pid)
    left, unnamed, clean = [], set(), 0
    for _ in range(40):
        try:
            names = [int(n) for n in os.listdir(base) if n.isdigit()]
        except OSError:
            break           # the sandbox has ended
        ended = False
        for number in (n for n in names if n > 2):
            status = _status(number, base)
            command = _command_in(base, number)
            if not status:
                ended = True        # it ended between the two reads
            elif status.get('State', '')[:1] == 'Z':
                continue            # a zombie: it has ended
            elif command:
                left.append(command)
            else:
                # no command line: it is ending (its memory is gone), and
                # a child it forked may not have been listed; or it wiped
                # its arguments.  Look again.
                ended = True
                unnamed.add('[{}]'.format(status.get('Name', '?')))
        if left:
            break
        clean = 0 if ended else clean + 1
        if clean == 2:
            break
        if not ended:
            time.sleep(0.05)
    else:
        # forty listings, each with a process that ended before it could
        # be read: one that forks and exits faster than it can be read,
        # or one without a command line
        left.extend(sorted(unnamed) or
                    ['a process that forked and exited over and over'])
    try:
        if fd is not None:
            signal.pidfd_send_signal(fd, signal.SIGKILL)
        elif run.proc.returncode is None:
            os.kill(pid, signal.SIGKILL)
    except OSError:
        pass            # it has ended
    finally:
        if fd is not None:
            os.close(fd)
        run.init = 'ended'
    return sorted(set(left))


def _command_in(base, number):
    """The command line of process `number` of the /proc at base."""
    try:
        with open('{}/{}/cmdline'.format(base, number), 'rb') as f:
            raw = f.read(4096)
    except OSError:
        return None
    return ' '.join(raw.decode('utf-8', 'replace').split('\0')).strip()[
        :80] or None


def _signal_user(uid, number):
    """Send a signal to every process of user id uid at once (kill(-1, n)
    as that user id: a process forking meanwhile gets it too), with the
    shell's own kill: the grader's Python may be closed to that user."""
    command = 'kill -s {} -- -1'.format(signal.Signals(number).name[3:])
    try:
        subprocess.run(isolation.setpriv(uid) + ['/bin/sh', '-c', command],
                       cwd='/', stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=30)
    except (OSError, subprocess.SubprocessError):
        pass


def _of_user(uid):
    """The live processes whose real user id is uid."""
    return {pid for pid, info in _each_process(['uids'])
            if info['uids'] is not None and info['uids'].real == uid}


class Worker:
    """A fresh interpreter that loads one task's module from `staging`."""

    def __init__(self, sandbox, task, staging, label):
        self.sandbox, self.task, self.staging = sandbox, task, staging
        self.label = label
        self.gone = None            # why it cannot answer any more
        self.killed_for = None      # set by the watchdog
        self.proc = None
        self.started = None
        self.ready = False
        # whether it has been asked to run the solution's code (a worker
        # started ahead, to import numpy or TensorFlow, has not)
        self.ran_code = False
        self.left = []              # processes it left running

    def start(self):
        logs = tempfile.mkdtemp(dir=self.sandbox.tmp, prefix='logs-')
        self.out_path = os.path.join(logs, 'stdout')
        self.err_path = os.path.join(logs, 'stderr')
        to_child, from_grader = os.pipe()
        to_grader, from_child = os.pipe()
        kind = self.task.kind
        with open(self.out_path, 'wb') as out, \
                open(self.err_path, 'wb') as err:
            self.proc = self.sandbox.spawn(
                [sys.executable, '-I',
                 os.path.join(self.sandbox.runtime, 'worker.py'),
                 self.staging, self.task.stem, self.task.function, kind,
                 str(to_child), str(from_child), SETTINGS],
                self.label, kind, self._killed, task=self.task.number,
                reads=(self.sandbox.runtime, self.staging),
                preload=PRELOAD[kind], pass_fds=(to_child, from_child),
                stdout=out, stderr=err)
        os.close(to_child)
        os.close(from_child)
        self.send_fd, self.receive_fd = from_grader, to_grader
        self.answers = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.started = time.monotonic()

    def _killed(self, why):
        self.killed_for = why

    def _read(self):
        # This thread alone reads and closes receive_fd: closed by another
        # thread while read here, its number could be reused by the next
        # worker's pipe, and this thread would read that worker's answers.
        try:
            while True:
                try:
                    message = codec.receive(self.receive_fd)
                except codec.DecodeError as e:
                    self.answers.put(('bad', str(e)))
                    return
                except OSError:
                    message = None
                except Exception as e:      # never a silent, dead reader
                    self.answers.put(('bad', type(e).__name__))
                    return
                if message is None:
                    self.answers.put(('eof', None))
                    return
                self.answers.put(('answer', message))
        finally:
            os.close(self.receive_fd)

    def request(self, message, timeout):
        """Send a request; return the decoded value of its answer.

        Raises Answered if the solution's code raised, Gone if the worker
        died or did not answer in time (it is then killed)."""
        if self.gone:
            raise Gone(self.gone)
        if self.proc is None:
            self.start()
        deadline = time.monotonic() + timeout
        try:
            codec.send(self.send_fd, message, deadline)
        except TimeoutError:
            self.close(killed=True)
            self.gone = 'did not read its request within {:.0f} s: ' \
                        'killed'.format(timeout)
            raise Gone(self.gone) from None
        except (OSError, TypeError):
            pass            # it died: the reader says how
        kind, answer = self._wait(max(0.0, deadline - time.monotonic()))
        if kind == 'timeout':
            self.close(killed=True)
            self.gone = 'did not answer within {:.0f} s: killed'.format(
                timeout)
            raise Gone(self.gone)
        if kind == 'answer':
            try:
                value = codec.decode(answer.get('value')) \
                    if answer.get('ok') else None
            except Exception as e:      # RecursionError, MemoryError...
                kind, answer = 'bad', '{}: {}'.format(
                    type(e).__name__, e)[:200]
            else:
                if not answer.get('ok'):
                    raise Answered(_error(answer.get('error')),
                                   str(answer.get('printed', ''))[:4000])
                return value, str(answer.get('printed', ''))[:4000]
        if kind == 'bad':
            self.close()
            self.gone = ('sent something that is not an answer ({}): '
                         'does the module write to the grader\'s '
                         'pipe?'.format(answer))
            raise Gone(self.gone)
        # end of file: the process ended
        try:
            status = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            status = None
        self.close(killed=True)
        self.gone = self.killed_for or status_text(
            self.sandbox.status(status))
        last = self.stderr_tail()
        if last and not self.killed_for:
            self.gone += ' ({})'.format(last)
        raise Gone(self.gone)

    def _wait(self, timeout):
        """The next answer, ('timeout', None), or ('eof', None) once the
        process has ended (even if a process it started still holds its
        pipe open)."""
        deadline = time.monotonic() + timeout
        ended = None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return 'timeout', None
            try:
                return self.answers.get(timeout=min(left, 0.5))
            except queue.Empty:
                pass
            if self.proc.poll() is not None:
                ended = ended or time.monotonic()
                if time.monotonic() - ended > 1:
                    return 'eof', None

    def stderr_tail(self):
        """The last meaningful line the worker wrote on stderr."""
        try:
            with open(self.err_path, 'rb') as f:
                f.seek(max(0, os.path.getsize(self.err_path) - 4000))
                lines = f.read().decode('utf-8', 'replace').splitlines()
        except OSError:
            return ''
        lines = [line.strip() for line in lines if line.strip() and not
                 re.match(r'^[EWI]\d{4} |^WARNING:|^To enable', line)]
        return lines[-1][:200] if lines else ''

    def close(self, killed=False):
        """End the worker and every process it started (its reader then
        sees the end of its pipe, and closes it).  Unless it was killed,
        the processes still running are what it left: self.left."""
        if self.proc is None or self.gone:
            return
        # what it left is looked for while it still runs: under
        # bubblewrap, everything in its sandbox ends with it
        left = self.sandbox.kill(self.label)
        if self.send_fd is not None:
            os.close(self.send_fd)
            self.send_fd = None
        if not killed:
            self.left = left
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.gone = self.gone or 'closed'
        self.proc.poll()


class DriverRun:
    """mains/N-main.py against a staging folder, in the background."""

    def __init__(self, sandbox, number, staging, data, time_limit,
                 stop=None, threads=1, label=None, tensorflow=False):
        self.sandbox, self.number, self.staging = sandbox, number, staging
        self.preload = 'tensorflow driver' if tensorflow else 'driver'
        self.threads, self.label = threads, label or 'driver-{}'.format(
            number)
        self.left = []              # processes it left running
        self.data, self.time_limit, self.stop = data, time_limit, stop
        self.lines, self.status, self.why = [], None, None
        self.started = self.finished = None
        self.done = threading.Event()
        self.killed_for = None

    def start(self):
        logs = tempfile.mkdtemp(dir=self.sandbox.tmp, prefix='logs-')
        self.err_path = os.path.join(logs, 'stderr')
        # figures go to the run's own folder (its working directory)
        extra = {'OPTIMIZATION_SOLUTION': self.staging,
                 'OPTIMIZATION_FIGURES': 'figures'}
        reads = [self.sandbox.runtime, self.sandbox.mains, self.staging]
        if self.data:
            extra['OPTIMIZATION_DATA'] = self.data
            reads.append(self.data)
        script = os.path.join(self.sandbox.mains, '{}-main.py'.format(
            self.number))
        self.started = time.monotonic()
        with open(self.err_path, 'wb') as err:
            self.proc = self.sandbox.spawn(
                [sys.executable, '-s', '-u',
                 os.path.join(self.sandbox.runtime, 'launch.py'), SETTINGS,
                 script], self.label, 'driver', self._killed, reads=reads,
                task=self.number, check='driver',
                preload=PRELOAD[self.preload], extra=extra,
                threads=self.threads, stdout=subprocess.PIPE, stderr=err)
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._time, daemon=True).start()

    def _killed(self, why):
        self.killed_for = why

    def _time(self):
        if not self.done.wait(self.time_limit) and self.proc.poll() is None:
            self.killed_for = 'did not finish within {:.0f} s: killed'.format(
                self.time_limit)
            self.sandbox.kill(self.label)

    def _lines(self):
        """The driver's stdout, line by line, until it ends: until the
        process has ended, even if a process it started holds the pipe."""
        fd, pending, ended = self.proc.stdout.fileno(), b'', None
        while True:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                pending += chunk
                *lines, pending = pending.split(b'\n')
                for line in lines:
                    yield line + b'\n'
                if len(pending) > MAX_OUTPUT:
                    # a line that never ends: counted now, not kept
                    yield pending
                    pending = b''
            elif self.proc.poll() is not None:
                ended = ended or time.monotonic()
                if time.monotonic() - ended > 1:
                    break
        if pending:
            yield pending

    def _read(self):
        seen, size, stopped = 0, 0, False
        for raw in self._lines():
            size += len(raw)
            if size > MAX_OUTPUT:
                self.killed_for = 'printed more than {} MB: killed'.format(
                    MAX_OUTPUT >> 20)
                stopped = True
                break
            line = raw.decode('utf-8', 'replace')
            self.lines.append(line)
            if self.stop and re.search(self.stop[0], line):
                seen += 1
                if seen == self.stop[1]:
                    self.why = 'stopped at its first checkpoint'
                    stopped = True
                    break
        if stopped:
            self.sandbox.kill(self.label)
        self.proc.stdout.close()
        self.status = self.sandbox.status(self.proc.wait())
        left = self.sandbox.kill(self.label)
        if not stopped and not self.killed_for:
            self.left = left
        self.finished = time.monotonic()
        self.done.set()

    @property
    def output(self):
        return ''.join(self.lines)

    def elapsed(self):
        if self.started is None:
            return 0.0
        return (self.finished or time.monotonic()) - self.started

    def stderr_tail(self):
        return Worker.stderr_tail(self)


class RepoGuard:
    """A copy of this repository's files, to find and undo changes: what
    the same-user level needs, where a solution can write them.

    Every file and link counts (ignored ones, compiled modules and the
    course data too), but for the folders that hold no code of the
    grader: .git (its config and hooks count), pytest's and hypothesis's
    caches, and virtual environments (a folder with a pyvenv.cfg).  A
    file over MAX_FILE is watched by size and time, not copied."""

    SKIP_DIRS = {'.git', '.pytest_cache', '.hypothesis'}
    KEEP_IN_GIT = ('config', 'hooks')
    MAX_FILE = 8 * 2 ** 20

    def __init__(self, root=ROOT, exclude=()):
        self.root = os.path.abspath(root)
        self.exclude = {os.path.abspath(p) for p in exclude}
        self.files = self._read()
        self.dirs = self._dirs()

    def _dirs(self):
        found = set()
        for top, dirs, _ in os.walk(self.root):
            dirs[:] = [d for d in dirs if not self._skipped(top, d)]
            found.add(os.path.relpath(top, self.root))
        return found

    def _skipped(self, top, name):
        path = os.path.join(top, name)
        if os.path.abspath(path) in self.exclude:
            return True
        if name == '.git' and top == self.root:
            return False            # its config and hooks count
        return name in self.SKIP_DIRS or os.path.isfile(
            os.path.join(path, 'pyvenv.cfg'))

    def _walk(self):
        """(path from the root, path) of every file and link watched."""
        for top, dirs, names in os.walk(self.root):
            links = [d for d in dirs if os.path.islink(os.path.join(top, d))]
            dirs[:] = [d for d in dirs if d not in links
                       and not self._skipped(top, d)]
            if os.path.relpath(top, self.root) == '.git':
                dirs[:] = [d for d in dirs if d in self.KEEP_IN_GIT]
                names = [n for n in names if n in self.KEEP_IN_GIT]
            for name in names + links:
                path = os.path.join(top, name)
                if os.path.abspath(path) not in self.exclude:
                    yield os.path.relpath(path, self.root), path

    def _read(self):
        files = {}
        for rel, path in self._walk():
            try:
                info = os.lstat(path)
                if os.path.islink(path):
                    files[rel] = (('link', os.readlink(path)), info.st_mode)
                elif os.path.isdir(path):
                    continue
                elif info.st_size <= self.MAX_FILE:
                    with open(path, 'rb') as f:
                        files[rel] = (f.read(), info.st_mode)
                else:
                    files[rel] = (('large', info.st_size,
                                   info.st_mtime_ns), info.st_mode)
            except OSError:
                continue
        return files

    def check(self):
        """Put back what changed, remove what was added; return the paths
        changed, deleted or added since the copy was taken."""
        now = self._read()
        touched = []
        for rel, (data, mode) in self.files.items():
            if now.get(rel, (None,))[0] != data:
                touched.append(rel)
                path = os.path.join(self.root, rel)
                if isinstance(data, tuple) and data[0] == 'large':
                    continue        # not copied: said, not put back
                _remove(path)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if isinstance(data, tuple):
                    os.symlink(data[1], path)
                    continue
                with open(path, 'wb') as f:
                    f.write(data)
                os.chmod(path, mode & 0o7777)
            elif now[rel][1] != mode:
                touched.append(rel)
                os.chmod(os.path.join(self.root, rel), mode & 0o7777)
        for rel in set(now) - set(self.files):
            touched.append(rel)
            _remove(os.path.join(self.root, rel))
        for rel in sorted(self._dirs() - self.dirs, key=len):
            touched.append(rel + '/')
            _remove(os.path.join(self.root, rel))
        return sorted(touched)


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        isolation.remove_tree([path])
    else:
        try:
            os.remove(path)
        except OSError:
            pass
