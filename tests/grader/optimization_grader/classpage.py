#!/usr/bin/env python3
"""The class report, DIR/index.html: one self-contained page (figures
inlined as PNG, no script, no server, no internet) made from a batch's
reports: the score distribution, the pass rate of each task and check,
the mistakes the class made most, and a line per submission with links
to its table and report.  Every string from a report is HTML-escaped
(and was escaped of control characters by the grader already)."""
import base64
import html
import io
import re

from . import scores
from .tasks import CHECK_TITLES, CHECKS, TASKS

STYLE = '''body{font-family:sans-serif;max-width:960px;margin:1em auto;
padding:0 1em;color:#222}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;
vertical-align:top}th{background:#eee}img{max-width:100%;height:auto}
.num{text-align:right}.error{color:#a00}'''


def complete(found):
    return found.get('complete') and found.get('exit_status') != 2


def pass_rates(found, settings):
    """{(task, check): (passed, scored)} over the complete gradings."""
    rates = {(str(n), c): [0, 0] for n in TASKS for c in CHECKS}
    for report in filter(complete, found):
        for entry in scores.scored(report, settings):
            if entry['status'] == 'not scored':
                continue
            counts = rates[(entry['task'], entry['check'])]
            counts[1] += 1
            counts[0] += entry['status'] == 'passed'
    return {key: tuple(value) for key, value in rates.items()}


def mistake_key(hint):
    """A hint with the task's file names made general, so that the same
    mistake in two tasks is counted once ('chmod +x <file>')."""
    return re.sub(r'\b\d+-[A-Za-z_]+\.py\b', '<file>', hint)


def mistakes(found):
    """[(hint, submissions, tasks)], the most frequent first: each failure
    with a hint (the grader's known mistakes and house rules), counted
    once per submission."""
    seen = {}
    for report in filter(complete, found):
        name = report.get('batch', {}).get('name', report.get('solution'))
        for number, task in report['tasks'].items():
            if task['verdict'] == 'missing':
                continue        # counted apart: missing_files()
            for failure in task.get('failures', []):
                if not failure.get('hint'):
                    continue
                key = (failure['check'], mistake_key(failure['hint']))
                who, where = seen.setdefault(key, (set(), set()))
                who.add(name)
                where.add(int(number))
    found = [(check, hint, len(who), sorted(where))
             for (check, hint), (who, where) in seen.items()]
    return sorted(found, key=lambda m: (-m[2], m[3], m[1]))


def missing_files(found):
    """{task: how many complete gradings lack its file}."""
    counts = {}
    for report in filter(complete, found):
        for number, task in report['tasks'].items():
            if task['verdict'] == 'missing':
                counts[int(number)] = counts.get(int(number), 0) + 1
    return counts


def percents(found, settings, with_data):
    """Each complete grading's score as a percentage of the points."""
    from .batch import task_points
    most = sum(task_points(settings, with_data).values())
    values = []
    for report in filter(complete, found):
        score, _ = scores.totals(scores.scored(report, settings))
        values.append(100.0 * score / most if most else 0.0)
    return values


def png(figure):
    """A matplotlib figure as a data: URL (PNG)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png', dpi=100)
    import matplotlib.pyplot as plt
    plt.close(figure)
    return 'data:image/png;base64,' + base64.b64encode(
        buffer.getvalue()).decode()


def distribution_figure(values, errors):
    """The score distribution: submissions per 10 % of the points."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(figsize=(7, 3.2))
    axes.hist(values, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.001],
              color='#4477aa', edgecolor='white')
    axes.set_xlim(0, 100)
    axes.set_xlabel('score (% of the points)', fontsize=11)
    axes.set_ylabel('submissions', fontsize=11)
    axes.set_title('Score distribution ({} graded{})'.format(
        len(values), ', {} grader error{}'.format(errors, 's' * (
            errors != 1)) if errors else ''), fontsize=12)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(labelsize=10)
    figure.tight_layout()
    return png(figure)


