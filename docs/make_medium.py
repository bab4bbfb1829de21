#!/usr/bin/env python3
"""Export the post as one HTML page to paste into Medium or LinkedIn.

Task 15 asks for the post on Medium or LinkedIn.  Neither renders LaTeX
or tables, and neither can follow a link relative to this repository.
So the page this script writes differs from the GitHub page:

- inline maths becomes Unicode text (unicodeit): $\\beta_1$ -> β₁;
- each ```math block becomes a PNG drawn by matplotlib's mathtext, in
  maths/ beside the page (alt text: the LaTeX);
- each table becomes one paragraph per row, a line per column;
- each example's printed output is headed "It prints:";
- every link and image points at the repository on GitHub, figures
  included, but a link to one of the post's own headings becomes plain
  text; a first line says where the code and the canonical page are.

    python3 docs/make_medium.py --repo OWNER/NAME [--branch main] [--path P]

writes docs/medium/optimization-explained.html and docs/medium/maths/.
Commit and push docs/medium/maths (the images need an address), open
the page in a browser, select all, copy, and paste into a new Medium
story or LinkedIn article: both copy each image from its address.
--path is this project's folder in the repository (git's
rev-parse --show-prefix by default): supervised_learning/optimization in
the course's layout.  Without --repo, links and images are relative, to
preview the page locally.
"""
import argparse
import html
import os
import re
import subprocess
import unicodedata
from urllib.parse import quote

import matplotlib
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
import unicodeit

matplotlib.use('Agg')
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

DOCS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(DOCS)
POST = os.path.join(DOCS, 'optimization-explained.md')
REPO = re.compile(r'[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}')
STYLE = ('body { max-width: 700px; margin: 2em auto; padding: 0 1em;'
         ' font: 18px/1.6 Georgia, serif; }'
         ' img { max-width: 100%; } pre { overflow-x: auto; }')


def braced(latex, start):
    """The text inside the braces opening at latex[start], and the index
    after them."""
    depth = 0
    for i in range(start, len(latex)):
        depth += {'{': 1, '}': -1}.get(latex[i], 0)
        if depth == 0:
            return latex[start + 1:i], i + 1
    raise ValueError('unbalanced braces in {!r}'.format(latex))


def unbrace(latex, command, write):
    """Replace each command{a}...{z} by write(a, ..., z), innermost
    arguments first; write's parameter count is the argument count."""
    count = write.__code__.co_argcount
    pattern = re.compile(re.escape(command) + r'(?![A-Za-z])\s*(?=\{)')
    while True:
        found = pattern.search(latex)
        if not found:
            return latex
        args, end = [], found.end()
        for _ in range(count):
            arg, end = braced(latex, end)
            args.append(inline_unicode(arg, check=False))
        latex = latex[:found.start()] + write(*args) + latex[end:]


def wrap(text):
    """text, in parentheses unless it is one symbol, one number or one
    root."""
    one = r'√?([\w.\u0300-\u036f]+|\([^()]*\))'
    return text if re.fullmatch(one, text) else '({})'.format(text)


def inline_unicode(latex, check=True):
    """Inline LaTeX as Unicode text: \\sqrt{s + \\epsilon} -> √(s + ε).

    A ValueError names what has no Unicode form, so that an unsupported
    command fails the export rather than reach the reader as LaTeX."""
    text = re.sub(r'\\(hat|tilde)\s+([A-Za-z])', r'\\\1{\2}', latex)
    text = re.sub(r'\\(max|min|tanh|exp|log|ln|sin|cos)(?![A-Za-z])', r'\1',
                  text)                     # operator names, upright
    text = unbrace(text, r'\mathrm', lambda a: a)
    text = unbrace(text, r'\frac', lambda a, b: wrap(a) + '/' + wrap(b))
    text = unbrace(text, r'\sqrt', lambda a: '√' + wrap(a))
    # unicodeit writes a sub- or superscript only without spaces in it
    text = re.sub(r'([_^])\{([^{}]*)\}',
                  lambda m: m.group(1) + '{' + m.group(2).replace(' ', '')
                  + '}', text)
    text = unicodeit.replace(text).replace('⌊ ', '⌊').replace(' ⌋', '⌋')
    text = unicodedata.normalize('NFC', text)     # one character for ŝ
    if check and re.search(r'[\\{}^_]', text):
        raise ValueError('no Unicode form for ${}$ (got {!r})'
                         .format(latex, text))
    return text


def display_rows(latex):
    """The cells of a ```math block, row by row, as mathtext can draw
    them: an aligned environment split at its \\\\ and &, \\frac drawn
    full size."""
    latex = re.sub(r'\\(begin|end)\{aligned\}', '', latex)
    latex = latex.replace(r'\frac', r'\dfrac')
    rows = []
    for row in latex.split(r'\\'):
        cells = [' '.join(cell.split()) for cell in row.split('&')]
        # a cell after an & starts with its relation: {} spaces it
        cells = cells[:1] + ['{}' + cell for cell in cells[1:]]
        if any(cells):
            rows.append(cells)
    return rows


