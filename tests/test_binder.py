"""Binder launches what the tests ran.

- ``binder/requirements.txt`` locks the tested environment: exact pins of the runtime closure,
  within pyproject's ranges, equal to what this environment installed (the Makefile installs
  with the lock as constraints) and to what ``scripts/lock_binder.py`` finds here.
- The README's badges come from pyproject's ``[project.urls] Repository`` alone.
- A fresh environment built from ``binder/`` alone (the lock, then ``postBuild``), offline from
  the wheelhouse ``make test`` fetches at set-up, runs every notebook and has the static site.
  These tests (``-k fresh_env``) take about two minutes, most of it installing the lock.
- ``repo2docker --no-build`` reads the ``binder/`` folder: the lock, ``postBuild`` and the
  Python of ``runtime.txt``.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import venv
from dataclasses import dataclass, field
from hashlib import sha256
from importlib import metadata
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.support import REPO

BINDER = REPO / "binder"
LOCK = BINDER / "requirements.txt"
WHEELHOUSE = REPO / "build" / "wheelhouse"
ARTIFACTS = REPO / "test-artifacts"
#: Binder runs Python of runtime.txt on Linux; the lock's markers are evaluated there.
BINDER_PYTHON = {"python_version": "3.11", "sys_platform": "linux", "platform_system": "Linux"}
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"
#: The issue's budget for a notebook run top to bottom (reported, not asserted).
NOTEBOOK_BUDGET_S = 60


def _script(name: str) -> ModuleType:
    """Import ``scripts/NAME.py`` (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(
        f"_scripts_{name}", REPO / "scripts" / f"{name}.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lock_binder = _script("lock_binder")
badges = _script("badges")


def working_tree() -> list[str]:
    """The working tree's files as git sees them: tracked and untracked, less the ignored."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    return sorted(p for p in out.decode().split("\0") if p and (REPO / p).is_file())


def copy_tree(dest: Path) -> Path:
    """Copy the working tree (uncommitted changes included, modes kept) into ``dest``."""
    for rel in working_tree():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dest / rel)
    return dest


NOTEBOOKS = [p for p in working_tree() if p.startswith("notebooks/") and p.endswith(".ipynb")]


def read_lock() -> dict[str, str]:
    """The lock as canonical name to version (the line format is checked separately)."""
    pins = (line.split("==") for line in LOCK.read_text(encoding="utf-8").splitlines())
    return {canonicalize_name(name): version for name, version in pins}


def pyproject() -> dict:
    with (REPO / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


# -- the lock ---------------------------------------------------------------------------------


def test_every_line_of_the_lock_is_name_equals_version():
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 50  # the closure of geopandas, Voila and JupyterLab
    names = []
    for line in lines:
        req = Requirement(line)
        (spec,) = req.specifier
        assert not req.extras and req.marker is None and req.url is None, line
        assert spec.operator == "==" and "*" not in spec.version, line
        assert line == f"{canonicalize_name(req.name)}=={Version(spec.version)}", line
        names.append(canonicalize_name(req.name))
    assert names == sorted(set(names))  # sorted, each once
    assert "pip" not in names and "frontlines" not in names


def test_the_lock_holds_every_runtime_dependency_within_pyprojects_range():
    lock = read_lock()
    deps = [Requirement(r) for r in pyproject()["project"]["dependencies"]]
    assert len(deps) > 10
    outside = {}
    for req in deps:
        if req.marker is not None and not req.marker.evaluate(BINDER_PYTHON):
            continue
        version = lock.get(canonicalize_name(req.name))
        if version is None or not req.specifier.contains(version, prereleases=True):
            outside[str(req)] = version
    assert outside == {}


def test_this_environment_installed_the_locked_versions():
    installed = {}
    for name in read_lock():
        try:
            installed[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed[name] = None
    assert installed == read_lock(), "install with `pip install -c binder/requirements.txt`"


def test_the_lock_is_the_runtime_closure_of_this_environment():
    # nothing missing (a dependency added to pyproject, or a new requirement of a dependency)
    # and nothing left over: run `scripts/lock_binder.py` after changing the dependencies
    assert lock_binder.render() == LOCK.read_text(encoding="utf-8")


def test_the_closure_follows_markers_and_the_extras_asked_for():
    # jupyter-events asks for jsonschema[format-nongpl], which brings webcolors
    assert "webcolors" in lock_binder.closure(["jupyter-events"])
    assert "webcolors" not in lock_binder.closure(["jsonschema"])
    assert lock_binder.closure(['jsonschema; python_version < "3"']) == {}
    with pytest.raises(lock_binder.LockError, match="not installed"):
        lock_binder.closure(["no-such-distribution-here"])
    with pytest.raises(lock_binder.LockError, match="installed"):
        lock_binder.closure(["packaging<1"])


def test_the_lock_is_for_binders_python(tmp_path):
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"
    assert Marker('python_version == "3.11" and sys_platform == "linux"').evaluate()
    lock_binder.check_interpreter()
    other = tmp_path / "runtime.txt"
    other.write_text("python-3.12\n", encoding="utf-8")
    with pytest.raises(lock_binder.LockError, match="Python 3.12"):
        lock_binder.check_interpreter(other)


def test_postbuild_stops_at_the_first_failure_and_does_its_steps_in_order():
    lines = [
        line.strip()
        for line in (BINDER / "postBuild").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "set -e"
    steps = iter(lines[1:])  # each step found after the one before
    for step in (
        "python -m pip install --no-cache-dir -e .",
        "python -m frontlines.assets",
        "jupyter server extension enable --sys-prefix frontlines.serve",
        "frontlines build-site site",
    ):
        assert any(line == step for line in steps), step
    assert os.access(BINDER / "postBuild", os.X_OK)


# -- the badges -------------------------------------------------------------------------------


def test_the_readme_badges_are_the_generators_output():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = badges.readme_block(readme)
    assert block == badges.badges(badges.repository())
    # right under the title
    assert readme.startswith("# frontlines: Aleppo, 2016\n\n" + block + "\n\n")
    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "badges.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == block + "\n"


def test_the_badges_launch_the_three_views_on_mybinder():
    repo = pyproject()["project"]["urls"]["Repository"]
    block = badges.badges(repo)
    links = re.findall(r"\[!\[([^\]]+)\]\(([^)]+)\)\]\(([^)]+)\)", block)
    assert len(links) == 3
    assert {img for _, img, _ in links} == {"https://mybinder.org/badge_logo.svg"}
    owner_repo = repo.removeprefix("https://github.com/")
    prefix = f"https://mybinder.org/v2/gh/{owner_repo}/main?urlpath="
    assert [url for _, _, url in links] == [
        prefix + "voila%2Frender%2Fnotebooks%2Faleppo.ipynb",
        prefix + "lab%2Ftree%2Fnotebooks%2Fclassroom.ipynb",
        prefix + "lab",
    ]
    for _, _, urlpath in badges.LAUNCHES:  # each opens a notebook that exists
        rel = urlpath.removeprefix("voila/render/").removeprefix("lab/tree/")
        assert rel == "lab" or (REPO / rel).is_file(), urlpath
    with pytest.raises(ValueError, match="GitHub"):
        badges.binder_url("https://gitlab.com/o/r", "lab")


def test_the_repository_address_is_kept_in_one_place():
    owner_repo = badges.repository().removeprefix("https://github.com/")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = []
    for rel in working_tree():
        try:
            text = (REPO / rel).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if rel == "README.md":
            text = text.replace(badges.readme_block(readme), "")
        if owner_repo in text:
            found.append(rel)
    assert found == ["pyproject.toml"]


# -- a fresh environment from binder/ alone ---------------------------------------------------


@dataclass
class FreshEnv:
    """A virtual environment built from ``binder/`` alone, and the repository copy it serves."""

    prefix: Path
    tree: Path
    env: dict[str, str]
    timings: dict[str, float] = field(default_factory=dict)

    def run(self, *args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run a command in the tree with the environment's ``bin`` first on ``PATH``."""
        return subprocess.run(
            [str(a) for a in args],
            cwd=self.tree,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def _report(request: pytest.FixtureRequest, line: str) -> None:
    """Print ``line`` to the terminal whatever pytest captures."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(line)


def _ok(proc: subprocess.CompletedProcess[str], what: str) -> None:
    assert proc.returncode == 0, f"{what} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"


@pytest.fixture(scope="session")
def fresh_env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Build the environment as Binder does: a new Python, ``pip install -r
    binder/requirements.txt``, then ``binder/postBuild`` in a copy of the working tree;
    offline, from the wheelhouse ``make test`` fetched (``build/wheelhouse``)."""
    assert (WHEELHOUSE / ".fetched").exists(), (
        f"no wheelhouse in {WHEELHOUSE}: `make test` fetches it (make build/wheelhouse/.fetched)"
    )
    root = tmp_path_factory.mktemp("binder")
    tree = copy_tree(root / "repo")
    prefix = root / "venv"
    home = root / "home"
    home.mkdir()
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "XDG_"))}
    for k in ("VIRTUAL_ENV", "FRONTLINES_GEO", "MPLCONFIGDIR", "JUPYTER_PATH", "IPYTHONDIR"):
        keep.pop(k, None)
    keep.update(
        HOME=str(home),  # a new user, as on Binder: no ~/.jupyter, ~/.local or pip config
        PATH=f"{prefix / 'bin'}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
        VIRTUAL_ENV=str(prefix),
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(WHEELHOUSE),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    env = FreshEnv(prefix=prefix, tree=tree, env=keep)
    t0 = time.perf_counter()
    venv.EnvBuilder(with_pip=True).create(prefix)
    t1 = time.perf_counter()
    _ok(env.run("python", "-m", "pip", "install", "-r", "binder/requirements.txt"), "the lock")
    t2 = time.perf_counter()
    _ok(env.run(tree / "binder" / "postBuild"), "postBuild")
    t3 = time.perf_counter()
    env.timings.update(venv=round(t1 - t0, 1), lock=round(t2 - t1, 1), postBuild=round(t3 - t2, 1))
    _report(
        request,
        f"\nfresh Binder environment: venv {t1 - t0:.1f} s, install the lock {t2 - t1:.1f} s, "
        f"postBuild {t3 - t2:.1f} s",
    )
    yield env
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "binder-timings.json").write_text(
        json.dumps(env.timings, indent=1) + "\n", encoding="utf-8"
    )