def pass_rate_figure(rates):
    """Pass rate of each task's function, driver and house rules."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(figsize=(7, 6))
    numbers = sorted(TASKS)
    height = 0.27
    colors = {'function': '#4477aa', 'driver': '#ee7733',
              'house_rules': '#228833'}
    for k, check in enumerate(CHECKS):
        values = []
        for n in numbers:
            passed, scored = rates[(str(n), check)]
            values.append(100.0 * passed / scored if scored else 0)
        axes.barh([i + (k - 1) * height for i in range(len(numbers))],
                  values, height, label=CHECK_TITLES[check],
                  color=colors[check])
    axes.set_yticks(range(len(numbers)))
    axes.set_yticklabels(['{} {}'.format(n, TASKS[n].function)
                          for n in numbers], fontsize=10)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel('% of the submissions that pass (of those scored)',
                    fontsize=11)
    axes.set_title('Pass rate per task and check', fontsize=12)
    axes.legend(fontsize=10, loc='upper center', ncol=3,
                bbox_to_anchor=(0.4, -0.1), frameon=False)
    axes.tick_params(axis='x', labelsize=10)
    figure.tight_layout()
    return png(figure)


def cell(text, cls=None):
    return '<td{}>{}</td>'.format(' class="{}"'.format(cls) if cls else '',
                                  html.escape(str(text)))


def page(found, settings, with_data):
    """index.html's text for a batch's reports."""
    from .batch import COMPLETED, row_of, task_points
    possible = task_points(settings, with_data)
    found = sorted(found, key=lambda r: r.get('batch', {}).get('name', ''))
    graded = [r for r in found if complete(r)]
    errors = len(found) - len(graded)
    rates = pass_rates(found, settings)
    values = percents(found, settings, with_data)
    passing = sum(all(t['verdict'] == 'pass' for t in r['tasks'].values())
                  for r in graded)
    parts = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset='
             '"utf-8"><title>Optimization: class report</title><style>'
             + STYLE + '</style></head><body>',
             '<h1>Optimization: class report</h1>',
             '<p>{} submissions: {} graded, {} pass every task, {} grader '
             'error{}. Course data: {}. Points: {}.</p>'.format(
                 len(found), len(graded), passing, errors,
                 's' * (errors != 1), 'used' if with_data else
                 'not used (the drivers that need it are not scored)',
                 html.escape(', '.join('{} {:g}'.format(
                     CHECK_TITLES[c], settings.points[c])
                     for c in CHECKS)))]
    parts += ['<h2>Score distribution</h2>',
              '<img alt="score distribution" width="700" src="{}">'.format(
                  distribution_figure(values, errors))]
    parts += ['<h2>Pass rate per task and check</h2>',
              '<img alt="pass rate per task and check" width="700" '
              'src="{}">'.format(pass_rate_figure(rates)),
              '<table><tr><th>task</th>' + ''.join(
                  '<th>{}</th>'.format(CHECK_TITLES[c]) for c in CHECKS)
              + '</tr>']
    for n in sorted(TASKS):
        row = [cell('{} ({})'.format(n, TASKS[n].stem + '.py'))]
        for check in CHECKS:
            passed, scored = rates[(str(n), check)]
            row.append(cell('{} of {}'.format(passed, scored)
                            if scored else 'not run', 'num'))
        parts.append('<tr>' + ''.join(row) + '</tr>')
    parts.append('</table>')
    parts.append('<h2>The mistakes the class made most</h2>')
    found_mistakes = mistakes(found)
    if found_mistakes:
        parts.append('<table><tr><th>submissions</th><th>tasks</th>'
                     '<th>check</th><th>mistake (the hint students '
                     'see)</th></tr>')
        for check, hint, count, tasks in found_mistakes[:25]:
            parts.append('<tr>' + cell(count, 'num') + cell(', '.join(
                map(str, tasks))) + cell(CHECK_TITLES.get(check, check))
                + cell(hint) + '</tr>')
        parts.append('</table>')
    else:
        parts.append('<p>None.</p>')
    missing = missing_files(found)
    if missing:
        parts.append('<p>Files missing: {}.</p>'.format(html.escape(
            '; '.join('{}.py in {} submission{}'.format(
                TASKS[n].stem, count, 's' * (count != 1))
                for n, count in sorted(missing.items())))))
    parts += ['<h2>Submissions</h2>',
              '<table><tr><th>submission</th><th>submitted by</th>'
              '<th>points</th><th>tasks passing</th><th>status</th>'
              '<th>table</th><th>report</th></tr>']
    for report in found:
        batch = report.get('batch', {})
        name = batch.get('name', '')
        who = ', '.join(s.get('name') or s.get('email') or s.get('sid', '')
                        for s in batch.get('submitters', []))
        if complete(report):
            row = row_of(report, settings, possible)
            points = '{:g} of {:g}'.format(row['total_points_earned'],
                                           sum(possible.values()))
            tasks = '{} of {}'.format(sum(
                t['verdict'] == 'pass' for t in report['tasks'].values()),
                len(report['tasks']))
            status = row['grading_status']
            if status == COMPLETED:
                status = 'every task passes' if report.get(
                    'exit_status') == 0 else 'some tasks fail or are missing'
            cls = None
        else:
            points, tasks = '0', '-'
            status, cls = 'grader error: {}'.format(
                report.get('why') or report.get('error')), 'error'
        parts.append('<tr>' + cell(name) + cell(who) + cell(points, 'num')
                     + cell(tasks, 'num') + cell(status, cls)
                     + '<td><a href="logs/{0}.txt">table</a></td><td><a '
                     'href="reports/{0}.json">JSON</a></td></tr>'.format(
                         html.escape(name, quote=True)))
    parts += ['</table>', '</body></html>', '']
    return '\n'.join(parts)
