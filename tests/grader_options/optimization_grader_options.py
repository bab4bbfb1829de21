"""The grader's command-line options (see pyproject.toml beside this)."""


def add_options(parser):
    """Declare --solution and --solution-report."""
    parser.addoption('--solution', metavar='PATH',
                     help="grade the numbered files in PATH (a student's "
                          'optimization folder) instead of this '
                          "repository's")
    parser.addoption('--solution-report', metavar='FILE',
                     help='write the per-task verdicts to FILE as JSON')


def pytest_addoption(parser):
    add_options(parser)
