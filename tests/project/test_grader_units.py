#!/usr/bin/env python3
"""The grader's units, without running pytest in a subprocess: its known
mistakes, its task marker, its escaping, its codec's limits, its
sandbox's view of the machine, its failures and outcomes, its workers
and its drivers' lanes.
"""
import inspect
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import types

import numpy as np
import psutil
import pytest

from optimization_grader import (checks, codec, integrity, isolation, plugin,
                                 sandbox)
from optimization_grader.tasks import TASKS, Mistake, required_inputs

ROOT_DIR = pathlib.Path(plugin.ROOT)
RNG = np.random.default_rng(7)
# inputs on which every known mistake of a task gives a result of its own:
# a feature of zero spread (task 0's 1e-8 guard), non-integer values with
# more than 8 decimals (rounding), t > 1 (Adam's bias correction), a step
# past decay_step (stepwise decay)...
X0 = np.array([[1.0, 5.0, 2.25], [3.5, 5.0, 7.125], [4.0, 5.0, 1.0625],
               [8.0, 5.0, 3.0]]) + RNG.random((4, 3)) * [1, 0, 1] * 1e-3
EXAMPLES = {
    0: dict(X=X0),
    1: dict(X=np.array([[3, 7], [1, 9], [2, 8]]), m=np.array([2.0, 8.0]),
            s=np.array([4.0, 3.0])),
    3: dict(X=np.arange(20.0).reshape(10, 2), Y=np.arange(10.0)[:, None],
            batch_size=3),
    4: dict(data=[72, 78, 71, 68, 66], beta=0.9),
    5: dict(alpha=0.1, beta1=0.9, var=np.array([1.0, -2.0]),
            grad=np.array([0.5, 1.5]), v=np.array([0.2, -0.1])),
    6: dict(alpha=0.03, beta1=0.8, var=np.array([1.0, -2.0]),
            grads=[np.array([0.5, 1.5]), np.array([-0.3, 0.7]),
                   np.array([0.2, 0.1])]),
    7: dict(alpha=0.1, beta2=0.9, epsilon=1e-3, var=np.array([1.0, -2.0]),
            grad=np.array([0.5, 1.5]), s=np.array([0.2, 0.1])),
    8: dict(alpha=0.003, beta2=0.8, epsilon=1e-4, var=np.array([1.0, -2.0]),
            grads=[np.array([0.5, 1.5]), np.array([-0.3, 0.7]),
                   np.array([0.2, 0.1])]),
    9: dict(alpha=0.1, beta1=0.9, beta2=0.99, epsilon=1e-3,
            var=np.array([1.0, -2.0]), grad=np.array([0.5, 1.5]),
            v=np.array([0.2, -0.1]), s=np.array([0.3, 0.2]), t=3),
    10: dict(alpha=0.003, beta1=0.8, beta2=0.95, epsilon=1e-3,
             var=np.array([1.0, -2.0]),
             grads=[np.array([0.5, 1.5]), np.array([-0.3, 0.7]),
                    np.array([0.2, 0.1])]),
    11: dict(alpha=0.1, decay_rate=3, global_step=15, decay_step=10),
    12: dict(alpha=0.1, decay_rate=1, decay_step=10, steps=[0, 5, 15, 25]),
    13: dict(Z=RNG.normal(size=(6, 3)), gamma=np.array([[1.5, 2.0, 0.5]]),
             beta=np.array([[0.1, -0.2, 0.3]]), epsilon=1e-7),
    14: dict(z=RNG.normal(size=(6, 3)), activation_name='tanh'),
}
# pairs of mistakes that are the same formula on every input: the hint
# of the first is what the grader says
SAME = {(14, 1): 0}


def mistakes():
    return [pytest.param(n, k, id='{}-{}'.format(n, k))
            for n in sorted(TASKS) for k in range(len(TASKS[n].mistakes))]


@pytest.mark.parametrize('n, k', mistakes())
def test_each_known_mistake_is_recognised(n, k):
    inputs = EXAMPLES[n]
    mistake = TASKS[n].mistakes[k]
    with np.errstate(all='ignore'):
        wrong = mistake.result(**inputs)
    expected = TASKS[n].mistakes[SAME.get((n, k), k)].hint
    assert checks.known_mistake(n, inputs, wrong, 1e-12, 0) == expected


@pytest.mark.parametrize('n', [n for n in TASKS if TASKS[n].probe_inputs])
def test_probe_inputs_are_what_mistakes_use(n):
    used = {name for m in TASKS[n].mistakes for name in required_inputs(m)}
    assert used - set(TASKS[n].arguments) == set(TASKS[n].probe_inputs)


def test_a_misspelled_input_stops_the_grader_at_import():
    # the task table refuses a mistake that requires an input no check of
    # its task gives, instead of never matching it
    import optimization_grader.tasks as tasks
    task = TASKS[5]
    TASKS[5] = task._replace(mistakes=task.mistakes + (
        Mistake('typo', lambda alpha, beta_1, **_: alpha),))
    try:
        with pytest.raises(ValueError, match="requires \\['beta_1'\\]"):
            tasks._check_mistakes()
    finally:
        TASKS[5] = task


def test_a_mistake_without_its_inputs_is_not_tried():
    # task 6's mistakes need the probe's var and grads: a check that has
    # only the function's arguments names none
    assert checks.known_mistake(6, {'alpha': 0.1, 'beta1': 0.9},
                                np.zeros(2), 1e-12, 0) is None


# ---- the task marker
class Marker:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


