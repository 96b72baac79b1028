"""The silo map: which departments are connected through shared groups and lunches, and which are not.

Two departments are linked by each project, community or interest group they share (a pair of
members from the two departments counts ``1 / group size``: in a big group, people do not all
know each other) and by each lunch that sat them at the same table. The picture is a
department x department heat map, drawn at build time as SVG by matplotlib; its text
alternative is the table of the weakest links and the list of teams with no link outside
their department.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.controls import one_line, xml_text
from generator.directory.enrich import Org, sort_key
from generator.i18n import Language, load_language
from generator.network.pairing import MonthPairing, departments

LINK_GROUP_TYPES = ("project", "community", "interest")
MAX_DEPARTMENTS = 40  # more would not be readable: the biggest ones are drawn
SALT = "trombi-silos"
SILO_SVG_PATH = "network/silos.svg"
SILO_DARK_SVG_PATH = "network/silos-dark.svg"  # the same map for dark mode (Material shows it by its #only-dark)
# Dark mode's page and text colours, as Material's slate scheme has them (hsl(232, 15%, 14%) and 90 %).
DARK_PAGE, DARK_TEXT = "#1e2029", "#e2e4e9"


@dataclass
class SiloMap:
    """Links between departments (symmetric, by slug) and what they reveal."""

    departments: list[str]
    names: dict[str, str]
    sizes: dict[str, int]
    links: dict[tuple[str, str], float] = field(default_factory=dict)
    pieces: list[list[str]] = field(default_factory=list)
    isolated_teams: list[str] = field(default_factory=list)

    def link(self, a: str, b: str) -> float:
        return self.links.get((a, b) if a <= b else (b, a), 0.0)

    def weakest(self, limit: int = 10) -> list[tuple[str, str, float]]:
        """Pairs of different departments, the least connected first."""
        pairs = [(a, b, self.link(a, b)) for i, a in enumerate(self.departments) for b in self.departments[i + 1 :]]
        pairs.sort(key=lambda item: (item[2], -(self.sizes[item[0]] + self.sizes[item[1]]), item[0], item[1]))
        return pairs[:limit]


def silo_map(org: Org, lunches: Iterable[Sequence[str]] = ()) -> SiloMap:
    """Measure the links between departments from the groups and the given lunches."""
    department = departments(org)
    sizes: defaultdict[str, int] = defaultdict(int)
    for slug in department.values():
        sizes[slug] += 1
    chosen = sorted(sizes, key=lambda slug: (-sizes[slug], slug))[:MAX_DEPARTMENTS]
    chosen.sort(key=lambda slug: (sort_key(org.groups[slug].name), slug))
    result = SiloMap(chosen, {slug: org.groups[slug].name for slug in chosen}, {slug: sizes[slug] for slug in chosen})
    links: defaultdict[tuple[str, str], float] = defaultdict(float)
    outside: defaultdict[str, float] = defaultdict(float)  # team -> links to other departments

    def connect(members: Sequence[str], weight: float) -> None:
        counts: defaultdict[str, int] = defaultdict(int)
        teams: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
        for handle in members:
            if handle in department:
                counts[department[handle]] += 1
                team = org.people[handle].team
                if team is not None:
                    teams[department[handle]][team] += 1
        names = sorted(counts)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                links[(a, b)] += counts[a] * counts[b] * weight
            others = sum(counts.values()) - counts[a]
            for team, count in teams[a].items():
                outside[team] += count * others * weight

    for slug, group in org.groups.items():
        if group.type in LINK_GROUP_TYPES:
            members = org.members_of(slug)
            if len(members) > 1:
                connect(members, 1.0 / len(members))
    for lunch in lunches:
        connect([h for h in lunch if h in org.people], 1.0)
    result.links = {pair: round(weight, 3) for pair, weight in links.items() if pair[0] in result.sizes and pair[1] in result.sizes}
    result.pieces = _pieces(chosen, result.links)
    teams = sorted(slug for slug, group in org.groups.items() if group.type == "team" and org.team_members.get(slug))
    result.isolated_teams = sorted((t for t in teams if outside.get(t, 0.0) == 0.0), key=lambda t: (sort_key(org.groups[t].name), t))
    return result


def silo_svg(silos: SiloMap, *, title: str, caption: str, dark: bool = False, language: Language | None = None) -> str:
    """The heat map as SVG text; the same map always gives the same bytes.

    Numbers are written as ``language`` writes them (``10,7`` in French; English without one).

    ``dark``: drawn for dark mode, on the page's own dark colour with light text; the cells keep
    their colours (dark cells are strong links on both).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    words = language or load_language("en")

    count = len(silos.departments)
    matrix = np.full((count, count), np.nan)
    for i, a in enumerate(silos.departments):
        for j, b in enumerate(silos.departments):
            if i != j:
                matrix[i, j] = silos.link(a, b)
    # Names are drawn as they are written: one line (a line break would stretch the axis), nothing
    # that XML cannot hold (the SVG keeps its text as text).
    labels = [xml_text(one_line(silos.names[slug])) for slug in silos.departments]
    side = max(4.0, 0.45 * count + 2.5)
    # No mathtext: a department named "$\notacommand$" is a name, not a formula that fails to parse.
    with (
        matplotlib.rc_context({"svg.hashsalt": SALT, "svg.fonttype": "none", "font.size": 9 if count < 15 else 7, "text.parse_math": False}),
        matplotlib.rc_context(
            {
                "figure.facecolor": DARK_PAGE,
                "axes.facecolor": DARK_PAGE,
                "savefig.facecolor": DARK_PAGE,
                "text.color": DARK_TEXT,
                "axes.labelcolor": DARK_TEXT,
                "axes.edgecolor": DARK_TEXT,
                "xtick.color": DARK_TEXT,
                "ytick.color": DARK_TEXT,
            }
            if dark
            else {}
        ),
    ):
        figure, axes = plt.subplots(figsize=(side + 1.5, side))
        try:
            image = axes.imshow(np.log1p(matrix), cmap="YlOrRd", vmin=0.0)
            axes.set_xticks(range(count), labels=labels, rotation=45, ha="right", rotation_mode="anchor")
            axes.set_yticks(range(count), labels=labels)
            axes.set_title(title)
            if count <= 15:
                strong = 0.6 * float(np.nanmax(np.log1p(matrix))) if count > 1 else 0.0
                for i in range(count):
                    for j in range(count):
                        if i != j:
                            colour = "white" if np.log1p(matrix[i, j]) > strong else "black"
                            axes.text(j, i, words.decimal(float(matrix[i, j])), ha="center", va="center", fontsize=7, color=colour)
            bar = figure.colorbar(image, ax=axes, shrink=0.7)
            bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: words.decimal(value, digits=2, trim=True)))
            bar.set_label(caption)
            figure.tight_layout()
            output = io.StringIO()
            figure.savefig(output, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(figure)
    return output.getvalue()


def _pieces(nodes: list[str], links: dict[tuple[str, str], float]) -> list[list[str]]:
    """Connected groups of departments; more than one means the company is cut in pieces."""
    parent = {node: node for node in nodes}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for (a, b), weight in links.items():
        if weight > 0 and a in parent and b in parent:
            parent[find(a)] = find(b)
    pieces: defaultdict[str, list[str]] = defaultdict(list)
    for node in nodes:
        pieces[find(node)].append(node)
    return sorted(pieces.values(), key=lambda piece: (-len(piece), piece))


def silo_lunches(months: Iterable[MonthPairing]) -> list[tuple[str, ...]]:
    """The people of every lunch of the months shown: lunches are links too."""
    return [lunch.people for pairing in months for lunch in pairing.lunches]
