"""Mutation test of every declared threshold: does some test fail when one moves by a step?

For each threshold of each check (`@check(thresholds=...)`) and each grade cut-off of the score
(`scoring.weights.GRADES`), the value is moved up and down by one step (1 for an integer, 0.01 for a
fraction), pytest runs the threshold tests in a subprocess with that single mutation applied in-process
(this file is also the pytest plugin that applies it, from the environment), and the mutation is
"killed" when a test fails. Prints one line per mutation and exits 1 when any survived or errored.

    python scripts/mutate_thresholds.py [--jobs 2] [--tests tests/test_check_thresholds.py ...] [--only ID]

F's floor (0) is not mutated: `grade()` gives F to any score below E's floor, so moving it changes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

ROOT = Path(__file__).resolve().parents[1]
ENV_VAR = "HEALTHGEO_THRESHOLD_MUTATION"
DEFAULT_TESTS = ("tests/test_check_thresholds.py",)
GRADES = "grades"


@dataclass(frozen=True)
class Mutation:
    target: str  # check id, or "grades"
    name: str    # threshold name, or the grade letter
    value: float
    mutated: float

    @property
    def label(self) -> str:
        return f"{self.target}:{self.name}"


def step(value: int | float) -> int | float:
    """One step of a threshold's own resolution: a unit for a count, a hundredth for a fraction."""
    return 1 if isinstance(value, int) else 0.01


def _moved(value: int | float, delta: int | float) -> int | float:
    return value + delta if isinstance(value, int) and isinstance(delta, int) else round(value + delta, 10)


def mutations(only: str | None = None) -> list[Mutation]:
    from scoring.checks.base import REGISTRY
    from scoring.weights import GRADES as CUT_OFFS

    out = []
    for check in REGISTRY.values():
        for name, threshold in check.thresholds.items():
            value = threshold.value
            out += [Mutation(check.id, name, value, _moved(value, sign * step(value))) for sign in (1, -1)]
    for floor, letter in CUT_OFFS:
        if floor > 0:
            out += [Mutation(GRADES, letter, floor, _moved(floor, sign * step(floor))) for sign in (1, -1)]
    return [m for m in out if only is None or only in m.label]


def apply(mutation: Mutation) -> None:
    """Apply one mutation in this process (the registry and the grade table are read at each call)."""
    if mutation.target == GRADES:
        import scoring.weights as weights

        weights.GRADES = tuple((mutation.mutated if letter == mutation.name else floor, letter)
                               for floor, letter in weights.GRADES)
        return
    from scoring.checks.base import REGISTRY

    check = REGISTRY[mutation.target]
    thresholds = dict(check.thresholds)
    thresholds[mutation.name] = replace(thresholds[mutation.name], value=mutation.mutated)
    REGISTRY[check.id] = replace(check, thresholds=MappingProxyType(thresholds))


def pytest_configure(config) -> None:  # noqa: ARG001 - pytest's plugin hook
    raw = os.environ.get(ENV_VAR)
    if raw:
        apply(Mutation(**json.loads(raw)))


def run_tests(mutation: Mutation | None, tests: tuple[str, ...]) -> str:
    """'killed' (a test failed), 'survived' (all passed) or 'error: ...' (pytest could not run)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "scripts"),
                                                                    os.environ.get("PYTHONPATH")])))
    if mutation:
        env[ENV_VAR] = json.dumps(mutation.__dict__)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           "-p", "mutate_thresholds", *tests], cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode == 1:
        return "killed"
    if proc.returncode == 0:
        return "survived"
    return f"error: pytest exit {proc.returncode}: {(proc.stdout + proc.stderr).strip().splitlines()[-1:]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--tests", nargs="+", default=list(DEFAULT_TESTS))
    parser.add_argument("--only", help="mutate only the thresholds whose 'check:name' contains this")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    tests = tuple(args.tests)
    baseline = run_tests(None, tests)
    if baseline != "survived":
        print(f"the tests fail before any mutation ({baseline}): fix them first", file=sys.stderr)
        return 2
    todo = mutations(args.only)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda m: run_tests(m, tests), todo))
    width = max((len(m.label) for m in todo), default=10)
    print(f"{'threshold':<{width}}  {'mutation':<16}  result")
    for mutation, result in zip(todo, results, strict=True):
        print(f"{mutation.label:<{width}}  {f'{mutation.value} -> {mutation.mutated}':<16}  {result}")
    killed = results.count("killed")
    print(f"killed {killed} of {len(todo)} mutations ({len({m.label for m in todo})} thresholds); tests: "
          f"{' '.join(tests)}")
    return 0 if killed == len(todo) else 1


if __name__ == "__main__":
    sys.exit(main())
