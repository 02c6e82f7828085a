"""Write binder/requirements.txt, the lock of the environment the tests ran in.

    python scripts/lock_binder.py                    # rewrite binder/requirements.txt
    python scripts/lock_binder.py --check            # fail if the lock differs from the venv
    python scripts/lock_binder.py --build-requires   # print [build-system] requires, one a line

Run it with the project's virtual environment (``.venv/bin/python``) after ``make test`` has
passed there: the lock is every distribution that ``pip install -e .`` pulls in (the runtime
requirements of ``frontlines``, their requirements, and so on, with markers and extras
evaluated for this interpreter), each pinned to the version installed in that environment.
The Makefile installs the project with the lock as pip constraints, so ``make test`` tests
exactly the locked versions, and Binder installs them from ``binder/requirements.txt``.

The interpreter must be the Python of ``binder/runtime.txt`` on Linux, as on Binder.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "binder" / "requirements.txt"
RUNTIME = REPO / "binder" / "runtime.txt"
PYPROJECT = REPO / "pyproject.toml"
#: Never locked: the installer (Binder and the venv bring their own).
UNLOCKED = frozenset({"pip"})


class LockError(RuntimeError):
    """The environment cannot be locked (a requirement is missing or out of its range)."""


def _applies(req: Requirement, extras: frozenset[str]) -> bool:
    """Whether ``req`` holds for this interpreter when its owner is installed with ``extras``."""
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": extra}) for extra in extras | {""})


def _read(pyproject: Path) -> dict:
    with pyproject.open("rb") as f:
        return tomllib.load(f)


def runtime_requirements(pyproject: Path = PYPROJECT) -> list[str]:
    """The ``[project] dependencies`` of ``pyproject``: what ``pip install -e .`` starts from.

    Read from the file rather than from the installed ``frontlines`` metadata, which an editable
    install leaves as it was when the project was last installed.

    Parameters
    ----------
    pyproject
        Path to ``pyproject.toml``.

    Returns
    -------
    list of str
        The requirement strings, as written.
    """
    return list(_read(pyproject)["project"]["dependencies"])


def closure(requirements: Iterable[str]) -> dict[NormalizedName, metadata.Distribution]:
    """The installed distributions that ``requirements`` pull in, requirements of those included.

    Parameters
    ----------
    requirements
        Requirement strings to start the walk from (a project's runtime dependencies).

    Returns
    -------
    dict
        Canonical name to installed distribution, for every distribution reached through
        requirements whose markers hold for this interpreter (extras requested on the way,
        such as ``jsonschema[format-nongpl]``, are followed).

    Raises
    ------
    LockError
        If a requirement is not installed, or the installed version is outside its range.
    """
    found: dict[NormalizedName, metadata.Distribution] = {}
    seen: set[tuple[NormalizedName, frozenset[str]]] = set()
    todo = [(Requirement(r), frozenset(), "pyproject.toml") for r in requirements]
    while todo:
        req, extras, owner = todo.pop()
        if not _applies(req, extras):
            continue
        name = canonicalize_name(req.name)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError as err:
            raise LockError(f"{owner} requires {req}, not installed in {sys.prefix}") from err
        if not req.specifier.contains(dist.version, prereleases=True):
            raise LockError(f"{owner} requires {req}, but {dist.version} is installed")
        found.setdefault(name, dist)
        wanted = frozenset(canonicalize_name(e) for e in req.extras)
        if (name, wanted) in seen:
            continue
        seen.add((name, wanted))
        owner = f"{dist.metadata['Name']} {dist.version}"
        todo.extend((Requirement(line), wanted, owner) for line in dist.requires or [])
    return found


def check_interpreter(runtime: Path = RUNTIME) -> None:
    """Refuse to lock for another Python than ``runtime.txt``'s (``python-X.Y``) or off Linux.

    Raises
    ------
    LockError
        If this interpreter is not the one Binder runs.
    """
    wanted = runtime.read_text(encoding="utf-8").strip().removeprefix("python-")
    env = default_environment()
    if env["python_version"] != wanted or env["sys_platform"] != "linux":
        raise LockError(
            f"lock with Python {wanted} on Linux (binder/runtime.txt), not Python "
            f"{env['python_version']} on {env['sys_platform']}"
        )


def render(pyproject: Path = PYPROJECT) -> str:
    """The text of the lock: ``name==version`` for each distribution of :func:`closure`.

    Parameters
    ----------
    pyproject
        The project whose runtime dependencies (``[project] dependencies``) are locked.

    Returns
    -------
    str
        One line per distribution, sorted by canonical name, ending with a newline; the
        installer (``pip``) is left out, and so is the project, which the walk starts below.
    """
    dists = closure(runtime_requirements(pyproject))
    lines = [f"{name}=={dists[name].version}" for name in sorted(dists) if name not in UNLOCKED]
    return "\n".join(lines) + "\n"


def build_requires(pyproject: Path = PYPROJECT) -> list[str]:
    """The ``[build-system] requires`` of ``pyproject`` (what an editable install builds with).

    Parameters
    ----------
    pyproject
        Path to ``pyproject.toml``.

    Returns
    -------
    list of str
        The requirement strings, as written.
    """
    return list(_read(pyproject)["build-system"]["requires"])


def main(argv: list[str] | None = None) -> int:
    """Command line: write or check the lock, or print the build requirements."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--check", action="store_true", help="fail if the lock would change")
    what.add_argument("--build-requires", action="store_true", help="print [build-system] requires")
    parser.add_argument("--lock", type=Path, default=LOCK, help="the lock file (%(default)s)")
    args = parser.parse_args(argv)
    if args.build_requires:
        print("\n".join(build_requires()))
        return 0
    try:
        check_interpreter()
        text = render()
    except LockError as err:
        print(f"lock_binder: {err}", file=sys.stderr)
        return 1
    if args.check:
        old = args.lock.read_text(encoding="utf-8") if args.lock.exists() else ""
        if old != text:
            print(
                f"lock_binder: {args.lock} differs from the environment in {sys.prefix}; "
                "run scripts/lock_binder.py with it (or reinstall with make)",
                file=sys.stderr,
            )
            return 1
        return 0
    args.lock.write_text(text, encoding="utf-8")
    print(f"wrote {args.lock} ({text.count(chr(10))} distributions)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
