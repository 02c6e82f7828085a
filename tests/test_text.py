"""The interface catalogue: plural forms, and no language with keys English lacks."""

from __future__ import annotations

import string

import pytest

from frontlines.text import CATALOGUES, LANG_DEFAULT, PLURAL_RULES, t


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_catalogue_keys_and_plural_forms(lang):
    cat, en = CATALOGUES[lang], CATALOGUES[LANG_DEFAULT]
    assert set(cat) <= set(en)
    assert lang in PLURAL_RULES
    for key, value in cat.items():
        if isinstance(value, dict):
            assert "other" in value, key
            assert all("{count}" in form for form in value.values()), key
            assert len({frozenset(fields(f)) for f in value.values()}) == 1, key


def test_plural_forms_are_chosen_by_count():
    assert t("ui.changed", count=1, a="A", b="B") == "1 district changed hands between A and B"
    assert t("ui.changed", count=0, a="A", b="B").startswith("0 districts ")
    with pytest.raises(TypeError, match="plural forms"):
        t("unit.days")