def draw_maths(latex, path, size=13, dpi=144):
    """A PNG of a ```math block, black on white, laid out as LaTeX's
    aligned does: the cells of each column pair right- then left-aligned,
    2 em between pairs."""
    rows = display_rows(latex)
    figure = Figure(figsize=(12, 12), dpi=dpi)
    renderer = FigureCanvasAgg(figure).get_renderer()
    em = size * dpi / 72
    with matplotlib.rc_context({'mathtext.fontset': 'cm'}):
        texts = [[figure.text(0, 0, '${}$'.format(cell), fontsize=size,
                              va='baseline')
                  for cell in row] for row in rows]
        boxes = [[text.get_window_extent(renderer) for text in row]
                 for row in texts]
        columns = max(len(row) for row in rows)
        widths = [max(row[k].width for row in boxes if k < len(row))
                  for k in range(columns)]
        starts = [sum(widths[:k]) + 2 * em * (k // 2)
                  for k in range(columns)]
        baseline = figure.bbox.height - 2 * em
        for row, row_boxes in zip(texts, boxes):
            baseline -= max(box.y1 for box in row_boxes)
            for k, (text, box) in enumerate(zip(row, row_boxes)):
                right = columns > 1 and k % 2 == 0
                x = starts[k] + (widths[k] - box.width if right else 0)
                text.set_position((x / figure.bbox.width,
                                   baseline / figure.bbox.height))
            baseline -= max(-box.y0 for box in row_boxes) + 0.6 * em
        figure.savefig(path, dpi=dpi, bbox_inches='tight', pad_inches=0.08,
                       facecolor='white', metadata={'Software': None})


class Addresses:
    """Where the page's links and images point: GitHub, or local paths."""

    def __init__(self, out, repo=None, branch='main', prefix=''):
        self.out, self.repo = out, repo
        self.home = 'https://github.com/{}'.format(repo) + (
            '/tree/{}/{}'.format(branch, quote(prefix.rstrip('/'))) if prefix
            else '')
        self.blob = 'https://github.com/{}/blob/{}/{}'.format(
            repo, branch, quote(prefix))
        self.raw = 'https://raw.githubusercontent.com/{}/{}/{}'.format(
            repo, branch, quote(prefix))

    def __call__(self, target, image=False):
        """The address of a link or image target written in docs/."""
        if re.match(r'[a-z][a-z0-9+.-]*:', target):
            return target
        # (a link to one of the post's own headings never gets here: the
        # export keeps it as plain text)
        path, _, anchor = target.partition('#')
        path = os.path.normpath(os.path.join(DOCS, path))
        return self.file(path, image) + ('#' + anchor if anchor else '')

    def file(self, path, image=False):
        """The address of a file in the repository, path absolute."""
        if self.repo is None:
            return os.path.relpath(path, self.out).replace(os.sep, '/')
        inside = os.path.relpath(path, ROOT).replace(os.sep, '/')
        if inside.startswith('../'):
            raise ValueError('{} is outside the repository: it has no '
                             'address on GitHub'.format(path))
        return (self.raw if image else self.blob) + quote(inside)


def rows_as_paragraphs(tokens, start, renderer, options, env):
    """The table opening at tokens[start] as HTML paragraphs, one per row,
    and the index after the table."""
    end = next(i for i in range(start, len(tokens))
               if tokens[i].type == 'table_close')
    rows, row = [], None
    for token in tokens[start:end]:
        if token.type == 'tr_open':
            row = []
            rows.append(row)
        elif token.type == 'inline':
            row.append(renderer.renderInline(token.children, options, env))
    header, body = rows[0], rows[1:]
    paragraphs = []
    for cells in body:
        lines = ['<strong>{}</strong>'.format(cells[0])]
        lines += ['{}: {}'.format(name, cell) if name else cell
                  for name, cell in zip(header[1:], cells[1:]) if cell]
        paragraphs.append('<p>{}</p>\n'.format('<br>\n'.join(lines)))
    return ''.join(paragraphs), end + 1


def git_prefix(folder=ROOT):
    """Where folder sits in its git repository ('supervised_learning/
    optimization/', or '' at the top or outside a repository)."""
    try:
        found = subprocess.run(['git', '-C', folder, 'rev-parse',
                                '--show-prefix'], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL,
                               universal_newlines=True)
    except OSError:                                 # no git
        return ''
    return found.stdout.strip() if found.returncode == 0 else ''


def export(out, repo=None, branch='main', post=POST, path=None):
    """Write the page and its maths images into out; return the page's
    path.  path: where this project sits in the repository (by default,
    as git says)."""
    if repo is not None and not REPO.fullmatch(repo):
        raise ValueError('Argument `repo` must be OWNER/NAME, as GitHub '
                         'spells it. Received: repo={!r}'.format(repo))
    prefix = (git_prefix() if path is None else path).strip('/')
    if '/.' in '/' + prefix or '\\' in prefix:      # .., .git, C:\\
        raise ValueError('Argument `path` must be a folder inside the '
                         'repository, such as supervised_learning/'
                         'optimization. Received: path={!r}'.format(path))
    prefix = prefix + '/' if prefix else ''
    os.makedirs(os.path.join(out, 'maths'), exist_ok=True)
    address = Addresses(os.path.abspath(out), repo, branch, prefix)
    md = (MarkdownIt('commonmark', {'html': False}).enable('table')
          .use(dollarmath_plugin, double_inline=False)
          .use(anchors_plugin, max_level=2))
    with open(post, encoding='utf-8') as f:
        tokens = md.parse(f.read())
    count = 0

    def fence(renderer, tokens, i, options, env):
        nonlocal count
        token = tokens[i]
        if token.info.strip() != 'math':
            # a pasted page shows code and its output alike: say which
            # block is the output of the code above it
            output = (token.info.strip() == 'text' and i > 0
                      and tokens[i - 1].type == 'fence'
                      and tokens[i - 1].info.strip() == 'python')
            return '{}<pre><code>{}</code></pre>\n'.format(
                '<p><em>It prints:</em></p>\n' if output else '',
                html.escape(token.content))
        count += 1
        name = 'maths/{:02d}.png'.format(count)
        draw_maths(token.content, os.path.join(out, name))
        src = address.file(os.path.join(os.path.abspath(out), name), True)
        return '<p><img src="{}" alt="{}"></p>\n'.format(
            html.escape(src), html.escape(' '.join(token.content.split())))

    # a link to a heading of the post itself stays plain text: the sites
    # drop the headings' ids, and its GitHub address would take the
    # reader away from the page it already is
    dropped = []

    def link(renderer, tokens, i, options, env):
        href = tokens[i].attrGet('href')
        dropped.append(href.startswith('#'))
        if dropped[-1]:
            return ''
        tokens[i].attrSet('href', address(href))
        return renderer.renderToken(tokens, i, options, env)

    def link_close(renderer, tokens, i, options, env):
        if dropped.pop():
            return ''
        return renderer.renderToken(tokens, i, options, env)

    def image(renderer, tokens, i, options, env):
        tokens[i].attrSet('src', address(tokens[i].attrGet('src'), True))
        return renderer.image(tokens, i, options, env)

    md.add_render_rule('fence', fence)
    md.add_render_rule('link_open', link)
    md.add_render_rule('link_close', link_close)
    md.add_render_rule('image', image)
    # a number and its unit stay on one line: '5 %' breaks nowhere
    md.add_render_rule('text', lambda renderer, tokens, i, options, env:
                       re.sub(r'(\d) (%)', '\\1\u00a0\\2',
                              html.escape(tokens[i].content)))
    md.add_render_rule('math_inline', lambda renderer, tokens, i, options,
                       env: '<em>{}</em>'.format(
                           html.escape(inline_unicode(tokens[i].content))))
    body, i, env = [], 0, {}
    while i < len(tokens):
        if tokens[i].type == 'table_open':
            text, i = rows_as_paragraphs(tokens, i, md.renderer,
                                         md.options, env)
            body.append(text)
        else:
            end = i + 1
            while end < len(tokens) and tokens[end].type != 'table_open':
                end += 1
            body.append(md.renderer.render(tokens[i:end], md.options, env))
            i = end
    title = next(tokens[i + 1].content for i, t in enumerate(tokens)
                 if t.type == 'heading_open')
    where = address.file(os.path.abspath(post))
    home = address.home if repo else address.file(ROOT)
    note = ('<p><em>The code, the runnable examples and the tests behind '
            'every number are at <a href="{}">{}</a> (run the examples '
            'from its root); the <a href="{}">canonical page</a> has the '
            'maths typeset.</em></p>\n').format(
                html.escape(home), html.escape(
                    'github.com/' + repo if repo else 'the repository'),
                html.escape(where))
    # after the picture at the top and its caption (task 15 wants the
    # picture first), else after the title
    page, placed = re.subn(r'<img.*?</p>\n.*?</p>\n',
                           lambda found: found.group(0) + note,
                           ''.join(body), count=1, flags=re.S)
    if not placed:
        page = page.replace('</h1>\n', '</h1>\n' + note, 1)
    path = os.path.join(out, 'optimization-explained.html')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<!DOCTYPE html>\n<html lang="en">\n<head>\n'
                '<meta charset="utf-8">\n<title>{}</title>\n'
                '<style>{}</style>\n</head>\n<body>\n{}</body>\n</html>\n'
                .format(html.escape(title), STYLE, page))
    return path


def main(argv=None):
    """The command line: see the module's docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repo', help='OWNER/NAME of the repository on '
                        'GitHub (without it: relative links, to preview)')
    parser.add_argument('--branch', default='main')
    parser.add_argument('--path', help='the folder of this project in the '
                        'repository, such as supervised_learning/'
                        'optimization (default: as git says)')
    parser.add_argument('--out', default=os.path.join(DOCS, 'medium'))
    args = parser.parse_args(argv)
    try:
        print(export(args.out, args.repo, args.branch, path=args.path))
    except ValueError as error:
        parser.error(str(error))


if __name__ == '__main__':
    main()
