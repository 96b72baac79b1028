"""Contrast by construction: the palette of mkdocs.yml, read from Material's own stylesheets, made readable where it is not."""

from __future__ import annotations

import colorsys
from pathlib import Path

import pytest

from generator.engine.palette import Option, _parse, contrast, css, material_folder, notes, options, shades, theme_stylesheets

SHEETS = theme_stylesheets(material_folder())


def _hue(colour: str) -> float:
    r, g, b, _ = _parse(colour)
    return colorsys.rgb_to_hls(r / 255, g / 255, b / 255)[0]


def test_contrast_is_wcag_s_ratio() -> None:
    assert contrast(_parse("#ffffff"), _parse("#000000")) == pytest.approx(21)
    assert contrast(_parse("#777777"), _parse("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(_parse("hsl(0, 0%, 100%)"), _parse("#fff")) == pytest.approx(1)


def test_the_demo_s_orange_gets_a_readable_shade_of_itself_in_each_place_it_fails() -> None:
    light, dark = options([{"scheme": scheme, "primary": "deep orange", "accent": "amber"} for scheme in ("default", "slate")])
    found = {shade.variable: shade for shade in shades(light, SHEETS)}
    # Material's deep orange is #ff6e42: white text on it, and it on white, are 2.78:1.
    assert found["--md-primary-fg-color"].before == "#ff6e42" and found["--md-primary-fg-color"].ratio_before == pytest.approx(2.78, abs=0.01)
    for shade in found.values():
        assert shade.ratio_after >= 4.5 and abs(_hue(shade.after) - _hue(shade.before)) < 0.02, shade  # the same hue, darker
    assert set(found) == {"--md-primary-fg-color", "--md-typeset-a-color", "--md-accent-fg-color"}
    # Dark mode: links are Material's lighter orange and readable on slate; the header still needs a shade.
    assert [shade.variable for shade in shades(dark, SHEETS)] == ["--md-primary-fg-color"]


def test_colours_that_already_read_well_are_left_alone() -> None:
    # Material's black primary: white text on black; its links are black on white. Its deep purple accent reads on white.
    assert shades(Option("default", "black", "deep-purple", 0), SHEETS) == []
    assert css([]) == ""


def test_the_rules_are_for_the_scheme_and_colours_they_fix(tmp_path: Path) -> None:
    found = shades(Option("default", "yellow", "yellow", 0), SHEETS)
    rules = css(found)
    selector = '[data-md-color-scheme="default"][data-md-color-primary="yellow"][data-md-color-accent="yellow"]'
    assert rules.count(selector) == 1 and "--md-typeset-a-color: #" in rules
    # The accent is also a background for text (a button under the pointer): its text colour goes with the shade.
    assert "--md-accent-bg-color: " in rules


def test_the_build_says_where_in_mkdocs_yml_the_colour_was_chosen(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: X\ntheme:\n  name: material\n  palette:\n    - scheme: default\n      primary: yellow\n      accent:   yellow\n", encoding="utf-8"
    )
    said = notes(shades(Option("default", "yellow", "yellow", 0), SHEETS), config)
    assert [(problem.line, problem.col) for problem in said] == [(6, 16), (7, 17)]
    assert said[0].as_text().startswith("mkdocs.yml:6:16: warning: the primary colour 'yellow' (#b8a500) has a contrast of 2.49:1 against the page")


def test_a_palette_of_one_mapping_or_none_is_read_as_material_reads_it() -> None:
    assert options(None) == [Option("default", "indigo", "indigo", -1, on_body=False)]
    assert options({"primary": "teal"}) == [Option("default", "teal", "indigo", -1)]
    # Without a palette the body carries no colours: Material's defaults are on :root, and so are their shades.
    assert css(shades(options(None)[0], SHEETS)).splitlines()[-1] == ":root { --md-accent-fg-color: #4a66fe; --md-accent-bg-color: #ffffff; }"


def test_a_custom_colour_is_left_to_the_stylesheet_that_defines_it() -> None:
    # primary: custom is defined by the company's own CSS, which the build does not read: no shade of Material's default.
    assert shades(Option("default", "custom", "custom", 0), SHEETS) == []
