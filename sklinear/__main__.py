"""``python -m sklinear``: the ``sklinear`` command line (see :mod:`sklinear.cli`).

Without arguments it runs ``sklinear demo``: both classifiers on the bundled
digits, next to scikit-learn's ``LogisticRegression`` and ``LinearSVC``.
"""

import sys

from .cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
