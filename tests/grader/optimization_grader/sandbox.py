"""Run a solution's code in processes of its own, with limits from outside.

- Worker: one fresh interpreter a task (worker.py), asked to load the
  task's module, call its function or probe it; what it answers is
  decoded as plain data (codec.py).
- DriverRun: one driver, `python3 -u mains/N-main.py`, its stdout read
  line by line; stopped at a checkpoint when asked.

Every process here starts in a session of its own, with a marker in its
environment.  The grader enforces, from its own process:
- a time limit on every request and run: past it, the session is killed
  (SIGKILL), even inside a C call;
- a memory limit: RLIMIT_AS, set with prlimit before the solution's code
  runs, and a watchdog that kills a session whose resident memory passes
  it (a process may raise its own RLIMIT_AS if it runs as root); and a
  limit of 1 GB on any file it writes (RLIMIT_FSIZE);
- a crash (a signal, an exit at any moment) becomes one line, and the
  grading goes on;
- end(): every process of every session, and any process that left its
  session but kept the marker or was re-parented to the grader (the
  grader is a child subreaper on Linux), is killed and reaped.

RepoGuard keeps a copy of this repository's files, taken before any
solution code runs, and puts back any file a solution changed.
"""
import ctypes
import os
import queue
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from . import codec
from .paths import ROOT

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      'worker.py')
MARKER = 'OPTIMIZATION_GRADER_RUN'
GB = 2 ** 30
# address space for a worker (TensorFlow maps about 2 GB at import) and
# for a driver (MNIST, the course model and TensorFlow: about 4 GB)
ADDRESS_SPACE = {'numpy': 4 * GB, 'tensorflow': 12 * GB, 'driver': 16 * GB}
# resident memory past which the watchdog kills a session
RESIDENT = {'numpy': 2 * GB, 'tensorflow': 4 * GB, 'driver': 6 * GB}
MAX_SOURCE = 2 ** 20        # bytes of a numbered file
MAX_OUTPUT = 2 ** 20        # bytes a driver may print
MAX_FILE = 2 ** 30          # bytes of any one file a worker writes
SIGNALS = {signal.SIGSEGV: 'a segmentation fault',
           signal.SIGBUS: 'a bus error', signal.SIGABRT: 'an abort',
           signal.SIGKILL: 'SIGKILL', signal.SIGFPE: 'a floating-point '
           'exception', signal.SIGILL: 'an illegal instruction',
           signal.SIGTERM: 'SIGTERM',
           signal.SIGXFSZ: 'the file size limit (it wrote a file of 1 GB)'}


class Gone(Exception):
    """A worker cannot answer: it crashed, exited, hung or ran out of
    memory.  The text is one line that says which."""


class Answered(Exception):
    """The solution's code raised: error is {'type', 'message', 'where'}."""

    def __init__(self, error, printed):
        super().__init__(error.get('message', ''))
        self.error, self.printed = error, printed


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


