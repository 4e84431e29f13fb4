"""Row 2. SVMs: (a) Crammer-Singer against LinearSVC, (b) the Weston-Watkins hinge.

(a) ``SVMClassifier(loss="crammer_singer")`` timed at the loosest tol reaching
``LinearSVC(multi_class="crammer_singer")``'s final objective at matched
regularisation, both without intercept (LinearSVC penalises its intercept,
sklinear does not). (b) The default hinge: time to a 1e-3 gap to a tight
sklinear fit, and default fits next to ``LinearSVC()``. Both on digits and on
the first N_MEDIUM rows of the synthetic training split.
"""

import time

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from common import (
    ALPHA,
    HINGE_GAP,
    LIBLINEAR_CS_MAX_ITER,
    N_MEDIUM,
    SVC_ONCE,
    loosest,
    problem_for,
    value_of,
)
from harness import fmt_times, interleaved, log, quiet_fit, ratio, verdict
from sklinear import SVMClassifier

NUMBER = "2"
#: How close to LinearSVC's final objective (relative) reaching it is: the
#: issue's "reach its objective (to 1e-4 relative)".
REACH = 1e-4


def measure(workload):
    """Crammer-Singer on both sets, then the hinge on both sets."""
    Xm, ym = workload.medium
    _, Xte, _, yte = workload.split
    digits_split = train_test_split(*workload.digits, test_size=0.2, random_state=0)
    return {
        "crammer_singer": [
            crammer_singer("digits", *workload.digits, workload.repeats),
            crammer_singer(workload.medium_name, Xm, ym, workload.repeats),
        ],
        "hinge": [
            hinge("digits", *workload.digits, digits_split, workload.repeats),
            hinge(workload.medium_name, Xm, ym, (Xm, Xte, ym, yte), workload.repeats),
        ],
    }


def _crammer_singer(tol):
    return SVMClassifier(
        loss="crammer_singer",
        alpha=ALPHA,
        fit_intercept=False,
        tol=tol,
        max_iter=20_000,
    )


def crammer_singer(name, X, y, repeats):
    """SVMClassifier(crammer_singer) to LinearSVC's final objective (no intercept)."""
    n = X.shape[0]
    problem = problem_for(X, y, loss="crammer_singer", fit_intercept=False)
    svc = LinearSVC(
        multi_class="crammer_singer",
        C=1.0 / (2 * n * ALPHA),
        fit_intercept=False,
        random_state=0,
    )  # its max_iter would be ignored: the solver stops at tol or LIBLINEAR_CS_MAX_ITER
    log(f"[2] {name}: LinearSVC(crammer_singer)")
    start = time.perf_counter()
    target = value_of(problem, quiet_fit(svc, X, y))
    svc_time = time.perf_counter() - start
    svc_iter = int(np.max(svc.n_iter_))
    log(
        f"[2] {name}: LinearSVC objective {target:.10g} ({svc_iter} iterations, "
        f"{time.perf_counter() - start:.1f} s); loosest sklinear tol"
    )
    tols = [1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6]
    tol, value = loosest(_crammer_singer, X, y, problem, target * (1 + REACH), tols)
    out = {
        "name": name,
        "target": target,
        "tol": tol,
        "value": value,
        "times": None,
        "svc_iter": f"{svc_iter}"
        + (" (cap)" if svc_iter >= LIBLINEAR_CS_MAX_ITER else " (converged)"),
    }
    if tol is not None:
        ours = _crammer_singer(tol)
        log(f"[2] {name}: timing x{repeats}")
        functions = {"ours": lambda: quiet_fit(ours, X, y)}
        if svc_time <= SVC_ONCE:
            functions["svc"] = lambda: quiet_fit(svc, X, y)
        out["times"] = interleaved(functions, repeats)
        # A LinearSVC fit of minutes is timed once, by the fit that gave the
        # target: repeating it would take most of the run, for a ratio that
        # one time settles.
        out["times"].setdefault("svc", [svc_time])
    return out


