"""Print one of the README's two set-up commands, exactly as a user would copy it.

CI runs what this prints, so the README stays the single copy of both commands:
`start` is the shell line that ends in `claimdb run`, `test` the one that runs pytest
(without a database URL in front).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def shell_lines(text: str) -> list[str]:
    blocks = re.findall(r"```(?:sh|bash|shell|console)?\n(.*?)```", text, re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def command(which: str, text: str) -> str:
    lines = shell_lines(text)
    if which == "start":
        found = [line for line in lines if line.endswith("claimdb run") and "claimdb demo" in line]
    elif which == "test":
        found = [line for line in lines if re.search(r"\bpytest$", line) and "DATABASE_URL" not in line]
    else:
        raise SystemExit(f"usage: {sys.argv[0]} start|test")
    if len(found) != 1:
        raise SystemExit(f"README.md has {len(found)} {which} commands; expected exactly one")
    return found[0]


if __name__ == "__main__":
    print(command(sys.argv[1] if len(sys.argv) > 1 else "", README.read_text(encoding="utf-8")))
