#!/usr/bin/env python3
"""The post's export for Medium and LinkedIn (docs/make_medium.py).

Neither site renders LaTeX or tables, and neither can follow a link
relative to the repository.  These tests write the page twice, to
preview (relative addresses) and for a repository on GitHub (absolute
addresses), and check that no LaTeX, table or relative address reaches
the reader, that each maths image is a PNG of its own block, and that
every address points at a file that exists.
"""
import contextlib
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

from optimization_grader.paths import ROOT

pytestmark = pytest.mark.project

pytest.importorskip('markdown_it')
pytest.importorskip('mdit_py_plugins')
pytest.importorskip('unicodeit')
sys.path.insert(0, os.path.join(ROOT, 'docs'))
import make_medium as medium  # noqa: E402

POST = os.path.join(ROOT, 'docs', 'optimization-explained.md')
REPO, BRANCH = 'someone/optimization', 'main'
BLOB = 'https://github.com/{}/blob/{}/'.format(REPO, BRANCH)
RAW = 'https://raw.githubusercontent.com/{}/{}/'.format(REPO, BRANCH)

# Inline maths and its Unicode text, written from the Unicode charts
# (U+2212 minus, U+2080 subscripts, U+1D57 superscript t, U+0302 hat ...).
UNICODE = [
    (r'\beta_1 = 0.9', 'β₁ = 0.9'),
    (r'1 / (1 - \beta)', '1 / (1 − β)'),
    (r'\hat z', 'ẑ'),
    (r'\tilde z', 'z̃'),
    (r'\hat{s} = s / (1 - \beta_2^{t})', 'ŝ = s / (1 − β₂ᵗ)'),
    (r'\sqrt{\beta_1}', '√β₁'),
    (r'\epsilon / \sqrt{1 - \beta_2^{t}}', 'ε / √(1 − β₂ᵗ)'),
    (r'\beta^{t - i} (1 - \beta)', 'βᵗ⁻ⁱ (1 − β)'),
    (r'\alpha = 2 / (h_{\max} + h_{\min})', 'α = 2 / (hₘₐₓ + hₘᵢₙ)'),
    (r'\alpha / (1 + r \lfloor t / T \rfloor)', 'α / (1 + r ⌊t / T⌋)'),
    (r'\mathrm{lr} \cdot \frac{\sqrt{1 - \beta_2^{t}}}{1 - \beta_1^{t}}',
     'lr ⋅ √(1 − β₂ᵗ)/(1 − β₁ᵗ)'),
    (r'\frac{v}{\sqrt{s} + \epsilon}', 'v/(√s + ε)'),
    (r'w \leftarrow w - \alpha g', 'w ← w − α g'),
    (r's_t = s_{t-1} + g_t^{2}', 'sₜ = sₜ₋₁ + gₜ²'),
    (r'\tanh', 'tanh'),
]


@pytest.mark.parametrize('latex, text', UNICODE)
def test_inline_maths_becomes_unicode(latex, text):
    assert medium.inline_unicode(latex) == text


@pytest.mark.parametrize('latex', [
    r'x_{q}',                                  # no subscript q in Unicode
    r'\begin{pmatrix} a \end{pmatrix}',
    r'\frac{1}{2',                             # unbalanced
])
def test_maths_without_a_unicode_form_fails_the_export(latex):
    with pytest.raises(ValueError):
        medium.inline_unicode(latex)


def test_an_aligned_block_is_drawn_row_by_row_and_column_by_column():
    rows = medium.display_rows(r"""\begin{aligned}
        v_t &= \beta_1 v_{t-1}, & \hat v_t &= \frac{v_t}{1 - \beta_1^t}, \\
        w_t &= w_{t-1} - \alpha\, \hat v_t
        \end{aligned}""")
    assert rows == [
        ['v_t', r'{}= \beta_1 v_{t-1},', r'{}\hat v_t',
         r'{}= \dfrac{v_t}{1 - \beta_1^t},'],
        ['w_t', r'{}= w_{t-1} - \alpha\, \hat v_t'],
    ]


def maths_blocks():
    """The post's ```math blocks, in order."""
    with open(POST, encoding='utf-8') as f:
        return re.findall(r'^```math\n(.*?)^```$', f.read(), re.M | re.S)


def table_rows():
    """How many body rows the post's tables have."""
    with open(POST, encoding='utf-8') as f:
        lines = [line for line in f.read().splitlines()
                 if line.startswith('|')]
    separators = sum(re.fullmatch(r'[|\s:-]+', line) is not None
                     for line in lines)
    return len(lines) - 2 * separators


