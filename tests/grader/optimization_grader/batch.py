#!/usr/bin/env python3
"""optimization-grader batch and merge: a whole class.

    optimization-grader batch SUBMISSIONS --out DIR [--jobs N]
        [--shard K/N] [--data DIR] [--timeout S] [scoring options]
    optimization-grader merge DIR... --out DIR [scoring options]

SUBMISSIONS is a folder of solution folders or of repositories, or a
Gradescope "export submissions" folder (submission_<id>/ folders and
submission_metadata.yml).  Each submission is graded by cli.grade, in a
pytest of its own with its own private report, workers and sandboxes;
DIR/reports/<name>.json is its report (the grading's JSON report plus a
"batch" entry: the content hash it was made from, the grader's version,
the time it took), DIR/logs/<name>.txt its table.  Run again, it grades
only what is new or changed.  DIR/grades.csv (otter-grader's shape) and
DIR/index.html (classpage.py) are made from the reports alone, so that
merge can join the reports of many machines and write them again.
"""
import concurrent.futures
import csv
import hashlib
import io
import json
import os
import re
import shutil
import sys
import threading
import time

from . import cli, scores
from . import report as reports
from .paths import ROOT
from .tasks import CHECKS, TASKS

POINTS_ROW = 'points-per-question'      # otter-grader's first row
COMPLETED = 'Completed'


class Submission:
    """A submission found in SUBMISSIONS: its name (a file name), the
    folder graded, how it was found, and who submitted it (Gradescope)."""

    def __init__(self, name, folder, said, submitters=()):
        self.name, self.folder, self.said = name, folder, said
        self.submitters = list(submitters)

    def __repr__(self):
        return 'Submission({!r}, {!r})'.format(self.name, self.folder)


def safe_name(text):
    """A file name for a submission: letters, digits, '.', '_', '-'."""
    name = re.sub(r'[^A-Za-z0-9._-]+', '_', text).strip('._') or 'unnamed'
    return name[:100]


def gradescope_metadata(text):
    """{'submission_<id>': [submitter, ...]} from Gradescope's
    submission_metadata.yml (read without a YAML library: the keys
    'submission_<id>:' at the start of a line, then each submitter's
    ':name:' and ':email:')."""
    found, current, person = {}, None, None
    for line in text.splitlines():
        top = re.match(r'^(submission_\d+):\s*$', line)
        if top:
            current = found.setdefault(top.group(1), [])
            person = None
            continue
        field = re.match(r'^\s*-?\s*:(name|email|sid):\s*(.*?)\s*$', line)
        if current is None or not field:
            continue
        key, value = field.group(1), field.group(2).strip('\'"')
        if line.lstrip().startswith('-') or person is None or \
                key in person:
            person = {}
            current.append(person)
        person[key] = value
    return found


def discover(submissions):
    """The submissions in a folder, sorted by name, each found
    (cli.find_solution) and named; SUBMISSIONS holding numbered files
    itself is one submission."""
    submissions = os.path.abspath(submissions)
    if cli.numbered_files(submissions):
        return [Submission(safe_name(os.path.basename(submissions)),
                           submissions, 'grading ' + submissions)]
    metadata = {}
    path = os.path.join(submissions, 'submission_metadata.yml')
    if os.path.isfile(path):
        with open(path, errors='replace') as f:
            metadata = gradescope_metadata(f.read())
    found, names = [], set()
    for entry in sorted(os.listdir(submissions)):
        folder = os.path.join(submissions, entry)
        if entry.startswith('.') or not os.path.isdir(folder) or \
                os.path.islink(folder):
            continue
        name = safe_name(entry)
        while name in names:
            name += '_'
        names.add(name)
        graded, said = cli.find_solution(folder)
        found.append(Submission(name, graded, said,
                                metadata.get(entry, ())))
    return found


def shard(items, which):
    """The K-th of N equal shares of items ('K/N', K from 1): every N-th
    item from the K-th, so that shares differ by at most one."""
    match = re.fullmatch(r'(\d+)/(\d+)', which or '1/1')
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise ValueError('--shard {!r}: expected K/N with 1 <= K <= N, '
                         'e.g. 2/4'.format(which))
    k, n = int(match.group(1)), int(match.group(2))
    return items[k - 1::n]


