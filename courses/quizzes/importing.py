"""Import question files (GIFT, Moodle XML) into a bank and export a bank to Moodle
XML. Enablement admins use these from the Wagtail admin and the import_questions /
export_questions commands to bring their Moodle questions over and take them back."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext

from courses.quizzes.formats import (
    MAX_FILE_BYTES,
    FileRefused,
    ParsedOption,
    ParsedQuestion,
    ParseResult,
    SkippedItem,
)
from courses.quizzes.formats.gift import parse_gift
from courses.quizzes.formats.moodlexml import export_moodlexml, parse_moodlexml
from courses.quizzes.models import Question, QuestionBank, QuestionOption

FORMATS: dict[str, Callable[[bytes], ParseResult]] = {
    "gift": parse_gift,
    "moodlexml": parse_moodlexml,
}


class ImportRefused(Exception):
    """The file was refused as a whole and nothing was imported; str(exc) says why
    to the author, `skipped` lists the questions skipped, if it got that far."""

    def __init__(self, message: str, skipped: list[SkippedItem] | None = None):
        super().__init__(message)
        self.skipped = skipped or []


@dataclass
class ImportedItem:
    where: str
    name: str
    kind: str
    question_id: int

    @property
    def kind_label(self) -> str:
        return str(Question.Kind(self.kind).label)

    def __str__(self) -> str:
        return f"{self.where}: {self.name} ({self.kind_label.lower()})"


@dataclass
class ImportReport:
    bank: QuestionBank
    bank_created: bool
    imported: list[ImportedItem] = field(default_factory=list)
    skipped: list[SkippedItem] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as text lines, for the command and the admin page."""
        created = " (new bank)" if self.bank_created else ""
        lines = [
            f'Imported {len(self.imported)} question(s) into "{self.bank.name}"'
            f"{created}; skipped {len(self.skipped)}."
        ]
        lines += [f"  imported {item}" for item in self.imported]
        lines += [f"  skipped {item}" for item in self.skipped]
        return lines


def questions_parse(*, data: bytes, format: str) -> ParseResult:
    """The questions of a file, without touching the database (raises
    ImportRefused for unknown formats and malformed files)."""
    parser = FORMATS.get(format)
    if parser is None:
        raise ImportRefused(
            gettext("Unknown format %(format)r: use one of %(formats)s.")
            % {"format": format, "formats": ", ".join(sorted(FORMATS))}
        )
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(
            gettext("The file is larger than %(size)s MB.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    try:
        return parser(data)
    except FileRefused as exc:
        raise ImportRefused(str(exc)) from exc


def questions_import(*, bank_name: str, data: bytes, format: str) -> ImportReport:
    """Import every question of a GIFT or Moodle XML file into the bank of that
    name (created if missing), all or nothing. Questions that cannot be imported are
    skipped and listed; a malformed file, or one where every question is skipped,
    raises ImportRefused and changes nothing."""
    name = bank_name.strip()
    if not name:
        raise ImportRefused(gettext("Name the bank to import into."))
    if len(name) > QuestionBank._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ImportRefused(gettext("The bank name is longer than 200 characters."))
    parsed = questions_parse(data=data, format=format)
    if not parsed.questions:
        raise ImportRefused(
            gettext("Nothing to import: every question in the file was skipped."),
            skipped=parsed.skipped,
        )
    with transaction.atomic():
        bank, created = QuestionBank.objects.get_or_create(name=name)
        report = ImportReport(bank=bank, bank_created=created, skipped=parsed.skipped)
        for item in parsed.questions:
            question = _question_create(bank=bank, parsed=item)
            report.imported.append(
                ImportedItem(item.where, question.name, question.kind, question.pk)
            )
    return report


def _question_create(*, bank: QuestionBank, parsed: ParsedQuestion) -> Question:
    question = Question(
        bank=bank,
        kind=parsed.kind,
        name=parsed.name[:255],
        text=parsed.text,
        points=parsed.points,
        explanation=parsed.explanation,
        partial_credit=parsed.partial_credit,
        shuffle_options=parsed.shuffle,
    )
    question.options = [
        QuestionOption(
            sort_order=position,
            text=option.text,
            match_text=option.match_text,
            fraction=option.fraction,
            tolerance=option.tolerance,
            feedback=option.feedback,
        )
        for position, option in enumerate(parsed.options)
    ]
    if parsed.tags:
        question.tags.add(*parsed.tags)
    question.save()
    return question


def questions_as_parsed(questions: Iterable[Question]) -> list[ParsedQuestion]:
    """Questions (with options and tags prefetched) in the parsers' shape."""
    return [
        ParsedQuestion(
            kind=question.kind,
            name=question.name,
            text=question.text,
            points=question.points,
            explanation=question.explanation,
            partial_credit=question.partial_credit,
            shuffle=question.shuffle_options,
            tags=sorted(tag.name for tag in question.tags.all()),
            options=[
                ParsedOption(
                    text=option.text,
                    match_text=option.match_text,
                    fraction=option.fraction,
                    tolerance=option.tolerance,
                    feedback=option.feedback,
                )
                for option in question.options.all()
            ],
        )
        for question in questions
    ]


def bank_export_moodlexml(*, bank: QuestionBank) -> str:
    """The bank's questions as a Moodle XML file (three queries whatever its size)."""
    questions = (
        Question.objects.filter(bank=bank)
        .order_by("pk")
        .prefetch_related("options", "tags")
    )
    return export_moodlexml(questions_as_parsed(questions))