def _processes():
    """{pid: (ppid, session, resident bytes)} of this machine's processes
    that this user may read (zombies have resident 0)."""
    found = {}
    page = os.sysconf('SC_PAGE_SIZE')
    for name in os.listdir('/proc') if os.path.isdir('/proc') else []:
        if not name.isdigit():
            continue
        try:
            with open('/proc/{}/stat'.format(name)) as f:
                stat = f.read()
            with open('/proc/{}/statm'.format(name)) as f:
                resident = int(f.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
        fields = stat[stat.rfind(')') + 2:].split()
        found[int(name)] = (int(fields[1]), int(fields[3]), resident)
    return found


def _marks(token, pids):
    """{pid: label} of the processes among pids whose environment carries
    the run's marker (MARKER=token:label)."""
    prefix = '{}={}:'.format(MARKER, token).encode()
    found = {}
    for pid in pids:
        if pid == os.getpid():
            continue
        try:
            with open('/proc/{}/environ'.format(pid), 'rb') as f:
                entries = f.read().split(b'\0')
        except OSError:
            continue
        for entry in entries:
            if entry.startswith(prefix):
                found[pid] = entry[len(prefix):].decode('utf-8', 'replace')
                break
    return found


def _command(pid):
    """The command line of a live process; None for a zombie."""
    try:
        with open('/proc/{}/cmdline'.format(pid), 'rb') as f:
            return ' '.join(f.read().decode('utf-8', 'replace').split(
                '\0')).strip()[:80] or None
    except OSError:
        return None


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


class Sandbox:
    """The processes of one grading run, and their limits.

    Each worker or driver run has a label; its processes are those of its
    session and those whose environment carries MARKER=token:label (what
    it forked, even into sessions of their own)."""

    def __init__(self):
        self.token = uuid.uuid4().hex
        self.tmp = tempfile.mkdtemp(prefix='optimization-grader-')
        self.runs = {}            # label -> [kind, on_kill, proc, open]
        self.lock = threading.Lock()
        self.adopted = set()      # pids started by this sandbox
        self.ended = False
        if sys.platform.startswith('linux'):
            _subreaper()
        self.watchdog = threading.Thread(target=self._watch, daemon=True)
        self.watchdog.start()

    def env(self, label, extra=None, threads=1):
        """The environment of a worker or driver run."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(('PYTEST', 'OPTIMIZATION_', 'PYTHON'))}
        threads = str(threads)
        env.update({MARKER: '{}:{}'.format(self.token, label),
                    'MPLBACKEND': 'Agg',
                    'PYTHONDONTWRITEBYTECODE': '1', 'PYTHONHASHSEED': '0',
                    'TF_CPP_MIN_LOG_LEVEL': '2', 'OMP_NUM_THREADS': threads,
                    'OPENBLAS_NUM_THREADS': threads,
                    'MKL_NUM_THREADS': threads,
                    'TF_NUM_INTRAOP_THREADS': threads,
                    'TF_NUM_INTEROP_THREADS': threads})
        env.update(extra or {})
        return env

    def spawn(self, argv, label, kind, on_kill, **kwargs):
        """Start argv in a session of its own, with the limits of kind."""
        proc = subprocess.Popen(argv, start_new_session=True,
                                stdin=subprocess.DEVNULL, **kwargs)
        for which, limit in ((resource.RLIMIT_AS, ADDRESS_SPACE[kind]),
                             (resource.RLIMIT_FSIZE, MAX_FILE)):
            try:
                resource.prlimit(proc.pid, which, (limit, limit))
            except (OSError, AttributeError, ValueError):
                pass
        with self.lock:
            self.runs[label] = [kind, on_kill, proc, True]
            self.adopted.add(proc.pid)
        return proc

    def members(self, label, processes=None, marks=None):
        """The live processes of run `label` (besides its leader's
        zombie): its session's and its marked ones."""
        processes = _processes() if processes is None else processes
        if marks is None:
            marks = _marks(self.token, processes)
        leader = self.runs[label][2].pid
        return {pid for pid, (_, session, _) in processes.items()
                if (session == leader or marks.get(pid) == label)
                and pid != os.getpid()}

    def kill(self, label):
        """Kill every process of run `label`; the command lines of those
        that were still running besides its leader (what it left)."""
        with self.lock:
            run = self.runs.get(label)
        if run is None:
            return []
        proc = run[2]
        if proc.returncode is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
        left = self._kill_all(lambda: self.members(label) - {proc.pid})
        with self.lock:
            run[3] = False
        return left

    def _watch(self):
        while not self.ended:
            time.sleep(0.5)
            with self.lock:
                runs = {label: run for label, run in self.runs.items()
                        if run[3]}
            if not runs:
                continue
            processes = _processes()
            marks = _marks(self.token, processes)
            for label, (kind, on_kill, proc, _) in runs.items():
                total = sum(processes[pid][2] for pid in self.members(
                    label, processes, marks) if pid in processes)
                if total > RESIDENT[kind]:
                    on_kill('used more than {:.0f} GB of memory'.format(
                        RESIDENT[kind] / GB))
                    self.kill(label)

    def orphans(self):
        """Kill the processes re-parented to this process that carry no
        marker (they cleared their environment), and whatever else runs
        in their sessions; their command lines."""
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
            live = [pid for pid in find() if _command(pid) is not None]
            if not live:
                clean += 1
                if clean == looks:
                    break
                time.sleep(0.05)
                continue
            clean = 0
            for pid in live:
                left.append(_command(pid))
                _kill(pid)
            time.sleep(0.05)
            self._reap_zombies()
        self._reap_zombies()
        return sorted(set(command for command in left if command))

    def _reap_zombies(self):
        # orphans re-parented to this process; never the Popen children,
        # whose status subprocess must read itself
        for pid, (ppid, _, _) in _processes().items():
            if ppid == os.getpid() and pid not in self.adopted:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except OSError:
                    pass

    def end(self):
        """Kill every run and every stray process; remove the files.
        {label: commands left running} (None: unmarked orphans)."""
        left = {}
        with self.lock:
            labels = list(self.runs)
        for label in labels:
            found = self.kill(label)
            if found:
                left[label] = found
        found = self.orphans()
        if found:
            left[None] = found
        self.ended = True
        shutil.rmtree(self.tmp, ignore_errors=True)
        return left


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
        folder = tempfile.mkdtemp(dir=self.sandbox.tmp, prefix='worker-')
        self.out_path = os.path.join(folder, 'stdout')
        self.err_path = os.path.join(folder, 'stderr')
        to_child, from_grader = os.pipe()
        to_grader, from_child = os.pipe()
        with open(self.out_path, 'wb') as out, \
                open(self.err_path, 'wb') as err:
            self.proc = self.sandbox.spawn(
                [sys.executable, '-I', WORKER, self.staging, self.task.stem,
                 self.task.function, self.task.kind, str(to_child),
                 str(from_child)],
                self.label, self.task.kind, self._killed,
                pass_fds=(to_child, from_child), stdout=out, stderr=err,
                cwd=folder, env=self.sandbox.env(self.label))
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
        try:
            codec.send(self.send_fd, message)
        except (OSError, TypeError):
            pass            # it died: the reader says how
        kind, answer = self._wait(timeout)
        if kind == 'timeout':
            self.close(killed=True)
            self.gone = 'did not answer within {} s: killed'.format(timeout)
            raise Gone(self.gone)
        if kind == 'answer':
            try:
                value = codec.decode(answer.get('value')) \
                    if answer.get('ok') else None
            except (codec.DecodeError, KeyError, TypeError, ValueError,
                    AttributeError) as e:
                kind, answer = 'bad', str(e)
            else:
                if not answer.get('ok'):
                    error = answer.get('error')
                    raise Answered(error if isinstance(error, dict) else {},
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
        self.gone = self.killed_for or status_text(status)
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
        if self.send_fd is not None:
            os.close(self.send_fd)
            self.send_fd = None
        left = self.sandbox.kill(self.label)
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
                 stop=None, threads=1, label=None):
        self.sandbox, self.number, self.staging = sandbox, number, staging
        self.threads, self.label = threads, label or 'driver-{}'.format(
            number)
        self.left = []              # processes it left running
        self.data, self.time_limit, self.stop = data, time_limit, stop
        self.lines, self.status, self.why = [], None, None
        self.started = self.finished = None
        self.done = threading.Event()
        self.killed_for = None

    def start(self):
        folder = tempfile.mkdtemp(dir=self.sandbox.tmp, prefix='driver-')
        self.err_path = os.path.join(folder, 'stderr')
        extra = {'OPTIMIZATION_SOLUTION': self.staging,
                 'OPTIMIZATION_FIGURES': os.path.join(folder, 'figures')}
        if self.data:
            extra['OPTIMIZATION_DATA'] = self.data
        script = os.path.join(ROOT, 'mains', '{}-main.py'.format(self.number))
        self.started = time.monotonic()
        with open(self.err_path, 'wb') as err:
            self.proc = self.sandbox.spawn(
                [sys.executable, '-u', script], self.label, 'driver',
                self._killed, stdout=subprocess.PIPE, stderr=err, cwd=folder,
                env=self.sandbox.env(self.label, extra, self.threads))
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._time, daemon=True).start()

    def _killed(self, why):
        self.killed_for = why

    def _time(self):
        if not self.done.wait(self.time_limit) and self.proc.poll() is None:
            self.killed_for = 'did not finish within {} s: killed'.format(
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
        self.status = self.proc.wait()
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
    """A copy of this repository's files, to find and undo changes.

    Its files are those git would keep: what .gitignore names (the course
    data, caches, virtual environments, the drivers' figures, logs) is
    not the repository's, and is neither copied nor watched; nor is
    .git, but for its config and hooks."""

    SKIP_DIRS = {'.git', '__pycache__', '.pytest_cache', '.hypothesis'}
    KEEP_IN_GIT = ('config', 'hooks')
    MAX_FILE = 8 * 2 ** 20

    def __init__(self, root=ROOT, exclude=()):
        self.root = os.path.abspath(root)
        self.exclude = {os.path.abspath(p) for p in exclude}
        self.ignored = _gitignore(self.root)
        self.files = self._read()

    def _skip(self, path, name, is_dir):
        rel = os.path.relpath(path, self.root).replace(os.sep, '/')
        return (name in self.SKIP_DIRS or os.path.abspath(path) in
                self.exclude or any(_ignores(pattern, rel, name, is_dir)
                                    for pattern in self.ignored))

    def _walk(self):
        for top, dirs, names in os.walk(self.root):
            rel_top = os.path.relpath(top, self.root)
            if rel_top == '.git':
                dirs[:] = [d for d in dirs if d in self.KEEP_IN_GIT]
                names = [n for n in names if n in self.KEEP_IN_GIT]
            else:
                dirs[:] = [d for d in dirs
                           if not self._skip(os.path.join(top, d), d, True)
                           or (top == self.root and d == '.git')]
                names = [n for n in names
                         if not self._skip(os.path.join(top, n), n, False)]
            for name in names:
                path = os.path.join(top, name)
                if not os.path.islink(path):
                    yield os.path.relpath(path, self.root), path

    def _read(self):
        files = {}
        for rel, path in self._walk():
            try:
                if os.path.getsize(path) <= self.MAX_FILE:
                    with open(path, 'rb') as f:
                        files[rel] = (f.read(), os.stat(path).st_mode)
            except OSError:
                continue
        return files

    def check(self):
        """Put back what changed; return the paths changed, deleted or
        added since the copy was taken."""
        now = self._read()
        touched = []
        for rel, (data, mode) in self.files.items():
            if now.get(rel, (None,))[0] != data:
                touched.append(rel)
                path = os.path.join(self.root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if os.path.islink(path) or os.path.isdir(path):
                    _remove(path)
                with open(path, 'wb') as f:
                    f.write(data)
                os.chmod(path, mode & 0o7777)
            elif now[rel][1] != mode:
                touched.append(rel)
                os.chmod(os.path.join(self.root, rel), mode & 0o7777)
        for rel in set(now) - set(self.files):
            touched.append(rel)
            _remove(os.path.join(self.root, rel))
        return sorted(touched)


def _gitignore(root):
    """The patterns of root's .gitignore (a simple reading of it)."""
    try:
        with open(os.path.join(root, '.gitignore')) as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines
            if line.strip() and not line.startswith(('#', '!'))]


def _ignores(pattern, rel, name, is_dir):
    """Whether a .gitignore pattern covers rel (a path from the root)."""
    import fnmatch
    directory_only = pattern.endswith('/')
    pattern = pattern.rstrip('/')
    if directory_only and not is_dir:
        return False
    if pattern.startswith('/') or '/' in pattern:
        return fnmatch.fnmatch(rel, pattern.lstrip('/'))
    return fnmatch.fnmatch(name, pattern)


def _remove(path):
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    except OSError:
        pass


def stage(sandbox, folder, own, label):
    """A folder holding the numbered files to import: those of tasks `own`
    from the solution folder, and this repository's for the others.

    Returns (path, problems): problems maps a task of `own` whose file is
    missing or too large to why."""
    from .tasks import TASKS
    path = tempfile.mkdtemp(dir=sandbox.tmp, prefix='stage-{}-'.format(
        label))
    problems = {}
    for task in TASKS.values():
        source = os.path.join(folder if task.number in own else ROOT,
                              task.stem + '.py')
        if task.number in own:
            if not os.path.isfile(source):
                problems[task.number] = 'missing'
                continue
            if os.path.getsize(source) > MAX_SOURCE:
                problems[task.number] = 'larger than {} MB'.format(
                    MAX_SOURCE >> 20)
                continue
        with open(source, 'rb') as f:
            data = f.read(MAX_SOURCE + 1)
        with open(os.path.join(path, task.stem + '.py'), 'wb') as f:
            f.write(data)
    return path, problems
