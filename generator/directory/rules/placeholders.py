"""Sample text of ``trombi new`` left in a profile: it validates as text, but says nothing true."""

from __future__ import annotations

from functools import cache

from generator.directory.load import Loc
from generator.directory.model import Person
from generator.directory.scaffold import SAMPLE_BIO, SAMPLE_PHONE
from generator.i18n import available_languages, load_language
from generator.problems import Message

RULE = "placeholder"


def placeholders(person: Person) -> list[tuple[Loc, Message]]:
    """Where ``person`` still holds a sample value of the skeleton, and what to do about it."""
    found: list[tuple[Loc, Message]] = []
    sample = next((text for text in _sample_bios() if person.bio is not None and text in person.bio), None)
    if sample is not None:
        message = Message("the bio still holds the sample text of 'trombi new' ('{sample}'): write your own, or remove 'bio'", sample=sample)
        found.append((("bio",), message))
    phone = person.contact.phone
    if phone is not None and "".join(phone.value.split()) == "".join(SAMPLE_PHONE.split()):
        message = Message("'{phone}' is the sample number of 'trombi new': write your own number, or remove 'phone'", phone=phone.value)
        found.append((("contact", "phone", "value"), message))
    return found


@cache
def _sample_bios() -> tuple[str, ...]:
    """The sample bio as ``trombi new`` writes it in each language of the catalogue."""
    return tuple(dict.fromkeys(load_language(code).gettext(SAMPLE_BIO) for code in available_languages()))