def test_fresh_env_is_exactly_the_lock_and_the_project(fresh_env):
    proc = fresh_env.run("python", "-m", "pip", "list", "--format=json")
    _ok(proc, "pip list")
    installed = {canonicalize_name(d["name"]): d["version"] for d in json.loads(proc.stdout)}
    assert installed.pop("frontlines") == pyproject()["project"]["version"]
    for tool in ("pip", "setuptools"):  # what the new venv came with
        if tool not in read_lock():
            installed.pop(tool, None)
    assert installed == read_lock()
    _ok(fresh_env.run("python", "-m", "pip", "check"), "pip check")
    # editable: the package is the copy's, and so finds the copy's geo/
    where = fresh_env.run("python", "-c", "import frontlines; print(frontlines.__file__)")
    _ok(where, "import frontlines")
    assert Path(where.stdout.strip()).is_relative_to(fresh_env.tree / "src")


def test_fresh_env_postbuild_built_the_site_and_set_up_voila(fresh_env):
    index = fresh_env.tree / "site" / "index.html"
    assert index.is_file(), "postBuild writes the static site into site/"
    assert "fl-" in index.read_text(encoding="utf-8")  # the reader panel, not an empty page
    assert (fresh_env.tree / "site" / "static").is_dir()
    template = fresh_env.prefix / "share" / "jupyter" / "voila" / "templates" / "frontlines"
    assert (template / "static" / "leaflet" / "leaflet.js").is_file()
    proc = fresh_env.run("jupyter", "server", "extension", "list")
    _ok(proc, "jupyter server extension list")
    listing = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)  # no colours
    for extension in ("frontlines.serve", "voila.server_extension"):
        assert re.search(rf"^\s*{re.escape(extension)}\s+enabled$", listing, re.M), listing
        assert re.search(rf"^\s*{re.escape(extension)}\s.*OK$", listing, re.M), listing


