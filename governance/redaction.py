"""Redaction of third parties' names from a subject access report, with a log of each.

Two patterns, each one pass over a text however many people the database holds:

- names of two words or more ("Jamie Reid", an alias "The Driver"), matched case-blind with
  any run of white space between the words, longest first so a full name goes whole;
- single words (a first name, a surname, a one-word nickname), matched as written or in
  capitals, so that "Reid" or "REID, Jamie" goes while an alias "Her" never blanks every
  "her". Common words are never redacted alone, nor a part
  of the subject's own name.
"""

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from governance.registry import SarItem, ThirdPartySource

REASON_THIRD_PARTY = "third party (UK GDPR art. 15(4), DPA 2018 sch. 2 para. 16)"
# Words that name no one on their own (an alias like "The Driver" is redacted as a phrase).
COMMON_WORDS = frozenset(
    """the and her his him she they them you our its was are for not but with from who big wee
    man men boy girl lad lass driver uncle auntie aunt mum dad papa nana gran boss baby babe
    mate pal bro sis one two red black white green grey young old new little""".split()
)


def _words(name: str | None) -> list[str]:
    return (name or "").split()


@dataclass
class Redactor:
    """Replaces third parties' names in text and logs each replacement (never the name)."""

    phrases: re.Pattern[str] | None
    tokens: re.Pattern[str] | None
    categories: dict[str, str]
    log: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def for_subject(
        cls, *, subject: Any, own: set[str], sources: list[ThirdPartySource], agency_id: int
    ) -> "Redactor":
        own_names = {" ".join(_words(name)).lower() for name in own}
        own_tokens = {token for name in own_names for token in name.split()}
        phrases: dict[str, str] = {}
        tokens: dict[str, str] = {}
        for source in sources:
            for name in source.names(subject, agency_id):
                words = _words(name)
                key = " ".join(words).lower()
                if len(key) < 2 or key in own_names:
                    continue
                if len(words) > 1:
                    phrases.setdefault(key, source.category)
                for word in words:
                    if len(word) >= 3 and word.lower() not in own_tokens | COMMON_WORDS:
                        tokens.setdefault(word, source.category)
                        tokens.setdefault(word.upper(), source.category)
        categories = {**tokens, **phrases}
        return cls(
            phrases=cls._pattern(phrases, re.IGNORECASE),
            tokens=cls._pattern(tokens, 0),
            categories=categories,
        )

    @staticmethod
    def _pattern(names: dict[str, str], flags: int) -> re.Pattern[str] | None:
        if not names:
            return None
        alternatives = "|".join(
            r"\s+".join(re.escape(word) for word in name.split())
            for name in sorted(names, key=lambda name: (-len(name), name))
        )
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)

    def text(self, value: str, *, where: dict[str, Any]) -> str:
        counts: dict[str, int] = {}

        def replace(match: re.Match[str]) -> str:
            found = " ".join(match.group(0).split())
            category = self.categories.get(found) or self.categories.get(found.lower(), "person")
            counts[category] = counts.get(category, 0) + 1
            return f"[redacted: {category}]"

        for pattern in (self.phrases, self.tokens):
            if pattern is not None:
                value = pattern.sub(replace, value)
        for category, count in counts.items():
            self.log.append({**where, "category": category, "count": count})
        return value

    def item(self, item: SarItem) -> dict[str, Any]:
        values = {}
        for name, value in item.values.items():
            if isinstance(value, str):
                where = {
                    "section": item.section,
                    "record": f"{item.object_type} {item.object_id}",
                    "field": name,
                    "reason": REASON_THIRD_PARTY,
                }
                value = self.text(value, where=where)
            values[name] = value
        return {**asdict(item), "values": values}