def content_hash(folder):
    """SHA-256 of what a grading reads of a solution: each numbered
    file's name, executable bit and bytes (a missing one counts too)."""
    digest = hashlib.sha256()
    for task in TASKS.values():
        path = os.path.join(folder, task.stem + '.py')
        digest.update(task.stem.encode() + b'\0')
        if os.path.islink(path) or not os.path.isfile(path):
            digest.update(b'link\0' if os.path.islink(path) else b'none\0')
            continue
        digest.update(b'x' if os.access(path, os.X_OK) else b'-')
        with open(path, 'rb') as f:
            digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


def grader_version(data):
    """SHA-256 of what decides a verdict besides the solution: the
    grader's code, the graded tests, the drivers and expected outputs,
    this repository's numbered files, the Python and the stack, and
    whether the course data is used."""
    digest = hashlib.sha256()
    folders = [os.path.join(ROOT, 'tests', 'grader', 'optimization_grader'),
               os.path.join(ROOT, 'tests', 'graded'),
               os.path.join(ROOT, 'tests', 'expected'),
               os.path.join(ROOT, 'mains')]
    files = [os.path.join(ROOT, task.stem + '.py')
             for task in TASKS.values()] + [
        os.path.join(ROOT, 'tests', 'conftest.py'),
        os.path.join(ROOT, 'pytest.ini')]
    for folder in folders:
        for here, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(s for s in subfolders
                                   if s != '__pycache__')
            files += [os.path.join(here, n) for n in sorted(names)
                      if not n.endswith('.pyc')]
    for path in files:
        if os.path.isfile(path):
            digest.update(os.path.relpath(path, ROOT).encode() + b'\0')
            with open(path, 'rb') as f:
                digest.update(hashlib.sha256(f.read()).digest())
    from .grading import stack
    digest.update(json.dumps([stack(), bool(data), sys.version]).encode())
    return digest.hexdigest()[:16]


def data_folder(data):
    """The course data a batch uses: --data, else $OPTIMIZATION_DATA."""
    if data is not None:
        return os.path.abspath(data) if data else ''
    return os.environ.get('OPTIMIZATION_DATA', '')


def up_to_date(path, key):
    """The stored report at path if it was made from `key`, else None."""
    found = cli.read_json(path)
    if isinstance(found, dict) and found.get('batch', {}).get('key') == key:
        return found
    return None


