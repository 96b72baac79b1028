"""Sample text of ``trombi new`` left in a profile: it validates as text, but says nothing true."""

from __future__ import annotations

from generator.load import Loc
from generator.model import Person
from generator.scaffold import SAMPLE_BIO, SAMPLE_PHONE

RULE = "placeholder"


def placeholders(person: Person) -> list[tuple[Loc, str]]:
    """Where ``person`` still holds a sample value of the skeleton, and what to do about it."""
    found: list[tuple[Loc, str]] = []
    if person.bio is not None and SAMPLE_BIO in person.bio:
        found.append((("bio",), f"the bio still holds the sample text of 'trombi new' ('{SAMPLE_BIO}'): write your own, or remove 'bio'"))
    phone = person.contact.phone
    if phone is not None and "".join(phone.value.split()) == "".join(SAMPLE_PHONE.split()):
        message = f"'{phone.value}' is the sample number of 'trombi new': write your own number, or remove 'phone'"
        found.append((("contact", "phone", "value"), message))
    return found
