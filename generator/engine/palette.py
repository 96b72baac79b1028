"""Contrast by construction: the colours a company chose in ``mkdocs.yml``, made readable where they are not.

Material names its colours (``primary: deep orange``) and defines them in its stylesheets. For
each scheme of the site's palette (light, dark), the colours those stylesheets give are read back
from the installed theme, and the pairs a reader sees are measured with WCAG 2.2's contrast ratio:
the header's text on the primary colour, links and the accent (a link under the pointer or the
keyboard) on the page. A pair under 4.5:1 gets a shade of the same hue that reaches it, darker on a
light page and lighter on a dark one; the rules are appended to the site's stylesheet and the build
says what it changed, and where in ``mkdocs.yml``.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from generator.problems import N_, Level, Message, Problem

TEXT = 4.5  # WCAG 2.2, 1.4.3: text (the header's title and tabs are small text)
RULE = "palette-contrast"

Colour = tuple[float, float, float, float]  # red, green, blue (0-255) and alpha (0-1)


@dataclass(frozen=True, slots=True)
class Shade:
    """A colour of one scheme replaced by an accessible shade of it."""

    scheme: str
    primary: str
    accent: str
    on_body: bool  # see Option
    variable: str  # the CSS custom property set
    before: str
    after: str
    against: str  # what it is read against
    ratio_before: float
    ratio_after: float


@dataclass(frozen=True, slots=True)
class Option:
    scheme: str
    primary: str
    accent: str
    index: int  # its place in theme.palette (-1 when the palette is one mapping, or none)
    on_body: bool = True  # Material writes its colours on the body; without a palette it writes nothing, :root has them


def options(palette: Any) -> list[Option]:
    """The schemes of ``theme.palette`` (a list of options, one mapping, or nothing), as Material reads them."""
    entries = palette if isinstance(palette, list) else [palette or {}]
    found = []
    for index, entry in enumerate(entries):
        entry = entry if isinstance(entry, Mapping) else {}
        scheme = str(entry.get("scheme") or "default")
        primary = str(entry.get("primary") or "indigo").replace(" ", "-")
        accent = str(entry.get("accent") or "indigo").replace(" ", "-")
        found.append(Option(scheme, primary, accent, index if isinstance(palette, list) else -1, on_body=bool(palette)))
    return found


def shades(option: Option, stylesheets: str) -> list[Shade]:
    """What ``option`` needs changed for its text to reach 4.5:1, given the theme's ``stylesheets``."""
    values = _cascade(stylesheets, {"scheme": option.scheme, "primary": option.primary, "accent": option.accent})
    page = _colour(values, "--md-default-bg-color")
    header = _colour(values, "--md-primary-fg-color")
    header_text = over(_colour(values, "--md-primary-bg-color"), header)
    found = []

    def need(variable: str, colour: Colour, against: Colour, against_name: str) -> None:
        # The ratio is symmetric: for the header, the colour moved is its background, away from its text.
        ratio = contrast(colour, against)
        if ratio >= TEXT:
            return
        shade = _reach(colour, against, TEXT)
        after = contrast(shade, against)
        found.append(Shade(option.scheme, option.primary, option.accent, option.on_body, variable, _hex(colour), _hex(shade), against_name, ratio, after))

    # A colour Material does not define ("custom", set by the company's own stylesheet) is the company's to check.
    if f"[data-md-color-primary={option.primary}]" in stylesheets:
        need("--md-primary-fg-color", header, header_text, N_("the header's text"))
        need("--md-typeset-a-color", _colour(values, "--md-typeset-a-color"), page, N_("the page"))
    if f"[data-md-color-accent={option.accent}]" in stylesheets:
        need("--md-accent-fg-color", _colour(values, "--md-accent-fg-color"), page, N_("the page"))
    return found


def css(found: list[Shade]) -> str:
    """The rules that put ``found`` in force, for the schemes and colours they belong to."""
    rules: dict[str, list[str]] = {}
    for shade in found:
        selector = (
            f'[data-md-color-scheme="{shade.scheme}"][data-md-color-primary="{shade.primary}"][data-md-color-accent="{shade.accent}"]'
            if shade.on_body
            else ":root"
        )
        rules.setdefault(selector, []).append(f"{shade.variable}: {shade.after};")
        if shade.variable == "--md-accent-fg-color":
            # The accent is also a background (a button under the pointer): its text is the one of black
            # and white that reads best on the new shade.
            accent = _parse(shade.after)
            text = max(("#ffffff", "#000000de"), key=lambda candidate: contrast(over(_parse(candidate), accent), accent))
            rules[selector].append(f"--md-accent-bg-color: {text};")
    if not rules:
        return ""
    lines = "\n".join(f"{selector} {{ {' '.join(body)} }}" for selector, body in rules.items())
    return "\n/* Accessible shades of the palette's colours, written by the build (generator/engine/palette.py). */\n" + lines + "\n"


