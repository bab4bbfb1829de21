#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's
# image (optimization-grader gradescope-zip wrote it).  It installs:
# bubblewrap (the grader's sandbox), the course's stack (Python 3.9 to
# 3.11 with numpy 1.25.2, TensorFlow 2.15 and Keras 2, pycodestyle
# 2.11.1: course/course-stack.txt) in a virtual environment every user
# can read, and the grader from the course files in this zip.
# AUTOGRADER_ROOT (default /autograder) and GRADER_VENV (default
# $AUTOGRADER_ROOT/venv) move it elsewhere, for a trial run.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="${GRADER_VENV:-$ROOT/venv}"

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends bubblewrap python3 \
        python3-venv python3-pip
fi

PYTHON="${GRADER_BASE_PYTHON:-python3}"
version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
case "$version" in
    3.9|3.10|3.11) ;;
    *) echo "setup.sh: the course's stack (TensorFlow 2.15) needs Python" \
            "3.9 to 3.11; $PYTHON is $version: pick an older base image" \
            "or set GRADER_BASE_PYTHON" >&2
       exit 1 ;;
esac

"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --no-cache-dir --upgrade pip
"$VENV/bin/python" -m pip install --no-cache-dir \
    -r "$SOURCE/course/course-stack.txt"
"$VENV/bin/python" -m pip install --no-cache-dir --no-deps \
    "$SOURCE/course/tests/grader"
# the grader runs solutions as other user ids when bubblewrap cannot
# work: they must be able to read the Python environment and the course
chmod -R a+rX "$VENV" "$SOURCE"
"$VENV/bin/python" -c 'import numpy, tensorflow, optimization_grader'
echo "setup.sh: the course's stack and the grader are installed in $VENV"
