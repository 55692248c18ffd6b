"""The domain core stays plain Python: standard library and its own modules only."""

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).parents[3] / "server" / "domain"


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_domain_imports_only_the_standard_library():
    offenders = {
        (path.name, mod) for path in DOMAIN.glob("*.py") for mod in imported_modules(path)
        if mod.split(".")[0] not in sys.stdlib_module_names and mod != "__future__"
    }
    assert offenders == set()


def test_the_rule_would_catch_a_framework_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import Flask\nimport sqlalchemy\n")
    assert set(imported_modules(bad)) == {"flask", "sqlalchemy"}