def notes(found: list[Shade], config_file: Path | None) -> list[Problem]:
    """What the build says about ``found``: where in ``mkdocs.yml`` each colour was chosen, and what replaced it."""
    places = _places(config_file)
    said = []
    for shade in found:
        key = N_("accent") if shade.variable == "--md-accent-fg-color" else N_("primary")
        line, col = places.get((shade.scheme, key), (1, 1))
        use = {
            "--md-primary-fg-color": Message("the header"),
            "--md-typeset-a-color": Message("links"),
            "--md-accent-fg-color": Message("links under the pointer or the keyboard"),
        }[shade.variable]
        message = Message(
            "the {key} colour '{name}' ({before}) has a contrast of {ratio} against {against} in {scheme}, under 4.5:1: "
            "the site uses {after} ({ratio_after}) for {use}",
            key=Message(key),
            name=(shade.accent if key == "accent" else shade.primary).replace("-", " "),
            before=shade.before,
            ratio=f"{shade.ratio_before:.2f}:1",
            against=Message(shade.against),
            scheme=_SCHEMES.get(shade.scheme) or Message("the '{scheme}' scheme", scheme=shade.scheme),
            use=use,
            after=shade.after,
            ratio_after=f"{shade.ratio_after:.2f}:1",
        )
        said.append(Problem(config_file.name if config_file else "mkdocs.yml", line, col, message, RULE, Level.WARNING))
    return said


_SCHEMES = {"default": Message("light mode"), "slate": Message("dark mode")}


def accessible(config: Mapping[str, Any]) -> tuple[str, list[Problem]]:
    """The stylesheet rules that make the palette of MkDocs' ``config`` readable, and what the build says of them."""
    theme = config.get("theme")
    palette = theme.get("palette") if theme is not None else None
    sheets = theme_stylesheets(material_folder())
    found = [shade for option in options(palette) for shade in shades(option, sheets)]
    config_file = config.get("config_file_path")
    return css(found), notes(found, Path(config_file) if config_file else None)


# Colour arithmetic (WCAG 2.2 relative luminance and contrast ratio).


def contrast(first: Colour, second: Colour) -> float:
    """The contrast ratio of two opaque colours, 1 to 21."""
    a, b = _luminance(first), _luminance(second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _luminance(colour: Colour) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = colour
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def over(colour: Colour, background: Colour) -> Colour:
    """``colour`` (with its alpha) as it shows on the opaque ``background``."""
    r, g, b, a = colour
    br, bg, bb, _ = background
    return (r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a), 1.0)


def _reach(colour: Colour, against: Colour, target: float, *, step: float = 0.005) -> Colour:
    """``colour``'s hue and saturation at the nearest lightness that has ``target`` against ``against``."""
    r, g, b, _ = colour
    hue, light, saturation = colorsys.rgb_to_hls(r / 255, g / 255, b / 255)
    darker = _luminance(against) > 0.18  # away from a light background, towards black
    while 0 < light < 1:
        light = max(0.0, light - step) if darker else min(1.0, light + step)
        rr, gg, bb = colorsys.hls_to_rgb(hue, light, saturation)
        shade = (round(rr * 255), round(gg * 255), round(bb * 255), 1.0)
        if contrast(shade, against) >= target:
            return shade
    return (0, 0, 0, 1.0) if darker else (255, 255, 255, 1.0)


def _hex(colour: Colour) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in colour[:3])


def _colour(values: Mapping[str, str], name: str) -> Colour:
    return _parse(_resolve(values, values[name]))


def _resolve(values: Mapping[str, str], value: str, depth: int = 0) -> str:
    if depth > 10:
        raise ValueError(f"custom properties refer to each other in a loop: {value}")
    return re.sub(r"var\((--[\w-]+)\)", lambda m: _resolve(values, values[m.group(1)], depth + 1), value)