def hinge(name, X, y, split, repeats):
    """WW hinge: time to a 1e-3 gap, and default fits against LinearSVC()."""
    problem = problem_for(X, y, loss="hinge")
    log(f"[2b] {name}: optimum (sklinear tol=1e-6, max_iter=50000)")
    start = time.perf_counter()
    tight = quiet_fit(SVMClassifier(alpha=ALPHA, tol=1e-6, max_iter=50_000), X, y)
    optimum = value_of(problem, tight)
    out = {
        "name": name,
        "shape": X.shape,
        "optimum": optimum,
        "tight_iter": int(tight.n_iter_),
        "tight_time": time.perf_counter() - start,
    }
    log(f"[2b] {name}: optimum {optimum:.12g} ({out['tight_time']:.1f} s)")
    target = optimum * (1 + HINGE_GAP)
    log(f"[2b] {name}: loosest sklinear tol reaching gap {HINGE_GAP:g}")
    tol, value = loosest(
        lambda t: SVMClassifier(alpha=ALPHA, tol=t),
        X,
        y,
        problem,
        target,
        [1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4],
    )
    out.update(tol=tol, gap=(value - optimum) / optimum)
    Xa, Xb, ya, yb = split
    ours = SVMClassifier(alpha=ALPHA)
    svc = LinearSVC()
    functions = {}
    if tol is not None:
        to_gap = SVMClassifier(alpha=ALPHA, tol=tol)
        functions["to_gap"] = lambda: quiet_fit(to_gap, X, y)
    functions["ours"] = lambda: quiet_fit(ours, Xa, ya)
    functions["svc"] = lambda: quiet_fit(svc, Xa, ya)
    log(f"[2b] {name}: timing {list(functions)} x{repeats}, interleaved")
    out["times"] = interleaved(functions, repeats)
    out["accuracy"] = {"ours": ours.score(Xb, yb), "svc": svc.score(Xb, yb)}
    out["svc_iter"] = int(np.max(svc.n_iter_))
    out["svc_max_iter"] = svc.max_iter
    out["split"] = (Xa.shape[0], Xb.shape[0])
    return out


def report(data):
    """Sections 2(a) and 2(b), and their summary lines."""
    cs_lines, cs_summary = crammer_singer_section(data["crammer_singer"])
    hinge_lines, hinge_summary = hinge_section(data["hinge"])
    return cs_lines + hinge_lines, cs_summary + hinge_summary


