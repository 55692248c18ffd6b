"""Compile each URL rule's builder once per test process instead of once per app.

Most tests make their own app, and werkzeug compiles two Python functions for every one of
the app's ~240 rules each time (about 0.12 s of CPU an app, most of an API test's setup). The
function depends only on the rule's text, its parsed parts and its defaults, and is bound to
each rule afterwards, so a process can share it between apps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing.rules import Rule

_compiled: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}


def _key(rule: Rule, append_unknown: bool) -> tuple[Any, ...]:
    # A converter's own settings, not its map (whose repr lists every rule).
    converters = tuple((name, type(conv).__name__,
                        repr(sorted((k, v) for k, v in vars(conv).items() if k != "map")))
                       for name, conv in rule._converters.items())
    defaults = repr(sorted((rule.defaults or {}).items()))
    return (rule.rule, tuple(rule._trace), converters, defaults, append_unknown)


def share_compiled_builders() -> None:
    """Let every app in this process reuse the builders an earlier app compiled."""
    original = Rule._compile_builder
    if getattr(original, "shared", False):
        return

    def compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., Any]:
        key = _key(self, append_unknown)
        if key not in _compiled:
            _compiled[key] = original(self, append_unknown)
        return _compiled[key]

    compile_builder.shared = True  # type: ignore[attr-defined]
    Rule._compile_builder = compile_builder  # type: ignore[method-assign]
