"""Keep the translation catalogues in step with the sources: extract, update, compile.

`python -m server.i18n_tools messages` (= `make messages`) re-extracts every marked string
into `messages.pot` and merges it into each language's `.po`; `missing` lists what a language
has not translated yet; `compile` (= `make translations`) writes the `.mo` files. Locations
name files without line numbers, so editing a page does not churn the catalogues; the
browser's share of a catalogue is found by those file names.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LANGUAGES, TRANSLATIONS, po_path

ROOT = TRANSLATIONS.parents[1]
CONFIG = ROOT / "babel.cfg"
TEMPLATE = TRANSLATIONS / f"{DOMAIN}.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "t": None}  # t("...") in browser modules
SKIP_DIRS = {"node_modules", "vendor", "translations", "__pycache__"}
WIDTH = 100
HEADER = "# Floorline's messages, extracted from the sources by `make messages`.\n#"
# Header lines that change on every run; ignored when deciding whether a file changed.
STAMPS = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*\n', re.M)


def _source_dir(path: str) -> bool:
    return Path(path).name not in SKIP_DIRS and not Path(path).name.startswith(".")


def extract(root: Path = ROOT) -> Catalog:
    """Return a template catalogue of every marked message in the sources under root."""
    with CONFIG.open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)  # type: ignore[no-untyped-call]
    catalog = Catalog(project="Floorline", version="1", domain=DOMAIN, charset="utf-8",
                      fuzzy=False, copyright_holder="Floorline contributors",
                      header_comment=HEADER)
    for filename, line, message, comments, context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True, directory_filter=_source_dir):
        catalog.add(message, None, [(filename.replace("\\", "/"), line)],
                    auto_comments=comments, context=context)
    return catalog


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=lang)


def _po_bytes(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_po(out, catalog, width=WIDTH, sort_output=True, ignore_obsolete=True,
             include_lineno=False)
    return out.getvalue()


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and STAMPS.sub(b"", path.read_bytes()) == STAMPS.sub(b"", data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def update(languages: Iterable[str] = LANGUAGES) -> list[Path]:
    """Re-extract the template and merge it into each language's .po; return what changed."""
    template = extract()
    changed = [TEMPLATE] if _write_if_changed(TEMPLATE, _po_bytes(template)) else []
    for lang in languages:
        if lang == "en":
            continue  # the sources are English
        po = po_path(TRANSLATIONS, lang)
        catalog = read(po, lang) if po.exists() else Catalog(locale=lang, domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        if _write_if_changed(po, _po_bytes(catalog)):
            changed.append(po)
    return changed


def compile_all(directory: Path = TRANSLATIONS) -> list[Path]:
    """Write each .po's .mo where it is missing or older; return the files written."""
    written = []
    for po in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        out = BytesIO()
        write_mo(out, read(po, po.parts[-3]))
        mo.write_bytes(out.getvalue())
        written.append(mo)
    return written


def untranslated(languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Return `lang: "msgid" (files)` for each message a language lacks or has fuzzy."""
    lines = []
    for lang in languages:
        po = po_path(TRANSLATIONS, lang)
        if lang == "en" or not po.exists():
            continue
        for m in read(po, lang):
            if m.id and (not m.string or m.fuzzy):
                files = ", ".join(sorted({path for path, _ in m.locations}))
                lines.append(f"{lang}: {m.id!r} ({files})")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m server.i18n_tools", description=__doc__)
    parser.add_argument("command", choices=["messages", "compile", "missing"])
    args = parser.parse_args(argv)
    if args.command == "missing":
        print("\n".join(untranslated()) or "every message is translated")
        return
    done = update() if args.command == "messages" else compile_all()
    for path in done:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
