"""Every user-facing string is marked for translation, extracted, and translated into German.

Three guards: the catalogues match a fresh extraction and German translates every message;
no template holds bare English text or attribute values; no browser module puts an English
literal on the page without `t(`. They read every template and module under kiosk_ui/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from server.i18n import TRANSLATIONS, po_path
from server.i18n_tools import ROOT, TEMPLATE, extract, read

TEMPLATES = ROOT / "kiosk_ui" / "templates"
SCRIPTS = ROOT / "kiosk_ui" / "static" / "js"
PENDING: set[str] = set()  # files not yet wrapped; keep it empty
# Words that are the same in every language: the brand, units and code names.
# "ACME" and "cut" are example codes in placeholders (customer ACME, station cut-2).
ALLOWED_WORDS = {"Floorline", "ACME", "cut"}
WORDS = re.compile(r"[A-Za-zÄÖÜäöüß]{2,}")
BRACES = re.compile(r"\{(\w+)\}")


def looks_english(text: str) -> bool:
    """Tell whether text has a word in it (not only punctuation, numbers or symbols)."""
    return any(word not in ALLOWED_WORDS for word in WORDS.findall(text))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def checked(paths: list[Path]) -> list[Path]:
    return [p for p in sorted(paths) if relative(p) not in PENDING]


# --- (a) catalogues ---------------------------------------------------------------------

def entries(catalog: object) -> dict[str, frozenset[str]]:
    return {str(m.id): frozenset(path for path, _ in m.locations)
            for m in catalog if m.id}  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def fresh() -> dict[str, frozenset[str]]:
    return entries(extract())


def test_the_template_catalogue_matches_the_sources(fresh):
    stored = entries(read(TEMPLATE))
    assert sorted(set(fresh) - set(stored)) == [], "new messages: run `make messages`"
    assert sorted(set(stored) - set(fresh)) == [], "messages gone: run `make messages`"
    moved = sorted(m for m in fresh if fresh[m] != stored[m])
    assert moved == [], "messages moved between files: run `make messages`"


def test_german_translates_every_message_with_the_same_placeholders(fresh):
    german = read(po_path(TRANSLATIONS, "de"), "de")
    assert sorted(set(fresh) ^ set(entries(german))) == [], "run `make messages`"
    missing, wrong = [], []
    for message in german:
        if not message.id or (message.locations and all(
                path in PENDING for path, _ in message.locations)):
            continue
        if not message.string or message.fuzzy:
            missing.append(message.id)
        elif BRACES.findall(str(message.id)) != [] and set(BRACES.findall(str(message.id))) \
                != set(BRACES.findall(str(message.string))):
            wrong.append(message.id)
    assert missing == [], "untranslated or fuzzy in de/messages.po"
    assert wrong == [], "placeholders differ"
    assert [str(error) for _, errors in german.check() for error in errors] == []


# --- (b) templates ----------------------------------------------------------------------

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TEXT_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
TAG = re.compile(r"<[^<>]*>")
BLOCK_NAME = re.compile(r"\{%-?\s*block\s+(\w+)")
BLOCK = r"\{%-?\s*block\s+NAME\s*-?%\}.*?\{%-?\s*endblock[^%]*%\}"


class BareText(HTMLParser):
    """Collect (line, text) of English text nodes and attribute values outside Jinja."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.raw = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.raw += tag in ("script", "style")
        values = dict(attrs)
        button = tag == "input" and values.get("type") in ("submit", "button", "reset")
        for name, value in attrs:
            if value and (name in TEXT_ATTRIBUTES or (button and name == "value")) \
                    and looks_english(value):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))

    def handle_endtag(self, tag: str) -> None:
        self.raw -= tag in ("script", "style") and self.raw > 0

    def handle_data(self, data: str) -> None:
        if not self.raw and looks_english(data):
            line = self.getpos()[0] + data[:len(data) - len(data.lstrip())].count("\n")
            self.found.append((line, data.strip()))


def attribute_blocks() -> set[str]:
    """Name the Jinja blocks that sit inside a tag (body_class): their text is no text node."""
    return {name for path in TEMPLATES.rglob("*.html")
            for tag in TAG.findall(path.read_text(encoding="utf-8"))
            for name in BLOCK_NAME.findall(tag)}


