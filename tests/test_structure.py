"""House rules the code keeps by itself: views read through selectors and the access
modules, never a model's manager; imports point down the layers."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"units": 0, "appraisal": 1, "surveys": 2, "rectification": 3}


def test_no_view_queries_a_manager():
    views = [p for p in ROOT.glob("[!.]*/**/views.py") if ".venv" not in p.parts]
    assert len(views) > 10  # the walk finds the sub-domains' views
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in views
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\b[A-Z]\w*\.objects\b", line)
    ]
    assert offenders == []


def test_imports_point_down_the_layers():
    upward = []
    for app, level in LAYERS.items():
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                for name in names:
                    top = name.split(".")[0]
                    if LAYERS.get(top, -1) > level or top in ("demo", "portal"):
                        upward.append(f"{path.relative_to(ROOT)}: {name}")
    assert upward == []
