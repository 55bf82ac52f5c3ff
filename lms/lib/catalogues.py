"""The translation catalogues: compiling them, and checking the shipped ones.

Each app keeps its catalogues in its own `locale/<language>/LC_MESSAGES/` folder
(`django.po` for Python and templates, `djangojs.po` for scripts); strings of apps
without such a folder go to `lms/locale/`. The `.po` files are the source and are
committed; the `.mo` files Django reads are made from them and are not.

    python -m lms.lib.catalogues extract   # sources -> .po (new strings, untranslated)
    python -m lms.lib.catalogues compile   # .po -> .mo (bin/_setup runs it)
    python -m lms.lib.catalogues check     # CI: complete, well-formed, extracted

Compiling uses Babel, so a newcomer needs no GNU gettext. The check needs gettext's
`msgfmt` and `xgettext` (Django's makemessages runs xgettext); CI installs them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages import mofile, pofile
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent.parent
SHIPPED = ("es", "bn")
DOMAINS = ("django", "djangojs")
# Folders that hold no Onramp source of ours.
SKIPPED = {".venv", ".venv-ralph", "var", "node_modules", ".git", "bench", "tests"}


def catalogue_paths(root: Path = ROOT) -> Iterator[Path]:
    """Every committed `.po` file of ours, in a stable order."""
    for path in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
        if not SKIPPED.intersection(path.relative_to(root).parts):
            yield path


def _read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return pofile.read_po(source, abort_invalid=True)


def compile_all(root: Path = ROOT) -> int:
    """Write each catalogue's `.mo` where it is missing or older; returns how many."""
    written = 0
    for po in catalogue_paths(root):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalogue = _read(po)
        # Written aside, then moved into place: test processes compile at once.
        partial = mo.with_name(f"{mo.name}.{os.getpid()}")
        with partial.open("wb") as target:
            mofile.write_mo(target, catalogue, use_fuzzy=False)
        partial.replace(mo)
        written += 1
    return written


def _texts(value: object) -> tuple[str, ...]:
    """A message's msgid or msgstr as its texts: one, or one per plural form."""
    if isinstance(value, (tuple, list)):
        return tuple(str(text) for text in value)
    return (str(value or ""),)


def _message_keys(catalogue: Catalog) -> set[tuple[str, str | None]]:
    """What was extracted: each message's msgid (its singular) and context."""
    return {
        (_texts(message.id)[0], message.context)
        for message in catalogue
        if message.id  # not the header
    }


def _tags(text: str) -> set[str]:
    """The HTML tags in a message, attributes and all: a translation may move
    them, never add or change one (blocktranslate puts the translated text into
    the page as it stands, so an added `onclick=` would run)."""
    return {" ".join(tag.split()) for tag in re.findall(r"<[^>]*>", text)}


def completeness_problems(po: Path) -> list[str]:
    """Untranslated or fuzzy messages, and placeholders that differ from the
    source's (Babel's python-format checker)."""
    problems = []
    catalogue = _read(po)
    for message in catalogue:
        if not message.id:
            continue
        where = f"{po.relative_to(ROOT)}: {message.id!r}"
        strings = _texts(message.string)
        if message.fuzzy:
            problems.append(f"{where} is fuzzy")
        elif not all(strings):
            problems.append(f"{where} is not translated")
        for error in message.check(catalogue):
            problems.append(f"{where}: {error}")
        source = " ".join(_texts(message.id))
        if any(_tags(string) - _tags(source) for string in strings):
            problems.append(f"{where} adds markup that the source does not have")
    return problems


def msgfmt_problems(po: Path) -> list[str]:
    """What GNU msgfmt --check says (format strings, headers, plural forms)."""
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    return [result.stderr.strip()] if result.returncode else []


def _copy_sources(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if SKIPPED.intersection(Path(name).parts) or not source.is_file():
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)


def extract(root: Path = ROOT) -> None:
    """Run Django's makemessages over `root` for the shipped languages, both
    domains, without source locations (so moving a line changes no catalogue)."""
    for domain in DOMAINS:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "--domain",
                domain,
                *(f"--locale={language}" for language in SHIPPED),
                "--no-location",
                "--no-obsolete",
                *(f"--ignore={folder}/*" for folder in sorted(SKIPPED)),
            ],
            cwd=root,
            check=True,
            capture_output=True,
        )


def extraction_problems() -> list[str]:
    """Messages that `makemessages` would add or drop: runs it on a copy of the
    sources and compares its catalogues' messages with the committed ones."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="onramp-makemessages-") as folder:
        copy = Path(folder)
        _copy_sources(copy)
        extract(copy)
        fresh = {p.relative_to(copy): p for p in catalogue_paths(copy)}
        committed = {p.relative_to(ROOT): p for p in catalogue_paths(ROOT)}
        for name in sorted(set(fresh) | set(committed)):
            if name not in committed:
                problems.append(f"{name} is missing: run makemessages (see README)")
                continue
            if name not in fresh:
                problems.append(f"{name} has no strings left in the sources")
                continue
            wanted, have = (
                _message_keys(_read(fresh[name])),
                _message_keys(_read(committed[name])),
            )
            problems += [f"{name}: not extracted: {key[0]!r}" for key in wanted - have]
            problems += [
                f"{name}: no longer in the sources: {key[0]!r}" for key in have - wanted
            ]
    return problems


def check() -> list[str]:
    problems = []
    for po in catalogue_paths():
        language = po.parent.parent.name
        if language in SHIPPED:
            problems += completeness_problems(po)
        problems += msgfmt_problems(po)
    return problems + extraction_problems()


def _report(lines: Iterable[str]) -> int:
    lines = list(lines)
    for line in lines:
        sys.stdout.write(f"{line}\n")
    return 1 if lines else 0


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "extract":
        extract()
        return 0
    if command == "compile":
        compile_all()
        return 0
    if command == "check":
        status = _report(check())
        if not status:
            count = len(list(catalogue_paths()))
            sys.stdout.write(f"catalogues: {count} complete and extracted\n")
        return status
    sys.stderr.write("usage: python -m lms.lib.catalogues extract|compile|check\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
