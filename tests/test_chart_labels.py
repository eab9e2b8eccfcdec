"""Long names beside horizontal bars are broken into lines, so that in Russian or Spanish a
half-width chart keeps room for its bars and its ticks stay level; hover keeps the whole name."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.publish import charts
from dashboard.reference import i18n

THEMES_RU = {
    "partnership": "Партнёрство и участие",
    "protection": "Защита субъектов гражданского общества",
    "promotion": "Поощрение и защита гражданского пространства",
}


def themes_chart(labels: dict[str, str]):
    frame = pd.DataFrame(
        {"theme_id": list(labels), "responses": [4219, 4163, 4201], "respondents": [900] * 3}
    )
    return charts.bar_chart(
        frame, "theme_id", "responses", title="t", value_label="Ответы", labels=labels
    )


def test_long_names_are_broken_into_lines_and_short_ones_kept() -> None:
    with i18n.using("ru"):
        fig = themes_chart(THEMES_RU)
    shown = list(fig.data[0].y)
    assert shown[0] == "Партнёрство и участие"
    assert shown[1] == "Защита субъектов<br>гражданского общества"
    assert shown[2] == "Поощрение и защита<br>гражданского пространства"
    # The whole name on one line where the pointer rests.
    assert list(fig.data[0].customdata) == list(THEMES_RU.values())
    assert "%{customdata}" in fig.data[0].hovertemplate
    # A row taller for each line more.
    assert fig.layout.height == max(260, 60 + 34 * 3 + 16 * 2)
    assert fig.layout.xaxis.tickangle == 0


@pytest.mark.parametrize(
    "names",
    [
        ["Africa", "Americas", "Asia"],
        # Lines are broken at spaces, and inside a word without any (Chinese).
        ["保护民间社会行为者免受报复和恐吓的措施与机制", "伙伴关系与参与", "促进和倡导公民空间"],
    ],
)
def test_every_line_is_part_of_the_name(names: list[str]) -> None:
    shown = charts.bar_names(names)
    for name, label in zip(names, shown, strict=True):
        assert label.replace("\n", " ").replace(" ", "") == name.replace(" ", "")
    assert len(set(shown)) == len(names)


def test_names_that_would_look_alike_once_broken_stay_whole() -> None:
    # The second name is written as the first would be broken.
    names = ["Protection of civil society actors", "Protection of civil society\nactors"]
    assert charts.bar_names(names) == names
