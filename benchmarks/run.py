"""Benchmark sklinear against scikit-learn and write a Markdown report.

Usage::

    python benchmarks/run.py [--quick] [--repeats N] [--rows 123456789]
                             [--output benchmarks/report.md]

Rows (``--rows`` picks a subset, e.g. ``--rows 28``; default all), one module
each in ``rows/``:

1. softmax + L2: time to a 1e-6 relative gap, against LogisticRegression;
2. SVM: (a) Crammer-Singer to LinearSVC's final objective at matched
   regularisation and (b) the Weston-Watkins hinge: time to a 1e-3 relative
   gap to a tight sklinear fit, and default fits (time, test accuracy) next
   to ``LinearSVC()``; both on digits and on the first 20k rows of the
   synthetic training split;
3. one loss + gradient evaluation against the two bare products;
4. float32 against float64;
5. peak memory during fit;
6. batched random search against a loop;
7. fit time per sample as n grows;
8. default fit times idle and next to a competing CPU-bound process;
9. exact multiclass SVMs (dual coordinate descent) against liblinear: gaps,
   default fits on sparse text and dense data, a warm-started path, memory;
10. ``optimizer="sgd"`` against ``SGDClassifier``: default fit time and
    test accuracy on the text and MNIST(-like) sets of row 9;
11. the cross-validated classifiers against ``LogisticRegressionCV`` and
    ``GridSearchCV``;
12. warm-started regularization paths against cold fits on digits.

Every number in the report is measured by this script in the same run; the
scikit-learn anchors are timed interleaved with sklinear (A B A B ...), each
call after a pause that lets the previous call's thread pools go idle (see
``harness.py``). If ``OPENBLAS_CORETYPE`` or ``OPENBLAS_L2_SIZE`` are set
(older OpenBLAS builds on these machines need them), the script re-executes
itself once without both, for the benchmark process only, and records that in
the report. Progress goes to stderr.
"""

import argparse
import os

import blas_env

if __name__ == "__main__":
    # Before numpy is imported: OpenBLAS reads the overrides when it loads.
    blas_env.reexec_without_overrides()

# Imported after the re-exec, on purpose: they import numpy.
from common import N_FULL, N_MEDIUM, N_QUICK, REPEATS, load_workload  # noqa: E402
from harness import assemble, elapsed, log, machine_section  # noqa: E402
from rows import ROWS  # noqa: E402

ALL_ROWS = ",".join(sorted((row.NUMBER for row in ROWS), key=int))
#: The report written when no ``--output`` is given: the one beside this
#: script, whichever directory it is run from.
DEFAULT_OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report.md")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50k rows, fewer sizes")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timings per row")
    parser.add_argument(
        "--output", default=DEFAULT_OUTPUT, help="default: benchmarks/report.md"
    )
    parser.add_argument(
        "--rows",
        default=ALL_ROWS,
        help="which rows to run, e.g. --rows 36 (default: all; for development)",
    )
    return parser.parse_args()


def selected(spec):
    """The row numbers a ``--rows`` value names.

    Digits name rows 1-9 as before (``--rows 36``); a pair of digits that is
    a row's number names that row first, so ``--rows 10`` is row 10, not rows
    1 and 0, and ``--rows 910`` rows 9 and 10. Commas separate as well
    (``--rows 1,10``).
    """
    numbers = {row.NUMBER for row in ROWS}
    chosen = set()
    for part in spec.split(","):
        i = 0
        while i < len(part):
            size = 2 if part[i : i + 2] in numbers else 1
            chosen.add(part[i : i + size])
            i += size
    return chosen


def notes(args, n_large):
    """The lines after the sections: what quick mode and the 20k-row set change."""
    lines = []
    if args.quick:
        lines += [
            f"Quick mode: {N_QUICK // 1000}k rows instead of {N_FULL // 1000}k; "
            f"scaling only up to {N_QUICK // 1000}k.",
            "",
        ]
    if {"2", "8"} & selected(args.rows):
        lines += [
            f"The {N_MEDIUM // 1000}k-row synthetic set of rows 2 and 8 is the first "
            f"{N_MEDIUM // 1000}k rows of the training split of the "
            f"{n_large // 1000}k-row make_classification data, so its rows differ "
            "between quick and full runs.",
            "",
        ]
    return lines


def main():
    args = parse_args()
    if args.repeats < REPEATS:
        log(
            f"warning: fewer than {REPEATS} repeats; "
            f"the issue asks for at least {REPEATS}"
        )
    load_before = os.getloadavg()
    log(
        f"load average {load_before}; OpenBLAS overrides unset: "
        f"{blas_env.unset_overrides()}"
    )
    workload = load_workload(args.quick, args.repeats)
    sections, summary = [], []
    chosen = selected(args.rows)
    for row in ROWS:
        if row.NUMBER in chosen:
            lines, targets = row.report(row.measure(workload))
            sections.append(lines)
            summary += targets

    command = (
        f"python benchmarks/run.py{' --quick' if args.quick else ''} "
        f"--repeats {args.repeats}"
        f"{'' if args.rows == ALL_ROWS else ' --rows ' + args.rows}"
    )
    machine = machine_section(
        args.quick, args.repeats, workload.small_repeats, load_before
    )
    lines = assemble(command, machine, summary, sections, notes(args, workload.n_large))
    with open(args.output, "w") as f:
        f.write("\n".join(lines) + "\n")
    log(f"wrote {args.output} ({elapsed():.0f} s)")


if __name__ == "__main__":
    main()