@pytest.mark.parametrize('args, kwargs, error', [
    ((), {}, 'one task number'),
    ((15,), {}, 'no task 15'),
    (('5',), {}, 'no task'),
    ((5,), {'check': 'drivers'}, 'check must be one of'),
    ((5,), {'run': 'full'}, 'run is only for'),
    ((5,), {'check': 'driver', 'run': 'half'}, 'run must be'),
    ((5,), {'chek': 'driver'}, 'unknown argument'),
])
def test_a_bad_task_marker_is_refused(args, kwargs, error):
    with pytest.raises(pytest.UsageError, match=error):
        plugin.parse_marker(Marker(*args, **kwargs))


@pytest.mark.parametrize('args, kwargs, expected', [
    ((5,), {}, (5, 'function', None)),
    ((0,), {'check': 'house_rules'}, (0, 'house_rules', None)),
    ((3,), {'check': 'driver', 'run': 'checkpoint'}, (3, 'driver',
                                                      'checkpoint')),
    ((3,), {'check': 'driver'}, (3, 'driver', 'full')),
])
def test_a_task_marker_is_read(args, kwargs, expected):
    assert plugin.parse_marker(Marker(*args, **kwargs)) == expected


# ---- what people read
@pytest.mark.parametrize('text, shown', [
    ('plain text, 1.5e-08', 'plain text, 1.5e-08'),
    ('\x1b[2K\r   9  9-Adam.py  pass', '\\x1b[2K\\x0d   9  9-Adam.py  pass'),
    ('a\x00b\x07c\td', 'a\\x00b\\x07c\\x09d'),
    ('left\u202eright', 'left\\u202eright'),
    ('line\u2028next\nlast', 'line\\u2028next\\x0alast'),
    ('caf\u00e9 \u03b2\u2081', 'caf\u00e9 \u03b2\u2081'),
])
def test_escape_shows_every_character_that_is_not_printable(text, shown):
    assert checks.escape(text) == shown


def test_escaped_escapes_every_string_of_a_report():
    report = {'tasks': {'9': {'failures': [{'message': 'x\x1b[1A',
                                            'also_failed': 0}]}},
              'exit\r': ['\x07', 1.5, None]}
    assert checks.escaped(report) == {
        'tasks': {'9': {'failures': [{'message': 'x\\x1b[1A',
                                      'also_failed': 0}]}},
        'exit\\x0d': ['\\x07', 1.5, None]}


# ---- the codec: a worker's answer cannot cost the grader much
def answer(data):
    """codec.receive() of one message, framed, written by a thread (it is
    larger than a pipe holds)."""
    read, write = os.pipe()

    def send():
        with os.fdopen(write, 'wb') as f:
            f.write(struct.pack('<Q', len(data)) + data)
    writer = threading.Thread(target=send)
    writer.start()
    try:
        return codec.receive(read)
    finally:
        os.close(read)
        writer.join()


@pytest.mark.parametrize('data, error', [
    (b'{"v": ' + b'[' * 100000 + b']' * 100000 + b'}', 'nested too deeply'),
    (b'{"v": [' + b'0,' * (codec.MAX_ITEMS + 1) + b'0]}', 'values'),
    (b'\xff\xfe', 'not JSON'),
    (b'[1, 2]', 'not an object'),
])
def test_a_malformed_answer_is_a_decode_error(data, error):
    with pytest.raises(codec.DecodeError, match=error):
        answer(data)


def test_an_answer_over_the_size_limit_is_refused_before_it_is_read():
    read, write = os.pipe()
    os.write(write, struct.pack('<Q', codec.MAX_MESSAGE + 1))
    os.close(write)
    try:
        with pytest.raises(codec.DecodeError, match='bytes'):
            codec.receive(read)
    finally:
        os.close(read)


# ---- the files a solution hands in
def test_a_task_file_that_is_a_link_is_never_read(tmp_path):
    secret = tmp_path / 'secret'
    secret.write_text('TOPSECRET\n')
    folder = tmp_path / 'solution'
    folder.mkdir()
    os.symlink(str(secret), str(folder / '5-momentum.py'))
    os.mkfifo(str(folder / '7-RMSProp.py'))
    (folder / '9-Adam.py').write_bytes(b'#' * (sandbox.MAX_SOURCE + 1))
    (folder / '0-norm_constants.py').write_text('"""ok"""\n')
    read = integrity.read_source
    assert 'symbolic link' in read(str(folder), '5-momentum.py')
    assert 'not a plain file' in read(str(folder), '7-RMSProp.py')
    assert 'larger than 1 MB' in read(str(folder), '9-Adam.py')
    assert read(str(folder), '4-moving_average.py') is None
    data, mode = integrity.read_source(str(folder), '0-norm_constants.py')
    assert data == b'"""ok"""\n'


# ---- the sandbox
def test_the_levels_say_what_they_leave_open():
    assert isolation.UNPROTECTED['bubblewrap'] is None
    for level in ('separate user', 'same user'):
        assert 'read' in isolation.UNPROTECTED[level]


