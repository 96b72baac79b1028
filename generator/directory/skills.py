"""The skills taxonomy: canonical names, aliases and categories, and the lookups built on them."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.directory.check import check_document, suggest
from generator.directory.load import Document
from generator.directory.model import SkillDefinition, Taxonomy
from generator.problems import Message, Problem


@dataclass(frozen=True)
class Skills:
    """The taxonomy, ready for lookups: any name or alias, in any case, finds the canonical name."""

    definitions: dict[str, SkillDefinition] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)

    def canonical(self, name: str) -> str | None:
        return self.lookup.get(name.strip().casefold())

    def suggestions(self, name: str) -> list[str]:
        """Canonical names close to ``name`` (through their aliases too), best first."""
        matches = suggest(name, list(self.lookup), n=6, cutoff=0.6)
        seen: list[str] = []
        for match in matches:
            canonical = self.lookup[match]
            if canonical not in seen:
                seen.append(canonical)
        return seen[:3]

    def category(self, name: str) -> str:
        return self.definitions[name].category

    def __len__(self) -> int:
        return len(self.definitions)


def build_skills(document: Document) -> tuple[Skills, list[Problem]]:
    """Check ``skills.yaml`` and index it; names or aliases used twice are problems."""
    taxonomy, problems = check_document(document, Taxonomy, "skills")
    if taxonomy is None:
        return Skills(), problems
    lookup: dict[str, str] = {}
    for name, definition in taxonomy.root.items():
        for index, term in enumerate([name, *definition.aliases]):
            key = term.strip().casefold()
            owner = lookup.get(key)
            if owner is None:
                lookup[key] = name
                continue
            if owner == name and index:
                message = Message("alias '{alias}' repeats the name of skill '{skill}' or another of its aliases", alias=term, skill=name)
            else:
                message = Message("'{term}' is already the name or an alias of skill '{skill}'; a name or alias may be used only once", term=term, skill=owner)
            loc = (name, "aliases", index - 1) if index else (name,)
            problems.append(document.problem(loc, message, "skill-alias", at_key=not index))
    return Skills(dict(taxonomy.root), lookup), problems