def crammer_singer_section(results):
    summary = []
    lines = [
        "## 2(a). Crammer-Singer SVM against LinearSVC at matched regularisation",
        "",
        "SVMClassifier(loss='crammer_singer', alpha=1e-4, fit_intercept=False) "
        "against LinearSVC(multi_class='crammer_singer', C=1/(2 n alpha), "
        "fit_intercept=False) (without an intercept the two objectives are the "
        "same up to a factor), on the same data: standardised digits and the "
        f"first {N_MEDIUM // 1000}k rows of the synthetic training split. "
        "LinearSVC's final objective is evaluated with sklinear's objective; "
        "sklinear is timed at the loosest tol (1e-1..1e-6) whose objective "
        f"reaches it to {REACH:g} relative (at most {1 + REACH:g} times it, as "
        "the issue asks), and the objective it reached is shown beside. "
        "LinearSVC's max_iter does not reach liblinear's "
        "Crammer-Singer solver, which stops at LinearSVC's tol (marked "
        "'converged') or after its own cap of "
        f"{LIBLINEAR_CS_MAX_ITER:,} iterations (marked 'cap'); a LinearSVC "
        f"fit longer than {SVC_ONCE:g} s is timed once (the fit that gave the "
        "target; marked 'once'), not repeated. Target: at most 0.5x "
        "LinearSVC's time, on both sets.",
        "",
        "| data | LinearSVC objective | LinearSVC iterations | sklinear tol | "
        "sklinear objective (relative to LinearSVC's) | sklinear | LinearSVC | "
        "ratio | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        head = f"| {r['name']} | {r['target']:.8g} | {r['svc_iter']} |"
        if r["times"] is None:
            measured, met = "objective not reached", False
            lines.append(
                f"{head} not reached | {r['value']:.8g} | - | - | - | "
                f"{verdict(False)} |"
            )
        else:
            q = ratio(r["times"]["ours"], r["times"]["svc"])
            measured, met = f"{q:.2f}x", q <= 0.5
            once = " once" if len(r["times"]["svc"]) == 1 else ""
            excess = r["value"] / r["target"] - 1
            lines.append(
                f"{head} {r['tol']:g} | {r['value']:.8g} ({excess:+.1e}) | "
                f"{fmt_times(r['times']['ours'])} | "
                f"{fmt_times(r['times']['svc'])}{once} | {q:.2f}x | {verdict(met)} |"
            )
        summary.append(
            (f"2(a). Crammer-Singer, {r['name']}", "<= 0.5x LinearSVC", measured, met)
        )
    return lines + [""], summary


def hinge_section(results):
    summary = []
    lines = [
        "## 2(b). Weston-Watkins hinge SVM",
        "",
        "SVMClassifier(alpha=1e-4) (loss='hinge', default optimizer, with "
        "intercept). (i) Time to a relative objective gap of 1e-3: the optimum "
        "L\\* is the objective of a tight sklinear fit (tol=1e-6, "
        "max_iter=50000), not an independent solver (the exact QP in "
        "tests/_reference.py is too slow at 20k rows); sklinear is timed at the "
        "loosest tol in 1e-1..1e-4 whose fit reaches L <= L\\*(1 + 1e-3). "
        "(ii) Default fits: SVMClassifier(alpha=1e-4) against LinearSVC() at its "
        "defaults (one-vs-rest squared hinge, C=1: a different problem, so only "
        "the fit time and the test accuracy compare). Digits: (i) on all of "
        "the standardised digits, (ii) on train_test_split(test_size=0.2, "
        f"random_state=0) of them; synthetic: the first {N_MEDIUM // 1000}k "
        "rows of the training split for both, accuracy on the 20% test split. "
        "The three fits are timed interleaved. No target in the issue.",
        "",
    ]
    for r in results:
        lines += [
            f"**{r['name']}** (X {r['shape'][0]} x {r['shape'][1]}): "
            f"L\\* = {r['optimum']:.12g} from the tight sklinear fit "
            f"({r['tight_iter']} iterations, {r['tight_time']:.1f} s, fitted "
            "once).",
            "",
        ]
        times = r["times"]
        if r["tol"] is None:
            lines.append(f"(i) gap 1e-3 not reached by tol 1e-4 (gap {r['gap']:.1e}).")
            gap_cell = "not reached"
        else:
            gap_cell = fmt_times(times["to_gap"])
            lines.append(
                f"(i) sklinear reaches the gap at tol={r['tol']:g} (gap "
                f"{r['gap']:.1e}): {gap_cell}."
            )
        q = ratio(times["ours"], times["svc"])
        hit = r["svc_iter"] >= r["svc_max_iter"]
        svc_note = f" (stopped at max_iter={r['svc_max_iter']})" if hit else ""
        lines += [
            "",
            f"(ii) train {r['split'][0]} / test {r['split'][1]} rows:",
            "",
            "| estimator | fit time | test accuracy |",
            "|---|---|---|",
            f"| SVMClassifier(alpha=1e-4) | {fmt_times(times['ours'])} | "
            f"{r['accuracy']['ours']:.4f} |",
            f"| LinearSVC(){svc_note} | {fmt_times(times['svc'])} | "
            f"{r['accuracy']['svc']:.4f} |",
            "",
            f"Fit time sklinear / LinearSVC: {q:.2f}x (no target).",
            "",
        ]
        summary.append(
            (
                f"2(b). WW hinge, {r['name']}",
                "no target (reported)",
                f"1e-3 gap in {gap_cell}; default fit {q:.2f}x LinearSVC(), "
                f"accuracy {r['accuracy']['ours']:.4f} vs "
                f"{r['accuracy']['svc']:.4f}",
                None,
            )
        )
    return lines, summary