def test_a_sandbox_sees_nothing_of_the_grader(tmp_path):
    problem = isolation.bubblewrap_works()
    if problem:
        if os.environ.get('CI') == 'true':
            pytest.fail(problem)
        pytest.skip(problem)
    box = sandbox.Sandbox('bubblewrap')
    try:
        code = inspect.cleandoc('''
            import os, socket, sys
            print(sys.version == {version!r} and sys.prefix == {prefix!r})
            print(os.getuid() != 0 or not {root})
            # the repository's folder exists only as the parent of a
            # virtual environment inside it (CI's .venv), and holds nothing
            print(os.path.exists({here!r}),
                  os.path.exists(os.path.join({root_dir!r}, 'tests')),
                  os.path.exists(os.path.join({root_dir!r},
                                              '7-RMSProp.py')),
                  sorted(os.listdir({root_dir!r}))
                  if os.path.isdir({root_dir!r}) else [])
            print(sorted(int(p) for p in os.listdir('/proc')
                         if p.isdigit()) == [1, 2])
            try:
                socket.create_connection(('127.0.0.1', 22), timeout=2)
                print('network')
            except OSError:
                print('no network')
            for path in ({venv!r}, '/usr', '/etc'):
                try:
                    open(os.path.join(path, 'planted'), 'w')
                    print('wrote', path)
                except OSError:
                    pass
            try:
                with open('big', 'wb') as f:
                    for _ in range({megabytes}):
                        f.write(bytes(2 ** 20))
                print('filled the disk')
            except OSError:
                print('full')
            ''').format(root=os.geteuid() == 0, version=sys.version,
                        prefix=sys.prefix,
                        here=os.path.dirname(checks.__file__),
                        root_dir=plugin.ROOT, venv=sys.prefix,
                        megabytes=(isolation.WRITABLE >> 20) + 1)
        argv = box.isolation.command(
            [sys.executable, '-I', '-c', code], box.isolation.new_uid(),
            box.folder('run-'), (box.runtime,), ())
        out = subprocess.run(argv, capture_output=True, text=True,
                             timeout=60).stdout.split('\n')
        # this very Python, as a user id of its own; nothing of the grader;
        # no other process; no network; nothing written outside
        inside = os.path.relpath(sys.prefix, plugin.ROOT).split(os.sep)[0]
        seen = [inside] if inside not in (os.pardir, os.curdir) else []
        assert out[:5] == ['True', 'True', 'False False False %r' % seen,
                           'True', 'no network'], out
        assert not any(line.startswith('wrote') for line in out), out
        # what it writes is bounded: it cannot fill the machine's disk
        assert 'full' in out, out
    finally:
        box.end()


def test_a_separate_user_can_neither_signal_nor_write_the_grader(tmp_path):
    # the separate-user level's mechanism, with the system's Python (this
    # machine's environments may not be readable by other users: then the
    # grader does not offer the level, see isolation.separate_user_works)
    system_python = '/usr/bin/python3'
    if os.geteuid() != 0 or not os.access(system_python, os.X_OK):
        pytest.skip('needs root and a system Python')
    box = sandbox.Sandbox('separate user')
    try:
        victim = tmp_path / 'grader-file'
        victim.write_text('the grader\'s\n')
        code = inspect.cleandoc('''
            import os, signal, subprocess, sys
            print(os.getuid() >= {base})
            for action in (lambda: os.kill({grader}, signal.SIGSTOP),
                           lambda: open({victim!r}, 'w'),
                           lambda: os.listdir('/root')):
                try:
                    action()
                    print('allowed')
                except OSError:
                    print('refused')
            subprocess.Popen(['sleep', '319'], start_new_session=True,
                             stdout=subprocess.DEVNULL)
            sys.stdout.flush()
            os._exit(0)
            ''').format(base=isolation.UID_BASE, grader=os.getpid(),
                        victim=str(victim))
        proc = box.spawn([system_python, '-I', '-c', code, sandbox.SETTINGS],
                         'probe', 'numpy', lambda why: None, reads=(),
                         preload=(), stdout=subprocess.PIPE, text=True)
        out = proc.communicate(timeout=60)[0].split()
        assert out == ['True', 'refused', 'refused', 'refused'], out
        # what it left is found by its user id, and killed
        assert any('sleep 319' in command for command in box.kill('probe'))
        assert victim.read_text() == 'the grader\'s\n'
    finally:
        box.end()


def test_two_gradings_never_hold_the_same_user_ids():
    # a run is killed with every process of its user id, so two gradings
    # side by side, or two sandboxes of one process, must not share one
    start = isolation.BLOCKS - 1            # the last block, then the first
    first, hold = isolation.reserve_block(start)
    try:
        second, other = isolation.reserve_block(start)
        other.close()
        assert first == isolation.UID_BASE + start * \
            isolation.UIDS_PER_GRADING
        assert second == isolation.UID_BASE
    finally:
        hold.close()
    again, hold = isolation.reserve_block(start)
    hold.close()
    assert again == first                   # given back when closed


def test_killing_one_sandboxs_run_spares_another_sandboxs():
    # CI's failure on 2026-12-04: a unit test's separate-user sandbox, in
    # the process that was grading the reference solution, killed its own
    # run's user id, which was also driver 6's
    system_python = '/usr/bin/python3'
    if os.geteuid() != 0 or not os.access(system_python, os.X_OK):
        pytest.skip('needs root and a system Python')
    boxes = [sandbox.Sandbox('separate user') for _ in range(2)]
    try:
        procs = [box.spawn(
            [system_python, '-I', '-c', 'import time; time.sleep(120)',
             sandbox.SETTINGS], 'probe', 'numpy', lambda why: None,
            reads=(), preload=(), stdout=subprocess.DEVNULL)
            for box in boxes]
        uids = [box.run('probe').uid for box in boxes]
        assert uids[0] != uids[1]
        boxes[1].kill('probe')
        assert procs[1].wait(timeout=30) == -9
        time.sleep(0.5)
        assert procs[0].poll() is None, 'the other sandbox\'s run was killed'
    finally:
        for box in boxes:
            box.end()


