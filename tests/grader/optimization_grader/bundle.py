#!/usr/bin/env python3
"""optimization-grader gradescope-zip: a Gradescope autograder, ready to
upload.

    optimization-grader gradescope-zip --data DIR -o autograder.zip
        [--points ...] [--warn-rule RULE] [--settings FILE]

The zip holds, at its root, setup.sh and run_autograder (the templates in
bundle/), course/ (this repository's numbered files, tests, drivers,
expected outputs and grader, and the course's pinned stack as
course/course-stack.txt), data/ (the course files, checked against their
SHA-256 first) and settings.toml (the course's scoring).
"""
import hashlib
import os
import stat
import sys
import zipfile

from . import scores
from .paths import ROOT
from .tasks import COURSE_FILES, TASKS

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         'bundle')
SKIP_FOLDERS = {'__pycache__', '.pytest_cache', '.hypothesis', 'build'}


def course_files(root=ROOT):
    """[(path in the zip, path on disk)] of what a grading needs of this
    repository: nothing of its history, environments, data or figures."""
    found = [('course/' + task.stem + '.py',
              os.path.join(root, task.stem + '.py'))
             for task in TASKS.values()]
    for name in ('pytest.ini', 'requirements.txt'):
        found.append(('course/' + name, os.path.join(root, name)))
    found.append(('course/course-stack.txt',
                  os.path.join(root, '.ci', 'course-stack.txt')))
    for folder in ('tests', 'mains'):
        for here, folders, names in os.walk(os.path.join(root, folder)):
            folders[:] = sorted(
                f for f in folders if f not in SKIP_FOLDERS
                and not f.endswith('.egg-info') and not f.startswith('.'))
            for name in sorted(names):
                if name.endswith('.pyc') or name.startswith('.'):
                    continue
                path = os.path.join(here, name)
                found.append(('course/' + os.path.relpath(path, root)
                              .replace(os.sep, '/'), path))
    return found


def check_data(folder):
    """[(path in the zip, path on disk)] of the course files in folder,
    each checked against its SHA-256 (tasks.COURSE_FILES); a ValueError
    says which file is missing or not the course's."""
    found = []
    for name, digest in COURSE_FILES.items():
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            raise ValueError('--data {}: no {} there (expected {})'.format(
                folder, name, ', '.join(COURSE_FILES)))
        with open(path, 'rb') as f:
            actual = hashlib.sha256(f.read()).hexdigest()
        if actual != digest:
            raise ValueError('--data {}: {} is not the course\'s file: '
                             'SHA-256 {}, expected {}'.format(
                                 folder, name, actual, digest))
        found.append(('data/' + name, path))
    return found


def settings_toml(settings):
    """A settings file (scores.read_settings_file) for settings."""
    def value(v):
        if isinstance(v, bool):
            return 'true' if v else 'false'
        if isinstance(v, str):
            return '"{}"'.format(v)
        if isinstance(v, (list, tuple)):
            return '[' + ', '.join(value(x) for x in v) + ']'
        return repr(v)
    lines = ['# the course\'s scoring (optimization-grader gradescope-zip)',
             '[points]']
    lines += ['{} = {}'.format(k, value(v))
              for k, v in settings.points.items()]
    lines += ['', '[rules]', 'warn = ' + value(list(settings.warn_rules)),
              'require_data = ' + value(settings.require_data), '',
              '[gradescope]', 'visibility = ' + value(settings.visibility),
              'stdout_visibility = ' + value(settings.stdout_visibility)]
    return '\n'.join(lines) + '\n'


def template(name, settings):
    with open(os.path.join(TEMPLATES, name)) as f:
        return f.read().replace('@FULL_MARKS@',
                                str(scores.full_marks(settings)))


def build(output, data, settings, root=ROOT):
    """Write the autograder zip at output; return its entries' names."""
    entries = course_files(root) + (check_data(data) if data else [])
    executable = stat.S_IFREG | 0o755
    with zipfile.ZipFile(output, 'w', zipfile.ZIP_DEFLATED) as zip_file:
        for name in ('setup.sh', 'run_autograder'):
            info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
            info.external_attr = executable << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zip_file.writestr(info, template(name, settings))
        zip_file.writestr('settings.toml', settings_toml(settings))
        for name, path in entries:
            zip_file.write(path, name)
        return zip_file.namelist()


def unpack(zip_path, folder):
    """Extract an autograder zip keeping its executable bits (as
    Gradescope does; zipfile alone drops them)."""
    with zipfile.ZipFile(zip_path) as zip_file:
        for info in zip_file.infolist():
            path = zip_file.extract(info, folder)
            mode = info.external_attr >> 16
            if mode & 0o111:
                os.chmod(path, 0o755)


def zip_command(args):
    from .cli import settings_of
    try:
        settings = settings_of(args)
        names = build(args.output, args.data, settings)
    except (scores.SettingsError, ValueError, OSError) as e:
        print('optimization-grader gradescope-zip: {}'.format(e),
              file=sys.stderr)
        return 2
    print('wrote {} ({} files{}); upload it as the autograder, with the '
          'settings of docs/course-staff.md'.format(
              args.output, len(names), ', with the course data' if args.data
              else ', WITHOUT the course data: the drivers that need it '
              'will not be scored'), file=sys.stderr)
    return 0


def add_command(commands):
    from .cli import add_scoring
    command = commands.add_parser('gradescope-zip',
                                  help='build a Gradescope autograder zip')
    command.add_argument('--data', metavar='DIR',
                         help='the folder of the course files, put in the '
                              'zip')
    command.add_argument('-o', '--output', default='autograder.zip',
                         metavar='FILE')
    add_scoring(command)
    command.set_defaults(run=zip_command)
