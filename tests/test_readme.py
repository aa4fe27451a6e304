"""The README states every reason a plain `python -m pytest` skips tests."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def skip_reasons() -> dict[str, str]:
    """The fixed words of each skip message in the tests (up to a colon or bracket), by file."""
    reasons: dict[str, str] = {}
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr == "skip" and node.args:
                message = node.args[0]
            elif node.func.attr == "skipif":
                message = next((k.value for k in node.keywords if k.arg == "reason"), None)
            else:
                continue
            if isinstance(message, ast.JoinedStr):  # an f-string: its first fixed words
                message = next((v for v in message.values if isinstance(v, ast.Constant)), None)
            if isinstance(message, ast.Constant) and isinstance(message.value, str):
                words = re.split(r"[:(]", message.value)[0].strip()
                reasons[words] = path.name
    return reasons


def test_the_readme_states_every_reason_a_test_is_skipped() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| skip reason |", 1)[1].split("\n\n", 1)[0]
    reasons = skip_reasons()
    assert len(reasons) >= 8
    missing = {words: name for words, name in reasons.items() if words not in table}
    assert not missing, f"add these skip reasons to the README's table: {missing}"