PLANTER = inspect.cleandoc('''
    import os
    for folder in ('/tmp', '/var/tmp', '/dev/shm'):
        base = os.path.join(folder, '{tag}')
        with open(base, 'w') as f:
            f.write('for the next grading')
        os.makedirs(base + '-folder/deeper')
        open(base + '-folder/deeper/file', 'w').close()
        os.symlink('/etc/hostname', base + '-link')
    print('planted', flush=True)
''')


def test_what_a_separate_user_run_leaves_outside_is_removed(tmp_path):
    # a run of another user id can write where any user may: without
    # this, what it left would outlive its grading (a full disk, files
    # for the next grading of a batch)
    system_python = '/usr/bin/python3'
    if os.geteuid() != 0 or not os.access(system_python, os.X_OK):
        pytest.skip('needs root and a system Python')
    tag = 'planted-{}'.format(os.getpid())
    box = sandbox.Sandbox('separate user')
    try:
        proc = box.spawn(
            [system_python, '-I', '-c', PLANTER.format(tag=tag),
             sandbox.SETTINGS], 'probe', 'numpy', lambda why: None,
            reads=(), preload=(), stdout=subprocess.PIPE, text=True)
        assert proc.stdout.read().strip() == 'planted'
        proc.wait(timeout=30)
        assert os.path.exists('/tmp/' + tag + '-folder/deeper/file')
    finally:
        box.end()
    left = [os.path.join(folder, name)
            for folder in ('/tmp', '/var/tmp', '/dev/shm')
            for name in os.listdir(folder) if name.startswith(tag)]
    assert left == []
    assert os.path.exists('/etc/hostname')


def _owned(path, uid, folder=False):
    if folder:
        os.makedirs(path)
    else:
        open(path, 'w').close()
    os.chown(path, uid, uid)


def _block(number):
    first = isolation.UID_BASE + number * isolation.UIDS_PER_GRADING
    return range(first, first + isolation.UIDS_PER_GRADING)


@pytest.fixture
def shared():
    """A folder any user may write, like /tmp, as root, in a folder all
    may pass through (pytest's tmp_path is closed to other users)."""
    if os.geteuid() != 0 or shutil.which('setpriv') is None:
        pytest.skip('needs root and setpriv')
    base = pathlib.Path(tempfile.mkdtemp(prefix='shared-', dir='/tmp'))
    try:
        base.chmod(0o755)
        folder = base / 'shared'
        folder.mkdir()
        folder.chmod(0o1777)
        yield folder
    finally:
        subprocess.run(['rm', '-rf', '--', str(base)])


def test_only_the_gradings_user_ids_entries_are_removed(shared):
    uids = _block(1999990)
    opened = shared / 'opened'              # a user's folder open to all
    opened.mkdir()
    opened.chmod(0o777)
    closed = shared / 'closed'
    closed.mkdir(mode=0o755)
    _owned(str(shared / 'theirs'), uids[0])
    _owned(str(shared / 'their-folder'), uids[-1], folder=True)
    _owned(str(shared / 'their-folder' / 'inside'), uids[-1])
    _owned(str(opened / 'theirs-deeper'), uids[5])
    _owned(str(shared / 'a-users'), 1000)
    _owned(str(shared / 'next-block'), uids[-1] + 1)
    _owned(str(closed / 'unreachable'), uids[0])
    os.symlink(str(shared.parent), str(shared / 'their-link'))
    os.lchown(str(shared / 'their-link'), uids[0], uids[0])
    removed = isolation.remove_left_by(uids, roots=[str(shared)])
    assert sorted(removed) == sorted(
        str(path) for path in (shared / 'theirs', shared / 'their-folder',
                               shared / 'their-link',
                               opened / 'theirs-deeper'))
    assert sorted(os.listdir(str(shared))) == ['a-users', 'closed',
                                               'next-block', 'opened']
    assert os.listdir(str(opened)) == []
    assert os.path.exists(str(closed / 'unreachable'))
    assert os.path.isdir(str(shared.parent))


def test_a_tree_thousands_of_folders_deep_is_removed(shared):
    # shutil.rmtree and os.walk recurse: RecursionError, not an OSError
    uid = _block(1999990)[7]
    path = str(shared / 'deep')
    # (os.makedirs recurses too)
    subprocess.run(['mkdir', '-p', os.path.join(path, *['d'] * 1200)],
                   check=True)
    subprocess.run(['chown', '-R', '{0}:{0}'.format(uid), path], check=True)
    assert isolation.remove_left_by(_block(1999990), [str(shared)]) == [path]
    assert os.listdir(str(shared)) == []


def test_remove_tree_keeps_each_command_line_short(monkeypatch):
    # 500 paths 4 KB long would pass ARG_MAX (2 MB): rm would not start
    calls = []
    monkeypatch.setattr(isolation.subprocess, 'run', lambda argv, **kw: (
        calls.append(argv), types.SimpleNamespace(returncode=0))[1])
    paths = ['/tmp/' + 'd/' * 2000 + str(k) for k in range(600)]
    assert isolation.remove_tree(paths, 1999006 * 256)
    assert all(sum(len(a) + 1 for a in argv) < 2 ** 18 for argv in calls)
    assert [p for argv in calls for p in argv[argv.index('--', 5) + 1:]] \
        == paths


