"""The explainer post's examples run and print what the post says.

Every ```python block of docs/optimization-explained.md is followed by a
```text block with its output.  Each is run in a fresh interpreter from
the repository root, as a reader would paste it, and its stdout compared
number by number with the post (outputs.compare; the examples are
deterministic, so the tolerance only absorbs float64 rounding).
"""
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from outputs import compare

pytestmark = pytest.mark.project

POST = os.path.join(ROOT, 'docs', 'optimization-explained.md')
BLOCK = re.compile(r'```python\n(.*?)```\s*```text\n(.*?)```', re.S)


def examples():
    """The (code, printed output) pairs of the post, in order."""
    with open(POST) as f:
        return BLOCK.findall(f.read())


def test_every_python_block_has_its_output():
    with open(POST) as f:
        text = f.read()
    assert text.count('```python') == len(examples()) >= 8


@pytest.mark.parametrize('code, expected', examples(),
                         ids=lambda x: x.strip().splitlines()[-1][:40])
def test_example(code, expected):
    if any("__import__('{}-".format(n) in code for n in (6, 8, 10, 12, 14)):
        pytest.importorskip('tensorflow')
    result = subprocess.run([sys.executable, '-c', code], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    differences = compare(result.stdout, expected, rtol=1e-12, atol=1e-15)
    assert not differences, '\n'.join(differences)


@pytest.mark.parametrize('figure', ['valley', 'moving_average', 'decay',
                                    'batch_norm', 'batch_size'])
def test_figures_are_committed(figure):
    with open(os.path.join(ROOT, 'docs', 'figures', figure + '.png'),
              'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
