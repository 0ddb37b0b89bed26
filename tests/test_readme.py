"""The README's two set-up commands are what CI pastes (.ci/readme_command.py reads them from README.md),
and they install the exact versions locked in constraints.txt."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _readme_command(which: str) -> str:
    spec = importlib.util.spec_from_file_location("readme_command", ROOT / ".ci" / "readme_command.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.command(which, (ROOT / "README.md").read_text(encoding="utf-8")))


def test_the_readme_has_one_start_and_one_test_command() -> None:
    start, test = _readme_command("start"), _readme_command("test")
    assert start.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install ")
    assert "claimdb init" in start and "claimdb demo" in start and "claimdb user create" in start
    assert test.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install ")
    assert "'.[test]'" in test


def test_both_readme_commands_install_from_the_constraints() -> None:
    assert "&& pip install -c constraints.txt . &&" in _readme_command("start")
    assert "&& pip install -c constraints.txt -e '.[test]' &&" in _readme_command("test")


def test_ci_runs_the_readme_commands_rather_than_its_own_copy() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "readme_command.py test" in ci and "readme_start_check.py" in ci
    assert 'bash -c "$TEST_CMD"' in ci
    assert "python -m pytest" not in ci, "CI must run the README's pytest, not its own"


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line.strip())
            assert match, f"constraints.txt: not an exact pin: {line!r}"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_every_requirement_is_pinned_in_the_constraints_within_its_bounds() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins()
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not pinned in constraints.txt: regenerate it (see its header)"
        assert requirement.specifier.contains(pins[name]), f"constraints.txt pins {name}=={pins[name]}, outside {line}"
        assert any(spec.operator in ("<", "<=", "==", "~=") for spec in requirement.specifier), (
            f"{line} has no upper bound")
    assert "claimdb" not in pins