def test_an_entry_swapped_after_it_was_found_is_removed_as_its_owner(
        shared, monkeypatch):
    # between finding shared/w/x and removing it, w became a link to a
    # folder of root's: removed as root, its x would go
    uid = _block(1999990)[3]
    protected = shared.parent / 'protected'
    protected.mkdir(mode=0o755)
    (protected / 'x').write_text('root\'s')
    os.symlink(str(protected), str(shared / 'w'))
    os.lchown(str(shared / 'w'), uid, uid)
    monkeypatch.setattr(isolation, '_shared_entries',
                        lambda roots, uids: [(str(shared / 'w' / 'x'),
                                              uid)])
    isolation.remove_left_by(_block(1999990), [str(shared)])
    assert (protected / 'x').read_text() == 'root\'s'


def test_a_users_ids_are_left_alone(shared, monkeypatch):
    # where id mapping (sssd) gives real users ids in the graders' range
    ids = _block(1999003)
    named = isolation._named
    monkeypatch.setattr(isolation, '_named',
                        lambda uid: uid == ids[1] or named(uid))
    _owned(str(shared / 'a-users'), ids[1])
    _owned(str(shared / 'a-runs'), ids[2])
    assert isolation.remove_left_by(ids, roots=[str(shared)]) == [
        str(shared / 'a-runs')]
    assert os.listdir(str(shared)) == ['a-users']
    first, hold = isolation.reserve_block(1999003)
    hold.close()
    assert first != ids[0]


def test_nested_entries_of_other_ids_go_deepest_first(shared):
    # a run's folder open to all, holding another run's closed folder
    ids = _block(1999004)
    _owned(str(shared / 'open'), ids[0], folder=True)
    (shared / 'open').chmod(0o777)
    _owned(str(shared / 'open' / 'closed'), ids[1], folder=True)
    (shared / 'open' / 'closed').chmod(0o700)
    _owned(str(shared / 'open' / 'closed' / 'file'), ids[1])
    isolation.remove_left_by(ids, roots=[str(shared)])
    assert os.listdir(str(shared)) == []


def test_system_v_ipc_of_the_gradings_ids_goes(shared):
    if shutil.which('ipcmk') is None:
        pytest.skip('needs ipcmk')
    ids = _block(1999005)
    made = subprocess.run(isolation.setpriv(ids[0]) + ['ipcmk', '-M', '4096'],
                          capture_output=True, text=True, check=True).stdout
    shmid = made.split()[-1]

    def listed():
        with open('/proc/sysvipc/shm') as f:
            return [line.split()[1] for line in f][1:]
    assert shmid in listed()
    isolation.remove_left_by(ids, roots=[])
    assert shmid not in listed()


def test_a_killed_gradings_folder_is_swept_by_the_next(tmp_path,
                                                       monkeypatch):
    # found when CI's disk filled up on 2026-12-07: every run of this
    # suite left the folders of the gradings its tests kill (SIGKILL, no
    # end()), up to 57 MB each with the course data
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path))
    grader = subprocess.Popen(
        [sys.executable, '-c', 'import sys, time\n'
         'from optimization_grader import sandbox\n'
         'print(sandbox.Sandbox("same user").tmp, flush=True)\n'
         'time.sleep(600)'],
        cwd=os.path.dirname(os.path.dirname(sandbox.__file__)),
        env=dict(os.environ, TMPDIR=str(tmp_path)),
        stdout=subprocess.PIPE, text=True)
    try:
        folder = grader.stdout.readline().strip()
        assert os.path.dirname(folder) == str(tmp_path), folder
        assert sandbox.sweep(str(tmp_path)) == [], 'a living grader\'s'
    finally:
        grader.kill()
        grader.wait()
    assert os.path.isdir(os.path.join(folder, 'runtime'))
    box = sandbox.Sandbox('same user')
    try:
        assert not os.path.exists(folder)
        assert os.listdir(str(tmp_path)) == [os.path.basename(box.tmp)]
        # a second sandbox of one process sweeps nothing of the first's
        assert sandbox.sweep(str(tmp_path)) == []
    finally:
        box.end()
    assert os.listdir(str(tmp_path)) == []


def _unheld(path):
    os.makedirs(path)
    open(os.path.join(path, sandbox.HELD), 'w').close()


def _linked(path):
    target = os.path.join(os.path.dirname(path), 'target')
    _unheld(target)
    os.symlink(target, path)


def _held_links_out(path):
    os.makedirs(path)
    outside = os.path.join(os.path.dirname(path), 'outside')
    open(outside, 'w').close()
    os.symlink(outside, os.path.join(path, sandbox.HELD))


def _another_users(path):
    if os.geteuid() != 0:
        pytest.skip('needs root to give a folder away')
    _unheld(path)
    os.chown(path, 12345, 12345)


@pytest.mark.parametrize('name, make, removed', [
    ('optimization-grader-dead', _unheld, True),
    # cli.grade's own folder has this name and no HELD file
    ('optimization-grader-private', os.makedirs, False),
    ('optimization-grader-link', _linked, False),
    ('optimization-grader-redirected', _held_links_out, False),
    ('optimization-grader-theirs', _another_users, False),
    ('someone-elses', _unheld, False),
])
def test_a_sweep_removes_only_unheld_sandbox_folders(tmp_path, name, make,
                                                     removed):
    path = str(tmp_path / name)
    make(path)
    before = sorted(os.listdir(str(tmp_path)))
    assert sandbox.sweep(str(tmp_path)) == ([path] if removed else [])
    after = sorted(os.listdir(str(tmp_path)))
    assert after == sorted(set(before) - ({name} if removed else set()))


