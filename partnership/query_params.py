"""One parser for ids and other small values taken from a query string or form data.

`str.isdigit()` accepts Unicode digits ("²", "٣") that `int()` then refuses, which turned an
odd `?person=%C2%B2` into a 500. Here only ASCII digits of a bounded length are an id, and
anything else is "no value": callers never see an exception from user input.
"""

from collections.abc import Mapping
from typing import Any

# A BigAutoField tops out at 2**63 - 1 (19 digits); longer input is not an id of ours, and
# PostgreSQL would refuse the out-of-range integer with a DataError (a 500).
MAX_ID = 2**63 - 1
_MAX_ID_DIGITS = len(str(MAX_ID))


def parse_id(value: Any) -> int | None:
    """The positive integer id in `value`, or None when it is not one (never raises)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > _MAX_ID_DIGITS or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def id_param(params: Mapping[str, Any], name: str) -> int | None:
    """`parse_id` of one key of request.GET or request.POST (None when missing or bad)."""
    return parse_id(params.get(name))
