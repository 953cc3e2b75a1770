"""Does a piece of free text identify a young person in the records?

Text that will be published (action-plan progress narratives and remedial actions, printed
in committee reports) must never name a child. This module checks text against the names,
dates of birth and schools of every young person in the database, whichever agency owns
them: it is a statistic about the text, not access to a record, so it answers only *what
kind* of identifier was found, never whose (a caller must not be able to probe for a child).

What counts as a match (case-insensitive, on word boundaries):
- a full name: "first last", "known-as last" or "last, first";
- a date of birth written as 2011-03-04, 04/03/2011, 4.3.2011, 4 March 2011, 4 Mar 2011 or
  March 4, 2011;
- a school's name as recorded on a young person.
A first name alone is not matched (too common to tell a child from a worker); DISCLOSURE.md
says so.

Two queries per call, whatever the number of texts: candidate people (by last name tokens
or dates found in the texts) and the distinct schools.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Lower

from cases.models import YoungPerson

REMOVED = "[removed]"
KIND_NAME = "name"
KIND_DATE_OF_BIRTH = "date of birth"
KIND_SCHOOL = "school"

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b"), "dmy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s+(\d{{4}})\b", re.I), "dMy"),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "Mdy"),
]
_WORD = re.compile(r"[^\W\d_][\w'\-]*", re.UNICODE)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: str


def _year(text: str) -> int:
    year = int(text)
    if year < 100:  # two-digit years: the children we record were born this century
        year += 2000
    return year


def _dates(text: str) -> list[tuple[int, int, dt.date]]:
    found = []
    for pattern, shape in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            a, b, c = match.groups()
            try:
                if shape == "ymd":
                    day = dt.date(int(a), int(b), int(c))
                elif shape == "dmy":
                    day = dt.date(_year(c), int(b), int(a))
                elif shape == "dMy":
                    day = dt.date(int(c), _MONTHS[b.lower().rstrip(".")], int(a))
                else:
                    day = dt.date(int(c), _MONTHS[a.lower().rstrip(".")], int(b))
            except (ValueError, KeyError):
                continue
            found.append((match.start(), match.end(), day))
    return found


def _phrase(words: Sequence[str]) -> str:
    return r"\b" + r"[\s,]+".join(re.escape(w) for w in words if w) + r"\b"


def _find_all(texts: Sequence[str]) -> list[list[_Found]]:
    texts = [t or "" for t in texts]
    # Whole words ("o'neil", "smith-jones") and their parts ("brownlow's" -> "brownlow").
    words = [w.lower() for t in texts for w in _WORD.findall(t)]
    tokens = set(words) | {part for w in words for part in re.split(r"['\-]", w) if part}
    dates = {day for t in texts for _, _, day in _dates(t)}
    if not tokens and not dates:
        return [[] for _ in texts]
    people = list(
        YoungPerson.objects.annotate(last=Lower("last_name"))
        .filter(Q(last__in=tokens) | Q(date_of_birth__in=dates))
        .values_list("first_name", "last_name", "known_as", "date_of_birth")
    )
    schools = [
        s
        for s in YoungPerson.objects.exclude(school="")
        .order_by()
        .values_list("school", flat=True)
        .distinct()
        if s.strip()
    ]
    name_patterns = []
    births = set()
    for first, last, known_as, born in people:
        births.add(born)
        for name_words in ((first, last), (known_as, last), (last, first)):
            if all(w.strip() for w in name_words):
                name_patterns.append(re.compile(_phrase(name_words), re.I))
    school_patterns = [re.compile(_phrase(s.split()), re.I) for s in schools]
    out = []
    for text in texts:
        found = [
            _Found(start, end, KIND_DATE_OF_BIRTH)
            for start, end, day in _dates(text)
            if day in births
        ]
        for patterns, kind in ((name_patterns, KIND_NAME), (school_patterns, KIND_SCHOOL)):
            for pattern in patterns:
                found += [_Found(m.start(), m.end(), kind) for m in pattern.finditer(text)]
        out.append(sorted(found, key=lambda f: (f.start, -f.end)))
    return out


def identifying_text_kinds(text: str) -> list[str]:
    """The kinds of identifier (name, date of birth, school) found in `text`, never whose."""
    return sorted({f.kind for f in _find_all([text])[0]})


def identifying_text_scrub(texts: Sequence[str]) -> list[str]:
    """Each text with every name, date of birth or school of a young person replaced by
    "[removed]" (one batch of queries for all texts)."""
    out = []
    for text, found in zip(texts, _find_all(texts), strict=True):
        text = text or ""
        pieces, cursor = [], 0
        for item in found:
            if item.start < cursor:
                cursor = max(cursor, item.end)  # overlaps an earlier match
                continue
            pieces += [text[cursor : item.start], REMOVED]
            cursor = item.end
        pieces.append(text[cursor:])
        out.append("".join(pieces))
    return out


ERROR_IDENTIFYING = (
    "{field} is published in committee reports and must not identify a young person: it "
    "contains a {kinds} held in the case records. Describe the work without it."
)


def identifying_text_error(*, field_label: str, text: str) -> str | None:
    """The message to show on a field whose text identifies a young person, or None. It
    names the field and the kind of identifier, never the child."""
    kinds = identifying_text_kinds(text)
    if not kinds:
        return None
    return ERROR_IDENTIFYING.format(field=field_label, kinds=" and ".join(kinds))