HOPPER = inspect.cleandoc('''
    import os, sys, time
    # a child out of the session, with no environment, that forks and
    # exits every {period} s: at any moment a new process
    if os.fork() == 0:
        os.setsid()
        # the tag first: a command line is reported cut at 80 characters
        code = ('# {tag}\\n'
                'import os, time\\n'
                'while True:\\n'
                '    if os.fork():\\n'
                '        os._exit(0)\\n'
                '    time.sleep({period})\\n')
        os.execve(sys.executable, [sys.executable, '-c', code], {{}})
    print('started', flush=True)
    time.sleep(300)
    ''')


def slow_process_iter(attrs=None, ad_value=None):
    """psutil.process_iter on a loaded machine: the processes are read a
    while after they are listed (as CI's two stacks side by side made
    it, where a hopper slipped through)."""
    pids = psutil.pids()
    time.sleep(0.3)
    for pid in pids:
        try:
            process = psutil.Process(pid)
            if attrs is not None:
                process.info = process.as_dict(attrs, ad_value)
        except psutil.Error:
            continue
        yield process


@pytest.mark.parametrize('level', ['bubblewrap', 'separate user'])
def test_a_process_that_keeps_forking_is_found_and_killed(level, tmp_path,
                                                          monkeypatch):
    python = sys.executable
    if level == 'bubblewrap':
        problem = isolation.bubblewrap_works()
        if problem:
            if os.environ.get('CI') == 'true':
                pytest.fail(problem)
            pytest.skip(problem)
    else:
        # the system's Python: this machine's environments may not be
        # readable by other users
        python = '/usr/bin/python3'
        if os.geteuid() != 0 or not os.access(python, os.X_OK):
            pytest.skip('needs root and a system Python')
    monkeypatch.setattr(psutil, 'process_iter', slow_process_iter)
    box = sandbox.Sandbox(level)
    try:
        for attempt in range(3):
            tag = 'hopper-{}-{}'.format(os.getpid(), attempt)
            label = 'probe-{}'.format(attempt)
            proc = box.spawn(
                [python, '-I', '-c', HOPPER.format(tag=tag, period=0.01),
                 sandbox.SETTINGS], label, 'numpy', lambda why: None,
                reads=(), preload=(), stdout=subprocess.PIPE, text=True)
            assert proc.stdout.readline().strip() == 'started'
            time.sleep(0.5)
            left = box.kill(label)
            assert any(tag in command for command in left), left
            proc.wait(timeout=30)
            time.sleep(0.5)
            alive = [pid for pid in psutil.pids()
                     if tag in ' '.join(_cmdline(pid))]
            assert alive == [], alive
    finally:
        box.end()


def _cmdline(pid):
    try:
        return psutil.Process(pid).cmdline()
    except psutil.Error:
        return []


# ---- the outcomes, fed as the plugin's hooks feed them
def test_outcomes_make_verdicts():
    from optimization_grader.outcomes import Outcomes, failure_of
    from optimization_grader.checks import CheckFailed
    outcomes = Outcomes()
    present = set(TASKS) - {11}
    for n in present:
        for check in ('function', 'house_rules'):
            outcomes.record(n, check, 'a check', 'pass', test_id=(n, check))
    raised = CheckFailed('f(x=1) returned 2', expected='1', actual='2',
                         hint='use x', called='f(x=1)')
    failure, grader_error = failure_of(raised)
    # the check's Failure itself, not a copy in another form
    assert failure is raised.failure and not grader_error
    assert failure.one_line() == \
        'f(x=1) returned 2: expected 1, got 2. Hint: use x'
    outcomes.record(7, 'function', 'by hand [1]', 'fail', failure,
                    test_id=(7, 'by hand [1]'))
    outcomes.record(7, 'function', 'by hand [2]', 'fail', failure,
                    test_id=(7, 'by hand [2]'))
    outcomes.left_running(0, 'driver', ['sleep 9'])
    outcomes.warn(5, 'import numpy as np is not used')
    tasks = outcomes.verdicts(present, {}, solution_mode=True)
    assert tasks['7']['verdict'] == 'fail'
    # one line for a failure its parameters share, counted
    assert [f['also_failed'] for f in tasks['7']['failures']] == [1]
    # in the report: its fields unchanged, where it was found, one line
    assert tasks['7']['failures'][0] == {
        'message': 'f(x=1) returned 2', 'called': 'f(x=1)', 'expected': '1',
        'actual': '2', 'hint': 'use x', 'check': 'function',
        'test': 'by hand [1]', 'also_failed': 1,
        'one_line': 'f(x=1) returned 2: expected 1, got 2. Hint: use x'}
    assert tasks['0']['verdict'] == 'fail'
    assert tasks['0']['checks']['driver'] == 'fail'
    assert tasks['11']['verdict'] == 'missing'
    assert tasks['5'] == dict(tasks['5'], verdict='pass', warnings=[
        'import numpy as np is not used'])
    assert outcomes.exit_status(tasks) == 1
    failure, grader_error = failure_of(KeyError('x'))
    assert grader_error and 'bug in the grader' in failure.hint