def bare_template_text(source: str, in_tags: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Return the English text a template shows that is not inside a Jinja expression."""
    for name in in_tags:
        block = BLOCK.replace("NAME", re.escape(name))
        source = re.sub(block, lambda m: "\n" * m.group().count("\n"), source, flags=re.S)
    parser = BareText()
    parser.feed(JINJA.sub(lambda m: "\n" * m.group().count("\n"), source))
    parser.close()
    return parser.found


def test_the_template_lint_finds_bare_text_and_attributes():
    found = bare_template_text('<p>\n  Hello</p><input placeholder="Search" '
                               'aria-label="{{ _("x") }}"><b>{{ _("Runs") }} · 3</b>'
                               '<script>let a = "words";</script>'
                               '<span>Floorline</span>{% if x %}\n{% endif %}<i title="Go">')
    assert found == [(2, "Hello"), (2, 'placeholder="Search"'), (3, 'title="Go"')]


def test_templates_show_no_bare_english():
    in_tags = frozenset(attribute_blocks())
    assert {"body_class", "body_data"} <= in_tags
    found = [f"{relative(path)}:{line}: {text}"
             for path in checked(list(TEMPLATES.rglob("*.html")))
             for line, text in bare_template_text(path.read_text(encoding="utf-8"), in_tags)]
    assert found == [], "wrap these in {{ _(...) }}:\n" + "\n".join(found)


# --- (c) browser modules ----------------------------------------------------------------

ASSIGNED = re.compile(r"\.(textContent|innerText|title|placeholder|ariaLabel)\s*\+?=(?!=)")
PROPERTY = re.compile(r"""(placeholder|title|"aria-label"|alt|label)\s*:\s*$""")
COMPARED = re.compile(r"(===|!==|==|!=|\bcase)\s*$")
REGEX_BEFORE = set("(,=:[!&|?{};") | {""}
# Where a literal argument is shown: el(tag, attrs, ...children), fill(node, ...), toast(text).
SHOWN_AT = {"el": range(2, 1000), "fill": range(1, 1000), "toast": range(1)}


@dataclass
class Call:
    """The bracket a scan position is in: a call's name (or "") and its argument index."""

    name: str = ""
    index: int = 0


def string_end(source: str, i: int) -> tuple[int, str]:
    """Return where the literal opening at i ends and its text (template ${} parts dropped)."""
    quote, i, text, depth = source[i], i + 1, [], 0
    while i < len(source) and (source[i] != quote or depth):
        if source[i] == "\\":
            text.append(source[i:i + 2])
            i += 2
            continue
        if quote == "`" and source.startswith("${", i):
            depth, i = depth + 1, i + 2
            continue
        if depth and source[i] in "{}":
            depth += 1 if source[i] == "{" else -1
        elif not depth:
            text.append(source[i])
        i += 1
    return i + 1, "".join(text)


def regex_end(source: str, i: int) -> int:
    """Return where the regex literal opening at i ends."""
    i, in_class = i + 1, False
    while i < len(source) and (source[i] != "/" or in_class):
        if source[i] == "\\":
            i += 1
        elif source[i] in "[]":
            in_class = source[i] == "["
        i += 1
    return i + 1


def js_literals(source: str) -> list[tuple[int, int, str, Call]]:
    """Return (start, end, text, enclosing call) of each string literal.

    A small scanner, not a parser: it knows comments, quotes, template literals, regex
    literals and bracket nesting; enough for these modules.
    """
    found: list[tuple[int, int, str, Call]] = []
    calls, i, last = [Call()], 0, ""  # last significant character: a regex or a division?
    while i < len(source):
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i) if "\n" in source[i:] else len(source)
            continue
        if source.startswith("/*", i):
            i = source.index("*/", i) + 2
            continue
        if c in "\"'`":
            end, text = string_end(source, i)
            found.append((i, end, text, Call(calls[-1].name, calls[-1].index)))
            i, last = end, c
            continue
        if c == "/" and last in REGEX_BEFORE:
            i, last = regex_end(source, i), "/"
            continue
        if c == "(":
            name = re.search(r"(\bfunction\s+)?(\w+)\s*$", source[max(0, i - 40):i])
            calls.append(Call(name.group(2) if name and not name.group(1) else ""))
        elif c in "[{":
            calls.append(Call())
        elif c in ")]}" and len(calls) > 1:
            calls.pop()
        elif c == ",":
            calls[-1].index += 1
        if not c.isspace():
            last = c if not (c.isalnum() or c in "_$") else "a"
        i += 1
    return found


def shown_english(source: str) -> list[tuple[int, str]]:
    """Return (line, text) of English literals put on the page without t()."""
    found = []
    for offset, end, text, call in js_literals(source):
        if call.name == "t" or not looks_english(text):
            continue
        before = source[max(0, offset - 200):offset]
        statement = re.split(r"[;{}\n]", re.sub(r"\$\{[^}]*\}", "", before))[-1]
        shown = call.index in SHOWN_AT.get(call.name, ()) \
            or ASSIGNED.search(statement) or PROPERTY.search(before)
        after = source[end:end + 6]
        if shown and not COMPARED.search(before) and not re.match(r"\s*(===|!==|==|!=)", after):
            found.append((source.count("\n", 0, offset) + 1, text))
    return found


def test_the_js_lint_finds_english_put_on_the_page():
    source = """// "Comment text"
const a = el("td", { class: "x y" }, "Some words", t("Fine words"), x || "—");
node.textContent = ok ? `${n} left` : "none";
el("b", { placeholder: "Type here", title: t("Ok words") }, x === "in_progress" ? "" : y);
fill(box, el("i", {}, "Gone"), /"(x)/g.test(s) ? "" : "Odd");
toast("Saved", "ok"); fetch("/api/v1/runs"); node.className = "badge badge-ok";
"""
    assert shown_english(source) == [(2, "Some words"), (3, " left"), (3, "none"),
                                     (4, "Type here"), (5, "Gone"), (5, "Odd"), (6, "Saved")]


def test_browser_modules_put_no_english_on_the_page_without_t():
    found = [f"{relative(path)}:{line}: {text!r}"
             for path in checked(list(SCRIPTS.glob("*.js")))
             for line, text in shown_english(path.read_text(encoding="utf-8"))]
    assert found == [], "wrap these in t(...):\n" + "\n".join(found)