def default_jobs(with_data=False):
    """Without the course data, one grading per 2 cores: a grading runs
    its checks side by side already, and two at once on 2 busy cores
    were slower than one after another.  With the data, one per core: a
    grading then spends most of its time in one TensorFlow driver after
    another, and two at once on 2 quiet cores took 173 s a solution
    against 251 s for one alone (bench/batch_times.py).  And one per 3 GB
    of free memory (a grading with the course data peaks near 2 GB)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(
        os, 'sched_getaffinity') else (os.cpu_count() or 1)
    try:
        import psutil
        memory = psutil.virtual_memory().available // (3 * 2 ** 30)
    except Exception:
        memory = cores
    return max(1, min(cores if with_data else cores // 2, memory))


def progress_line(done, total, not_passing, errors, elapsed, reused=0):
    """'[3/10] 1 not passing, 0 grader errors, 1 reused; about 4 min
    left': the time left from the gradings done now (a reused report
    takes no time), once there is one."""
    left = ''
    graded = done - reused
    if graded > 0 and done < total:
        seconds = elapsed / graded * (total - done)
        left = '; about {} left'.format(
            '{:.0f} min'.format(seconds / 60) if seconds >= 90
            else '{:.0f} s'.format(seconds))
    return '[{}/{}] {} not passing, {} grader error{}{}{}'.format(
        done, total, not_passing, errors, 's' * (errors != 1),
        ', {} reused'.format(reused) if reused else '', left)


def grade_one(submission, out, data, timeout, version, isolation=None,
              require_isolation=None):
    """Grade one submission into out/reports and out/logs (unless its
    stored report is up to date); return (report, whether graded now)."""
    key = '{}:{}'.format(content_hash(submission.folder), version)
    path = os.path.join(out, 'reports', submission.name + '.json')
    stored = up_to_date(path, key)
    if stored is not None:
        return stored, False
    started = time.monotonic()
    log = os.path.join(out, 'logs', submission.name + '.txt')
    with open(log, 'w') as f:
        f.write(submission.said + '\n')
        f.flush()
        try:
            status, found = cli.grade(submission.folder, data, out=f,
                                      isolation=isolation,
                                      require_isolation=require_isolation,
                                      timeout=timeout)
        except Exception as e:      # the grader's own failure: one row
            status, found = 2, cli.complete_report(
                None, 2, time.monotonic() - started, submission.folder,
                'the batch could not run the grader: {}: {}'.format(
                    type(e).__name__, e))
    found['batch'] = {'name': submission.name, 'key': key,
                      'said': submission.said, 'exit_status': status,
                      'submitters': submission.submitters,
                      'seconds': round(time.monotonic() - started, 1)}
    reports.write(path, found)
    return found, True


def run_batch(submissions, out, jobs=1, data=None, timeout=3600,
              progress=None, isolation=None, require_isolation=None):
    """Grade submissions (a list of Submission) into out, `jobs` at
    once; progress(line) is told after each.  Returns the reports."""
    for sub in ('reports', 'logs'):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    version = grader_version(data)
    found, lock, started = {}, threading.Lock(), time.monotonic()
    counts = {'done': 0, 'not passing': 0, 'errors': 0, 'reused': 0}

    def one(submission):
        result, graded = grade_one(submission, out, data, timeout, version,
                                   isolation, require_isolation)
        with lock:
            found[submission.name] = result
            counts['done'] += 1
            counts['reused'] += not graded
            status = result.get('batch', {}).get('exit_status')
            counts['errors'] += status == 2
            counts['not passing'] += status == 1
            if progress:
                progress(progress_line(
                    counts['done'], len(submissions), counts['not passing'],
                    counts['errors'], time.monotonic() - started,
                    counts['reused']))

    with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:
        for future in [pool.submit(one, s) for s in submissions]:
            future.result()
    return [found[s.name] for s in submissions]


def task_points(settings, with_data):
    """{task: the points it can earn}: its checks' points, without the
    drivers that need the data when they do not run and are not scored."""
    return {str(n): sum(settings.points[check] for check in CHECKS
                        if not (check == 'driver' and task.driver.needs_data
                                and not with_data
                                and not settings.require_data))
            for n, task in TASKS.items()}


def row_of(found, settings, possible):
    """One grades.csv row: file, the points of each task, the total, the
    fraction of the points possible, and the grading's status."""
    name = found.get('batch', {}).get('name') or \
        os.path.basename(found.get('solution', ''))
    row = {'file': name}
    if found.get('complete') and found.get('exit_status') != 2:
        earned = {}
        for entry in scores.scored(found, settings):
            earned[entry['task']] = earned.get(entry['task'], 0) + (
                entry['score'] or 0)
        row.update({n: earned.get(n, 0) for n in possible})
        status = COMPLETED if any(
            t['verdict'] != 'missing' for t in found['tasks'].values()) \
            else 'no numbered files found'
    else:
        row.update({n: 0 for n in possible})
        status = 'grader error: ' + str(found.get('why') or
                                        found.get('error') or 'unknown')
    total = sum(row[n] for n in possible)
    most = sum(possible.values())
    row.update(total_points_earned=total,
               percent_correct=round(total / most, 4) if most else 0,
               grading_status=status)
    return row


def grades_csv(found, settings, with_data):
    """grades.csv's text, in otter-grader's shape: a header (file, one
    column per task, total_points_earned, percent_correct,
    grading_status), a first row of each column's points possible, then
    one row per report, sorted by name."""
    possible = task_points(settings, with_data)
    columns = ['file'] + list(possible) + ['total_points_earned',
                                           'percent_correct',
                                           'grading_status']
    text = io.StringIO()
    writer = csv.DictWriter(text, columns, lineterminator='\n')
    writer.writeheader()
    writer.writerow(dict(possible, file=POINTS_ROW,
                         total_points_earned=sum(possible.values()),
                         percent_correct='', grading_status=''))
    rows = sorted((row_of(r, settings, possible) for r in found),
                  key=lambda row: row['file'])
    writer.writerows(rows)
    return text.getvalue()


def stored_reports(out):
    """The reports in out/reports, by name."""
    folder = os.path.join(out, 'reports')
    found = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
        if name.endswith('.json') and not name.startswith('.'):
            report = cli.read_json(os.path.join(folder, name))
            if isinstance(report, dict):
                report.setdefault('batch', {}).setdefault('name', name[:-5])
                found.append(report)
    return found


