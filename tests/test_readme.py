"""The README's two set-up commands are what CI pastes (.ci/readme_command.py reads them from README.md)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

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


def test_ci_runs_the_readme_commands_rather_than_its_own_copy() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "readme_command.py test" in ci and "readme_start_check.py" in ci
    assert 'bash -c "$TEST_CMD"' in ci
    assert "python -m pytest" not in ci, "CI must run the README's pytest, not its own"
