"""Trombi: a people and skills directory kept as YAML in git, published as a static site."""

from __future__ import annotations

__version__ = "0.1.0"