def test_a_check_the_time_limit_cut_off_is_not_passed():
    # one test passed before the grading's time ran out, the others were
    # cut off: the check did not run whole, so it does not pass (a red
    # team timed a right first answer just before the limit)
    from optimization_grader.outcomes import Outcomes
    outcomes = Outcomes()
    outcomes.record(4, 'function', 'first', 'pass', test_id=(4, 'first'))
    outcomes.record(4, 'function', 'second', 'cut off',
                    test_id=(4, 'second'))
    outcomes.record(4, 'house_rules', 'shebang', 'pass',
                    test_id=(4, 'shebang'))
    # a test skipped for another reason (the slow tier) leaves a pass
    outcomes.record(4, 'driver', 'checkpoint', 'pass', test_id=(4, 'c'))
    outcomes.record(4, 'driver', 'in full', 'not run', test_id=(4, 'f'))
    found = outcomes.verdicts({4}, {}, solution_mode=True)['4']
    assert found['checks'] == {'house_rules': 'pass', 'function': 'not run',
                               'driver': 'pass'}
    assert found['verdict'] == 'not run'


def test_a_request_the_worker_does_not_read_ends_at_its_deadline():
    # a worker that stops reading its pipe cannot hold the grader
    import time
    read, write = os.pipe()
    try:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            codec.send(write, {'op': 'call', 'args': 'x' * 2 ** 20},
                       deadline=started + 0.5)
        assert time.monotonic() - started < 2
    finally:
        os.close(read)
        os.close(write)


def test_what_a_worker_says_its_solution_raised_is_cut_to_size():
    error = sandbox._error({'type': 'T' * 10 ** 5, 'message': 'M' * 10 ** 5,
                            'where': ['not', 'a', 'string'], 'extra': 1})
    assert set(error) == {'type', 'message', 'where'}
    assert [len(error[k]) for k in ('type', 'message')] == [100, 600]
    assert sandbox._error('not a dict') == {'type': '', 'message': '',
                                            'where': ''}
    opaque = codec.decode({'t': 'opaque', 'type': 'K' * 10 ** 5,
                           'repr': 'r' * 10 ** 5})
    assert len(opaque.type_name) == 200 and len(repr(opaque)) == 300


# ---- the workers and the drivers, each without the plugin
def test_workers_load_call_and_say_what_went_wrong(tmp_path):
    from optimization_grader.workers import Workers
    from optimization_grader.checks import CheckFailed
    (tmp_path / '0-norm_constants.py').write_bytes(
        (ROOT_DIR / '0-norm_constants.py').read_bytes())
    (tmp_path / '4-moving_average.py').write_text('"""no function"""\n')
    (tmp_path / '13-batch_norm.py').write_text(
        'def batch_norm(Z, gamma, beta, epsilon):\n    return None\n')
    # an earlier version's signature
    (tmp_path / '5-momentum.py').write_text(
        'def update_variables_momentum(alpha, beta1, var, grad):\n'
        '    return var, grad\n')
    sources, unreadable = {}, {}
    for n in (0, 1, 4, 5, 13):
        found = integrity.read_source(str(tmp_path), TASKS[n].stem + '.py')
        if found is not None:
            sources[n] = found[0]
    box = sandbox.Sandbox(isolation.strongest()[0])
    ran = set()
    workers = Workers(lambda: box, str(tmp_path), sources, unreadable, ran)
    try:
        assert workers.load(0)['callable'] is True
        X = np.array([[1.0, 2.0], [3.0, 6.0]])
        result = workers.call(0, 'graded', {
            'op': 'call', 'args': codec.encode([X]), 'seed': None}, (X,))
        np.testing.assert_allclose(result.value, (X.mean(0), X.std(0)))
        assert ran == {0}
        with pytest.raises(CheckFailed, match='has no function '
                           'moving_average'):
            workers.load(4)
        with pytest.raises(CheckFailed, match=r'1-normalize.py: no such '
                           'file'):
            workers.load(1)
        with pytest.raises(CheckFailed, match='returned None'):
            workers.call(13, 'graded', {
                'op': 'call', 'args': codec.encode([X, X[0], X[0], 1e-8]),
                'seed': None}, (X, X[0], X[0], 1e-8))
        with pytest.raises(CheckFailed, match=r'raised TypeError.*Hint: '
                           r'your update_variables_momentum takes 4 '
                           r"arguments, the spec's 5: def "
                           r'update_variables_momentum\(alpha, beta1, var, '
                           r'grad, v\)'):
            args = (0.1, 0.9, X[0], X[0], X[0])
            workers.call(5, 'graded', {
                'op': 'call', 'args': codec.encode(list(args)),
                'seed': None}, args)
        # a module that did not load: its driver is not run
        assert workers.close(4, 'graded') == (
            [], 'in the function checks, its module did not load')
        assert workers.close(0, 'graded') == ([], None)
    finally:
        workers.close_all()
        box.end()


def test_the_memory_watchdog_kills_a_runaway(tmp_path, monkeypatch):
    # the watchdog (every 0.5 s, resident memory of the run's processes),
    # at 256 MB instead of 2 GB so that it acts well within the call's
    # 15 s however slow page faults are
    from optimization_grader.workers import Workers
    from optimization_grader.checks import CheckFailed
    monkeypatch.setitem(sandbox.RESIDENT, 'numpy', 2 ** 28)
    (tmp_path / '13-batch_norm.py').write_text(
        'import numpy as np\n\n\ndef batch_norm(Z, gamma, beta, '
        'epsilon):\n    hoard = []\n    while True:\n'
        '        hoard.append(np.ones(10 ** 6))\n')
    sources = {13: integrity.read_source(str(tmp_path),
                                         '13-batch_norm.py')[0]}
    box = sandbox.Sandbox(isolation.strongest()[0])
    workers = Workers(lambda: box, str(tmp_path), sources, {}, set())
    try:
        X = np.ones((2, 2))
        args = (X, X[0], X[0], 1e-8)
        with pytest.raises(CheckFailed, match='used more than 0.25 GB of '
                                              'memory'):
            workers.call(13, 'graded', {
                'op': 'call', 'args': codec.encode(list(args)),
                'seed': None}, args)
    finally:
        workers.close_all()
        box.end()


