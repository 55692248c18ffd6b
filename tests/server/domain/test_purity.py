"""The domain core stays plain Python: the standard library, its own modules, and exactly
station.protocol and labels.codes (stdlib-only vocabularies shared with the agent and the
label payload)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).parents[3]
DOMAIN = ROOT / "server" / "domain"
ALLOWED = {"station.protocol", "labels.codes"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path) -> set[str]:
    """Return every module path imports, relative imports resolved against its package."""
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            found.add(stem)
            # "from . import x" imports the module x of that package
            found.update(f"{stem}.{a.name}" for a in node.names if not node.module)
    return found


def offenders(package: Path, root: Path, *, own: str) -> set[tuple[str, str]]:
    """Return (file, module) for each import outside stdlib, own package and ALLOWED."""
    bad = set()
    for path in sorted(package.rglob("*.py")):
        for mod in imported_modules(path, root):
            top = mod.split(".")[0]
            if mod == "__future__" or top in sys.stdlib_module_names or mod in ALLOWED:
                continue
            if mod == own or mod.startswith(own + "."):
                continue
            bad.add((str(path.relative_to(root)), mod))
    return bad


def stdlib_only(path: Path, root: Path) -> set[str]:
    return {m for m in imported_modules(path, root)
            if m != "__future__" and m.split(".")[0] not in sys.stdlib_module_names}


def test_domain_imports_only_the_standard_library():
    assert offenders(DOMAIN, ROOT, own="server.domain") == set()


def test_the_shared_vocabularies_are_themselves_standard_library_only():
    for shared in (ROOT / "station" / "protocol.py", ROOT / "labels" / "codes.py"):
        assert stdlib_only(shared, ROOT) == set(), shared


def test_the_rule_catches_frameworks_relative_escapes_and_subpackages(tmp_path):
    pkg = tmp_path / "server" / "domain"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "ok.py").write_text("from __future__ import annotations\nimport json\n"
                               "from .ok2 import x\nfrom . import ok2\n"
                               "from station.protocol import Outcome\n")
    (pkg / "bad.py").write_text("from flask import Flask\nimport sqlalchemy.orm\n"
                                "from ..models import Batch\n")
    (pkg / "sub" / "__init__.py").write_text("from ...api import endpoint\n")
    (pkg / "sub" / "deep.py").write_text("from .. import ok\nfrom ... import db\n")
    found = offenders(pkg, tmp_path, own="server.domain")
    assert found == {
        ("server/domain/bad.py", "flask"), ("server/domain/bad.py", "sqlalchemy.orm"),
        ("server/domain/bad.py", "server.models"),
        ("server/domain/sub/__init__.py", "server.api"),
        ("server/domain/sub/deep.py", "server"), ("server/domain/sub/deep.py", "server.db"),
    }