class Page(html.parser.HTMLParser):
    """What a reader of the page gets: its text outside code blocks, its
    images, its links, its ids, its paragraphs made of lines."""

    def __init__(self, path):
        super().__init__()
        self.text, self.images, self.links, self.ids = [], [], [], set()
        self.code = self.line_paragraphs = 0
        self.tags, self.lines = set(), None
        with open(path, encoding='utf-8') as f:
            self.feed(f.read())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        self.ids.update([attrs['id']] if 'id' in attrs else [])
        if tag == 'pre':
            self.code += 1
        elif tag == 'img':
            self.images.append((attrs['src'], attrs.get('alt', '')))
        elif tag == 'a':
            self.links.append(attrs['href'])
        elif tag == 'p':
            self.lines = 1
        elif tag == 'br' and self.lines:
            self.lines += 1
            self.line_paragraphs += self.lines == 2

    def handle_endtag(self, tag):
        self.code -= tag == 'pre'
        self.lines = None if tag == 'p' else self.lines

    def handle_data(self, data):
        if not self.code and not self.lasttag == 'style':
            self.text.append(data)


@pytest.fixture(scope='module')
def preview(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('medium'))
    return out, Page(medium.export(out))


@contextlib.contextmanager
def export_to_github(path):
    """(out, page): the page exported for REPO, its project in folder
    path.  The maths images need an address on GitHub, so out is inside
    the repository, removed afterwards."""
    out = tempfile.mkdtemp(prefix='.medium-test-', dir=os.path.join(ROOT,
                                                                    'docs'))
    try:
        yield out, Page(medium.export(out, REPO, BRANCH, path=path))
    finally:
        shutil.rmtree(out)


@pytest.fixture(scope='module')
def github():
    # path '': as if this project were its repository's root, wherever
    # the checkout sits
    with export_to_github('') as exported:
        yield exported


@pytest.mark.parametrize('mode', ['preview', 'github'])
def test_no_latex_and_no_table_reach_the_reader(mode, request):
    out, page = request.getfixturevalue(mode)
    text = ''.join(page.text)
    assert '$' not in text
    assert re.search(r'\\[A-Za-z]+', text) is None
    assert 'table' not in page.tags
    assert page.line_paragraphs == table_rows()


@pytest.mark.parametrize('mode', ['preview', 'github'])
def test_each_maths_block_is_an_image_of_itself(mode, request):
    out, page = request.getfixturevalue(mode)
    maths = [(src, alt) for src, alt in page.images if '/maths/' in src
             or src.startswith('maths/')]
    blocks = maths_blocks()
    assert [alt for _, alt in maths] == [' '.join(b.split()) for b in blocks]
    for k in range(1, len(blocks) + 1):
        with open(os.path.join(out, 'maths', '{:02d}.png'.format(k)),
                  'rb') as f:
            assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_the_preview_links_and_images_resolve(preview):
    out, page = preview
    targets = page.links + [src for src, _ in page.images]
    for target in targets:
        if target.startswith('#'):
            assert target[1:] in page.ids, target
        elif not target.startswith('https://'):
            path = os.path.join(out, target.partition('#')[0])
            assert os.path.exists(path), target


def test_every_github_address_is_absolute_and_names_a_file(github):
    out, page = github
    targets = page.links + [src for src, _ in page.images]
    assert page.links[0] == 'https://github.com/' + REPO
    figures = [src for src, alt in page.images if '/figures/' in src]
    assert figures and all(src.startswith(RAW) for src in figures)
    for target in targets:
        assert target.startswith('https://'), target
        for prefix in (BLOB, RAW):
            if target.startswith(prefix):
                path = target[len(prefix):].partition('#')[0]
                assert os.path.exists(os.path.join(ROOT, path)), target


@pytest.mark.parametrize('mode', ['preview', 'github'])
def test_a_link_to_one_of_the_posts_headings_is_plain_text(mode, request):
    # the sites drop the headings' ids; the link's words stay, unlinked
    out, page = request.getfixturevalue(mode)
    with open(POST, encoding='utf-8') as f:
        post = f.read()
    # the post links to its own headings (four times when written)
    assert re.findall(r'\[[^]]+\]\(#[^)]+\)', post)
    text = ' '.join(''.join(page.text).split())
    assert 'Symbols are defined at the end. ' in text
    assert not [link for link in page.links
                if link.startswith('#') or '.md#' in link
                and 'optimization-explained.md' in link]
    # every other link stays a link: one per link of the post that is
    # not to its own headings, and the note's two (the repository, the
    # canonical page)
    other = re.findall(r'(?<!!)\[[^]]*\]\((?!#)[^)]+\)', post)
    assert len(page.links) == len(other) + 2