class FakeRun:
    def __init__(self, number):
        self.number, self.started = number, 0.0
        self.done, self.left = threading.Event(), []


def test_drivers_run_one_of_each_lane_at_a_time():
    from optimization_grader.drivers import Drivers
    from optimization_grader.outcomes import Outcomes
    started = []

    class Lanes(Drivers):
        def start(self, key):
            started.append(key[0])
            self.runs[key] = FakeRun(key[0])
            if TASKS[key[0]].driver.lane == 'light':
                self.runs[key].done.set()
            return True
    drivers = Lanes(None, None, None, {}, None, lambda: None, set(),
                    Outcomes(), quick=True)
    by_lane = {lane: [n for n in TASKS if TASKS[n].driver.lane == lane]
               for lane in ('tensorflow', 'numpy', 'light')}
    for n in by_lane['tensorflow'][:2] + by_lane['numpy'][:2] + \
            by_lane['light'][:2]:
        drivers.want(n, 'full', 'graded')
    drivers.pump()
    assert started == []            # no task's checks are done yet
    drivers.ready |= {(n, 'graded') for n in TASKS}
    drivers.pump()
    # the light ones at once, one after the other; one of each other lane
    assert sorted(started) == sorted(by_lane['tensorflow'][:1] +
                                     by_lane['numpy'][:1] +
                                     by_lane['light'][:2])
    drivers.runs[(by_lane['tensorflow'][0], 'full', 'graded')].done.set()
    drivers.pump()
    assert started[-1] == by_lane['tensorflow'][1]
    assert by_lane['numpy'][1] not in started


@pytest.mark.parametrize('selected, full, wanted', [
    # the default tier: every long driver up to its first checkpoint
    ([(6, 'checkpoint'), (0, 'full')], {0}, [(6, 'checkpoint'), (0, 'full')]),
    # --slow: the full run checks the checkpoint, so it alone starts
    ([(6, 'checkpoint'), (6, 'full'), (7, 'checkpoint'), (7, 'full')],
     {6, 7}, [(6, 'full'), (7, 'full')]),
    # --slow -m "not (slow and tensorflow_driver)": 6's full run left out,
    # so its checkpoint run starts
    ([(6, 'checkpoint'), (7, 'checkpoint'), (7, 'full')],
     {7}, [(6, 'checkpoint'), (7, 'full')]),
    # the 'graded' test of a task twice (solution mode's own variant aside)
    ([(6, 'full'), (6, 'full')], {6}, [(6, 'full')]),
    ([], set(), []),
])
def test_a_checkpoint_run_starts_only_without_the_full_run(
        selected, full, wanted):
    from optimization_grader.drivers import driver_plan
    assert driver_plan(selected) == (full, wanted)


def _driver_check():
    """tests/graded/test_drivers.py's check(), loaded as a module."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'graded_test_drivers', ROOT_DIR / 'tests' / 'graded' /
        'test_drivers.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check


SPEC_6 = (ROOT_DIR / 'tests' / 'expected' / '6-main.txt').read_text()
EIGHT_LINES = ''.join(SPEC_6.splitlines(True)[:8])
KERAS_WARNING = 'super().__init__(activity_regularizer=activity_regularizer)'


@pytest.mark.parametrize('output, status, stderr, message, hint', [
    # CI's failure on 2026-12-04: the hint must say it was killed
    (EIGHT_LINES, -9, KERAS_WARNING,
     "the output ends after 8 lines, before 'Cost after 900 iterations",
     'it was killed by SIGKILL (signal 9); the last line on stderr: '
     + KERAS_WARNING),
    (EIGHT_LINES, 1, 'ValueError: shapes (1,2) and (3,4) not aligned', '',
     'it exited with status 1; the last line on stderr: ValueError'),
    (EIGHT_LINES, -11, '', '', 'it was killed by a segmentation fault '
     '(signal 11); the last line on stderr: (none)'),
    (SPEC_6, 1, 'OSError: [Errno 28] No space left on device',
     'mains/6-main.py printed what the spec prints, then exited with '
     'status 1', 'the last line on stderr: OSError: [Errno 28]'),
    (SPEC_6.replace('0.2116965502500534', '0.3'), 0, '',
     'did not print what the spec prints',
     'the function checks above say what is wrong'),
])
def test_a_failed_drivers_message_says_how_it_ended(
        output, status, stderr, message, hint):
    run = types.SimpleNamespace(killed_for=None, output=output,
                                status=status, why=None,
                                stderr_tail=lambda: stderr)
    with pytest.raises(checks.CheckFailed) as failed:
        _driver_check()(run, SPEC_6, 6)
    assert message in failed.value.message
    assert failed.value.hint.startswith(hint), failed.value.hint


def test_a_driver_that_printed_the_spec_and_exited_0_passes():
    run = types.SimpleNamespace(killed_for=None, output=SPEC_6, status=0,
                                why=None, stderr_tail=lambda: '')
    assert _driver_check()(run, SPEC_6, 6) is None