def publish(out, settings, with_data):
    """grades.csv and index.html from the reports in out."""
    from . import classpage
    found = stored_reports(out)
    with open(os.path.join(out, 'grades.csv'), 'w') as f:
        f.write(grades_csv(found, settings, with_data))
    with open(os.path.join(out, 'index.html'), 'w') as f:
        f.write(classpage.page(found, settings, with_data))
    return found


def batch_command(args):
    try:
        settings = cli.settings_of(args)
        submissions = shard(discover(args.submissions), args.shard)
    except (scores.SettingsError, ValueError, OSError) as e:
        print('optimization-grader batch: {}'.format(e), file=sys.stderr)
        return 2
    data = data_folder(args.data)
    jobs = args.jobs or default_jobs(with_data=bool(data))
    from .isolation import strongest
    if jobs > 1 and strongest(args.isolation)[0] == 'same user':
        # at this level a solution can write into the checkout, and the
        # other gradings' guards would blame their own tasks
        print('one grading at a time: the isolation level here is '
              '"same user", where gradings at once could spoil each other '
              '(install bubblewrap, or run as root)', file=sys.stderr)
        jobs = 1
    print('{} submission{} in {}{}, {} at once, {}'.format(
        len(submissions), 's' * (len(submissions) != 1), args.submissions,
        ' (shard {})'.format(args.shard) if args.shard else '', jobs,
        'with the course data in ' + data if data
        else 'without the course data'), file=sys.stderr, flush=True)
    run_batch(submissions, args.out, jobs, data, args.timeout,
              lambda line: print(line, file=sys.stderr, flush=True),
              args.isolation, args.require_isolation)
    found = publish(args.out, settings, bool(data))
    errors = sum(not r.get('complete') or r.get('exit_status') == 2
                 for r in found)
    print('wrote {} and {} ({} reports, {} grader errors)'.format(
        os.path.join(args.out, 'grades.csv'),
        os.path.join(args.out, 'index.html'), len(found), errors),
        file=sys.stderr)
    return 0


def merge_command(args):
    """Join the outputs of batch runs (e.g. shards) into one folder."""
    try:
        settings = cli.settings_of(args)
    except (scores.SettingsError, OSError) as e:
        print('optimization-grader merge: {}'.format(e), file=sys.stderr)
        return 2
    for sub in ('reports', 'logs'):
        os.makedirs(os.path.join(args.out, sub), exist_ok=True)
    seen = {}
    for folder in args.folders:
        if os.path.abspath(folder) == os.path.abspath(args.out):
            continue
        for sub in ('reports', 'logs'):
            here = os.path.join(folder, sub)
            for name in sorted(os.listdir(here)) if os.path.isdir(here) \
                    else ():
                if sub == 'reports' and name in seen:
                    print('optimization-grader merge: {} is in both {} and '
                          '{}; keeping the first'.format(
                              name, seen[name], folder), file=sys.stderr)
                    continue
                if sub == 'reports':
                    seen[name] = folder
                shutil.copy2(os.path.join(here, name),
                             os.path.join(args.out, sub, name))
    with_data = args.with_data
    found = publish(args.out, settings, with_data)
    print('merged {} reports into {}'.format(len(found), args.out),
          file=sys.stderr)
    return 0


def add_commands(commands, add_grading, add_scoring):
    many = commands.add_parser('batch', help='grade a whole class')
    many.add_argument('submissions', metavar='SUBMISSIONS',
                      help='a folder of solution folders or repositories, '
                           'or a Gradescope "export submissions" folder')
    many.add_argument('--out', required=True, metavar='DIR')
    many.add_argument('--jobs', type=int, default=0, metavar='N',
                      help='gradings at once (default: what the cores and '
                           'memory allow)')
    many.add_argument('--shard', metavar='K/N',
                      help='grade only the K-th of N equal shares')
    many.add_argument('--timeout', type=float, default=3600, metavar='S',
                      help='seconds a grading may take (default 3600)')
    add_grading(many)
    add_scoring(many)
    many.set_defaults(run=batch_command)
    join = commands.add_parser('merge', help='join batch outputs')
    join.add_argument('folders', nargs='+', metavar='DIR')
    join.add_argument('--out', required=True, metavar='DIR')
    join.add_argument('--with-data', action='store_true',
                      help='the batches used the course data')
    add_scoring(join)
    join.set_defaults(run=merge_command)