@pytest.mark.parametrize('mode', ['preview', 'github'])
def test_a_number_keeps_its_percent_sign_on_its_line(mode, request):
    # '5 %' must not break between the number and its sign in a narrow
    # column: the space becomes a non-breaking one
    out, page = request.getfixturevalue(mode)
    with open(POST, encoding='utf-8') as f:
        assert re.search(r'\d %', f.read())
    text = ''.join(page.text)
    assert re.search('\\d\u00a0%', text)
    assert not re.search(r'\d\s%', text.replace('\u00a0', '_'))


@pytest.mark.parametrize('mode', ['preview', 'github'])
def test_each_examples_output_is_headed_as_such(mode, request):
    # on a pasted page code and output look alike: each printed output,
    # and only it, is headed "It prints:", right above its block
    out, page = request.getfixturevalue(mode)
    with open(POST, encoding='utf-8') as f:
        pairs = len(re.findall(r'```python\n.*?```\s*```text\n', f.read(),
                               re.S))
    with open(os.path.join(out, 'optimization-explained.html'),
              encoding='utf-8') as f:
        page_html = f.read()
    assert pairs >= 10
    assert page_html.count('It prints:') == pairs
    assert len(re.findall(r'<p><em>It prints:</em></p>\n<pre><code>',
                          page_html)) == pairs


def test_a_github_page_needs_its_maths_inside_the_repository(tmp_path):
    with pytest.raises(ValueError, match='outside the repository'):
        medium.export(str(tmp_path), REPO)


@pytest.mark.parametrize('repo', ['someone', 'a b/c', 'a/b/c', '-a/b'])
def test_a_malformed_repository_is_refused(repo, tmp_path, capsys):
    with pytest.raises(SystemExit):
        medium.main(['--repo=' + repo, '--out', str(tmp_path)])
    assert 'Argument `repo` must be OWNER/NAME' in capsys.readouterr().err


def test_the_command_line_writes_the_page_and_prints_its_path(tmp_path,
                                                              capsys):
    medium.main(['--out', str(tmp_path)])
    path = capsys.readouterr().out.strip()
    assert path == os.path.join(str(tmp_path), 'optimization-explained.html')
    assert Page(path).images


def test_a_project_in_a_folder_of_its_repository_keeps_its_addresses():
    folder = 'supervised_learning/optimization'
    with export_to_github(folder + '/') as (_, page):
        pass
    assert page.links[0] == 'https://github.com/{}/tree/{}/{}'.format(
        REPO, BRANCH, folder)
    for src, _ in page.images:
        assert src.startswith(RAW + folder + '/'), src
    for link in page.links[1:]:
        assert link.startswith(BLOB + folder + '/') or \
            not link.startswith('https://github.com/' + REPO), link


@pytest.mark.parametrize('path', ['../elsewhere', 'a/../../b', '.git'])
def test_a_path_outside_the_repository_is_refused(path, tmp_path):
    with pytest.raises(ValueError, match='Argument `path` must be a folder'):
        medium.export(str(tmp_path), REPO, path=path)


def test_the_projects_folder_comes_from_git(tmp_path):
    if shutil.which('git') is None:
        pytest.skip('no git')
    (tmp_path / 'supervised_learning' / 'optimization').mkdir(parents=True)
    assert medium.git_prefix(str(tmp_path)) == ''          # not a repository
    subprocess.run(['git', 'init', '-q', str(tmp_path)], check=True)
    assert medium.git_prefix(str(tmp_path / 'supervised_learning' /
                                 'optimization')) == \
        'supervised_learning/optimization/'
    assert medium.git_prefix(str(tmp_path)) == ''


def test_the_picture_comes_first_then_where_the_code_is(preview):
    # task 15: "at least one picture, at the top"
    out, _ = preview
    with open(os.path.join(out, 'optimization-explained.html'),
              encoding='utf-8') as f:
        text = f.read()
    title, image = text.index('</h1>'), text.index('<img')
    note = text.index('The code, the runnable examples')
    assert text[title:image].count('<p>') == 1     # the image's paragraph
    assert image < note < text.index('<h2')
