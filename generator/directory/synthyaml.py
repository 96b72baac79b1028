"""The synthetic organisation's files written by a small emitter, not a YAML library: in the house
style, byte for byte the same for the same seed, and fast at 100,000 people.
"""

from __future__ import annotations

import json
import re

from generator.directory.synthdata import (
    GROUP_SCHEMA,
    HOOK,
    PERSON_SCHEMA,
    REPO,
)
from generator.directory.synthpeople import SynthGroup, SynthPerson

ESCAPE = re.compile(r'["\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]')


NON_PRINTABLE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff]")


def q(text: str) -> str:
    """A double-quoted YAML scalar: JSON escaping is valid YAML; characters YAML may not show raw are escaped too."""
    if not ESCAPE.search(text):
        return f'"{text}"'
    quoted = json.dumps(text, ensure_ascii=False)
    return NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def wrap(text: str, width: int = 98) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def block(key: str, text: str) -> str:
    """``key: |`` and the text wrapped at 100 columns; a double-quoted scalar if that would not be safe."""
    lines = wrap(text)
    if lines and all(line.isprintable() for line in lines):
        return f"{key}: |\n" + "".join(f"  {line}\n" for line in lines)
    return f"{key}: {q(text)}\n"


def flow(values: list[str]) -> str:
    return "[" + ", ".join(q(value) for value in values) + "]"


def person_yaml(p: SynthPerson) -> str:
    out = [PERSON_SCHEMA, f"name: {q(p.name)}\n"]
    if p.pronouns:
        out.append(f"pronouns: {q(p.pronouns)}\n")
    out.append(f"title: {q(p.title)}\n")
    if p.team:
        out.append(f"team: {p.team}\n")
    if p.manager:
        out.append(f"manager: {p.manager}\n")
    out.append(f"location: {q(p.location)}\n")
    if p.timezone:
        out.append(f"timezone: {p.timezone}\n")
    out.append(f"languages: [{', '.join(p.languages)}]\n")
    out.append(f"joined: {p.joined.isoformat()}\n")
    out.append(f"kind: {p.kind}\n")
    if p.company:
        out.append(f"company: {q(p.company)}\n")
    out.append("contact:\n")
    for kind, value, private in p.contact:
        if private:
            out.append(f"  {kind}: {{value: {q(value)}, visibility: private}}\n")
        else:
            out.append(f"  {kind}: {q(value)}\n")
    out.append("skills:\n")
    for name, level in p.skills:
        out.append(f"  - {q(name)}\n" if level == "intermediate" else f"  - {{name: {q(name)}, level: {level}}}\n")
    for key in ("ask_me_about", "offers", "seeks", "interests"):
        values = getattr(p, key)
        if values:
            out.append(f"{key}: {flow(values)}\n")
    if p.groups:
        out.append(f"groups: [{', '.join(p.groups)}]\n")
    if p.lunch:
        out.append("networking:\n  lunch: true\n")
        if p.snooze_until:
            out.append(f"  snooze_until: {p.snooze_until.isoformat()}\n")
    if p.hidden:
        out.append("search: hidden\n")
    if p.bio:
        out.append(block("bio", p.bio))
    return "".join(out)


def group_yaml(g: SynthGroup) -> str:
    out = [GROUP_SCHEMA, f"name: {q(g.name)}\n", f"type: {g.type}\n"]
    if g.description:
        out.append(block("description", g.description))
    if g.parent:
        out.append(f"parent: {g.parent}\n")
    if g.owners:
        out.append(f"owners: [{', '.join(g.owners)}]\n")
    out.append(f"open: {'true' if g.open else 'false'}\n")
    if g.members:
        out.append(f"members: [{', '.join(g.members)}]\n")
    if g.channels:
        out.append("channels: {" + ", ".join(f"{key}: {q(value)}" for key, value in g.channels.items()) + "}\n")
    if g.meetings:
        # "on" is quoted: YAML 1.1 tools would read a bare on as true.
        out.append(
            "meetings: {" + ", ".join(f"{q(key) if key == 'on' else key}: {q(value) if key != 'every' else value}" for key, value in g.meetings.items()) + "}\n"
        )
    return "".join(out)


def mkdocs_yaml(people: int, sites: list[str], admins: list[str], seed: int) -> str:
    count = f"{people:,}".replace(",", " ")
    return f"""\
# A synthetic directory written by generator/directory/synth.py (seed {seed}): {count} fictitious people, for
# tests and benchmarks. Regenerate it rather than editing it.
site_name: {q(f"Synthétique ({count} personnes)")}
site_description: {q(f"Un annuaire fictif de {count} personnes, généré pour les tests et les mesures.")}

{demo_sections("theme", "hooks", "plugins", "markdown_extensions")}watch:
  - people
  - groups
  - skills.yaml

extra:
  trombi:
    sites: [{", ".join(q(site) for site in sites)}]
    admins: [{", ".join(admins)}]
    stale_after_months: 12
"""


def demo_sections(*keys: str) -> str:
    """The demo's own ``theme``, ``plugins`` and ``markdown_extensions`` blocks, so a synthetic site is built the same way.

    The ``hooks`` block is this repository's hook by absolute path: the synthetic directory lives elsewhere.
    """
    blocks: dict[str, str] = {}
    current = ""
    for line in (REPO / "mkdocs.yml").read_text(encoding="utf-8").splitlines(keepends=True):
        if line[:1].isalpha():  # a top-level key opens a block; comments and blank lines do not
            current = line.split(":", 1)[0]
            blocks[current] = line
        elif current and not line.startswith("#"):
            blocks[current] += line
    blocks["hooks"] = f"hooks:\n  - {q(str(HOOK))}\n"
    return "".join(blocks[key].rstrip("\n") + "\n\n" for key in keys if key in blocks)