def _parse(value: str) -> Colour:
    value = value.strip().lower()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        r, g, b = (float(int(digits[i : i + 2], 16)) for i in (0, 2, 4))
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return (r, g, b, alpha)
    found = re.fullmatch(r"(rgba?|hsla?)\(([^)]*)\)", value)
    if not found:
        raise ValueError(f"not a colour: {value}")
    parts = [p for p in re.split(r"[\s,/]+", found.group(2)) if p]
    alpha = _number(parts[3]) if len(parts) > 3 else 1.0
    if found.group(1).startswith("rgb"):
        return (_number(parts[0]), _number(parts[1]), _number(parts[2]), alpha)
    hue = _number(parts[0].removesuffix("deg")) / 360
    r, g, b = colorsys.hls_to_rgb(hue % 1, _number(parts[2]), _number(parts[1]))
    return (r * 255, g * 255, b * 255, alpha)


def _number(text: str) -> float:
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


# Material's stylesheets, read as far as its colours go.

_SIMPLE = re.compile(r"(?::root|\[data-md-color-(\w+)=([\w-]+)\]|:not\(\[data-md-color-(\w+)=([\w-]+)\]\))+")
_PART = re.compile(r":root|\[data-md-color-(\w+)=([\w-]+)\]|:not\(\[data-md-color-(\w+)=([\w-]+)\]\)")


def _cascade(stylesheets: str, attributes: Mapping[str, str]) -> dict[str, str]:
    """The custom properties the page's body has, for its scheme, primary and accent colours."""
    applied: list[tuple[int, int, dict[str, str]]] = []
    for order, (selectors, body) in enumerate(_rules(stylesheets)):
        best = max((s for selector in selectors if (s := _specificity(selector, attributes)) is not None), default=None)
        if best is not None:
            declarations = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+)", body))
            applied.append((best, order, declarations))
    values: dict[str, str] = {}
    for _, _, declarations in sorted(applied, key=lambda item: (item[0], item[1])):
        values.update({name: value.strip() for name, value in declarations.items()})
    return values


def _specificity(selector: str, attributes: Mapping[str, str]) -> int | None:
    selector = selector.strip()
    if not _SIMPLE.fullmatch(selector):
        return None
    count = 0
    for part in _PART.finditer(selector):
        count += 1
        if part.group(1) and attributes.get(part.group(1)) != part.group(2):
            return None
        if part.group(3) and attributes.get(part.group(3)) == part.group(4):
            return None
    return count


def _rules(stylesheets: str) -> Iterator[tuple[list[str], str]]:
    text = re.sub(r"/\*.*?\*/", "", stylesheets, flags=re.S)
    text = re.sub(r"@media screen\s*\{", "", text)  # the palette's rules are all "screen"; other media are left out below
    for found in re.finditer(r"([^{}@]+)\{([^{}]*)\}", text):
        yield found.group(1).split(","), found.group(2)


@lru_cache(maxsize=1)
def theme_stylesheets(material: Path) -> str:
    """Material's main and palette stylesheets, in the order pages load them."""
    folder = material / "templates" / "assets" / "stylesheets"
    return "\n".join(path.read_text(encoding="utf-8") for name in ("main.*.min.css", "palette.*.min.css") for path in sorted(folder.glob(name)))


def material_folder() -> Path:
    """Where the installed Material theme is."""
    from importlib.util import find_spec

    found = find_spec("material")
    if found is None or found.origin is None:
        raise ModuleNotFoundError("mkdocs-material is not installed")
    return Path(found.origin).resolve().parent


def _places(config_file: Path | None) -> dict[tuple[str, str], tuple[int, int]]:
    """Where each scheme's primary and accent colours are written in ``mkdocs.yml`` (line, column)."""
    if config_file is None or not config_file.is_file():
        return {}
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    places: dict[tuple[str, str], tuple[int, int]] = {}
    theme = _child(root, "theme")
    palette = _child(theme, "palette")
    entries = palette.value if isinstance(palette, yaml.SequenceNode) else [palette] if isinstance(palette, yaml.MappingNode) else []
    for entry in entries:
        scheme_node = _child(entry, "scheme")
        scheme = str(scheme_node.value) if isinstance(scheme_node, yaml.ScalarNode) else "default"
        for key in ("primary", "accent"):
            node = _child(entry, key)
            if node is not None:
                places.setdefault((scheme, key), (node.start_mark.line + 1, node.start_mark.column + 1))
    return places


def _child(node: Any, key: str) -> Any:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value if isinstance(name, yaml.ScalarNode) and name.value == key), None)
