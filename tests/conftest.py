"""What every test module shares, wherever it lies below tests/.

pytest's default "prepend" import mode puts the directory of this conftest.py
(tests/) on ``sys.path`` before any test module is imported, so the modules in
tests/optimizers/, tests/estimators/ and tests/cli/ import the helpers at the
root (``from _reference import ...``) as the ones beside them do. Without
``__init__.py`` files, test module names must stay unique across directories.
"""