#: Run a notebook top to bottom with nbclient in the fresh environment's Python, as "Restart
#: kernel and run all" would: ``python -c RUN_NOTEBOOK NOTEBOOK OUT``; prints the seconds taken
#: from the kernel's start to the end of the last cell.
RUN_NOTEBOOK = """
import json, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
src, out = Path(sys.argv[1]), Path(sys.argv[2])
nb = nbformat.read(src, as_version=4)
t0 = time.perf_counter()
NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(src.parent)}}).execute()
seconds = time.perf_counter() - t0
out.write_text(json.dumps(nb), encoding="utf-8")
print(json.dumps({"seconds": seconds}))
"""


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_fresh_env_runs_the_notebook(fresh_env, notebook, request, tmp_path):
    out = tmp_path / "executed.ipynb"
    proc = fresh_env.run("python", "-c", RUN_NOTEBOOK, notebook, out)
    _ok(proc, f"running {notebook}")
    seconds = json.loads(proc.stdout.strip().splitlines()[-1])["seconds"]
    fresh_env.timings[notebook] = round(seconds, 1)
    over = "" if seconds < NOTEBOOK_BUDGET_S else f" (over the {NOTEBOOK_BUDGET_S} s budget)"
    _report(request, f"\n{notebook}: {seconds:.1f} s top to bottom in the fresh environment{over}")
    nb = json.loads(out.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code and all(c["execution_count"] for c in code)
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert errors == []


def test_fresh_env_kernel_is_its_own_python(fresh_env):
    proc = fresh_env.run("jupyter", "kernelspec", "list", "--json")
    _ok(proc, "jupyter kernelspec list")
    kernels = json.loads(proc.stdout)["kernelspecs"]
    assert set(kernels) == {"python3"}  # no kernel of the machine's or of the test venv
    spec = kernels["python3"]
    assert Path(spec["resource_dir"]).is_relative_to(fresh_env.prefix)
    # "python" stands for the Python that runs Jupyter: the fresh environment's
    assert spec["spec"]["argv"][0] == "python" or Path(spec["spec"]["argv"][0]).is_relative_to(
        fresh_env.prefix
    )


def _get(url: str, user_agent: str) -> tuple[int, str, str]:
    """One GET, redirects not followed: status, Location and body."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}", headers={"User-Agent": user_agent})
        r = conn.getresponse()
        return r.status, r.getheader("Location") or "", r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_fresh_env_serves_what_binder_opens(fresh_env, tmp_path):
    """Jupyter Server as Binder starts it (a base URL, only the configuration postBuild left):
    the gate in front of Voila, the static site beside it, the reader template's Leaflet."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/user/test/"
    args = ["jupyter", "server", "--no-browser", "--allow-root", f"--port={port}"]
    args += ["--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0"]
    args += ["--ServerApp.base_url=/user/test/", "--IdentityProvider.token="]
    with (tmp_path / "server.log").open("wb") as log:
        server = subprocess.Popen(
            args, cwd=fresh_env.tree, env=fresh_env.env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if _get(base + "api", BROWSER)[0] == 200:
                    break
            except OSError:
                pass
            text = (tmp_path / "server.log").read_text(errors="replace")
            assert server.poll() is None and time.monotonic() < deadline, text
            time.sleep(0.3)
        code, _, body = _get(base + "frontlines/status", BROWSER)
        assert code == 200 and "max_kernels" in json.loads(body)
        # a crawler asking for the reader view goes to the static site, and starts no kernel
        page = base + "voila/render/notebooks/aleppo.ipynb?date=2016-07-17"
        code, where, _ = _get(page, "curl/8.5.0")
        assert (code, where) == (302, "/user/test/site/?date=2016-07-17")
        code, _, body = _get(base + "site/", BROWSER)
        assert code == 200 and "fl-" in body
        code, _, body = _get(base + "voila/templates/frontlines/static/leaflet/leaflet.js", BROWSER)
        assert code == 200 and "Leaflet" in body
        assert json.loads(_get(base + "api/kernels", BROWSER)[2]) == []
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_every_notebook_is_run_in_the_fresh_env():
    on_disk = (REPO / "notebooks").rglob("*.ipynb")
    assert sorted(NOTEBOOKS) == sorted(
        str(p.relative_to(REPO)) for p in on_disk if ".ipynb_checkpoints" not in p.parts
    )
    assert "notebooks/teacher/answers.ipynb" in NOTEBOOKS and len(NOTEBOOKS) >= 5


# -- repo2docker ------------------------------------------------------------------------------


def repo2docker(tree: Path) -> tuple[str, str]:
    """``jupyter-repo2docker --no-build --no-run --debug TREE``: the Dockerfile (stdout) and the
    log (stderr), without building, so with no container engine."""
    exe = Path(sys.executable).parent / "jupyter-repo2docker"
    assert exe.exists(), f"{exe} missing: jupyter-repo2docker is in the test extra (make test)"
    proc = subprocess.run(
        [exe, "--no-build", "--no-run", "--debug", "--user-id", "1000", "--user-name", "jovyan"]
        + [str(tree)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    _ok(proc, "repo2docker --no-build")
    assert proc.stdout.lstrip().startswith("FROM ")
    return proc.stdout, proc.stderr


def conda_lock(dockerfile: str) -> str:
    """The name of the conda environment lock the Dockerfile installs.

    repo2docker copies it as ``build_script_files/<escaped path, truncated>-<6 hex digits of the
    SHA-256 of its path>``: find which of its locks has that hash.
    """
    copied = re.findall(
        r"^COPY \S+ build_script_files/\S+-([0-9a-f]{6}) /tmp/env/environment.lock$",
        dockerfile,
        re.M,
    )
    assert len(copied) == 1, dockerfile
    spec = importlib.util.find_spec("repo2docker")  # where it is, without importing it
    assert spec and spec.submodule_search_locations
    conda = Path(spec.submodule_search_locations[0]) / "buildpacks" / "conda"
    locks = conda.glob("*.lock")
    (name,) = [p.name for p in locks if sha256(str(p).encode()).hexdigest()[:6] == copied[0]]
    return name


def test_repo2docker_reads_the_binder_folder(tmp_path):
    dockerfile, log = repo2docker(copy_tree(tmp_path / "repo"))
    # runtime.txt: Python 3.11 (repo2docker's default is 3.10)
    assert conda_lock(dockerfile) == "environment.py-3.11-linux-64.lock"
    assert "Building conda environment for python=3.11" in log
    # requirements.txt, from binder/ and nowhere else, then postBuild
    copy = r"^COPY --chown=\S+ src/binder/requirements.txt \$\{REPO_DIR\}/binder/requirements.txt$"
    assert re.search(copy, dockerfile, re.M)
    installs = re.findall(r'^RUN .*pip install .*-r "?([^"\s]+)"?$', dockerfile, re.M)
    assert installs == ["binder/requirements.txt"]
    assert re.search(r"^RUN \./binder/postBuild$", dockerfile, re.M)
    assert dockerfile.index("binder/requirements.txt") < dockerfile.index("./binder/postBuild")


def test_repo2docker_follows_runtime_txt(tmp_path):
    tree = copy_tree(tmp_path / "repo")
    (tree / "binder" / "runtime.txt").write_text("python-3.12\n", encoding="utf-8")
    dockerfile, log = repo2docker(tree)
    assert conda_lock(dockerfile) == "environment.py-3.12-linux-64.lock"
    assert "Building conda environment for python=3.12" in log
