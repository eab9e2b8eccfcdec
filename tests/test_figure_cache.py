"""Figures are drawn once per chart, language and input, and shared (`drawn` in
dashboard/web/data.py): a rerun or another session viewing the same figures gets the same
object, and anything that changes what a chart shows (its cells, the k a frame was protected
with, the language) draws it again. The tables of numbers under the charts likewise."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.publish import charts
from dashboard.reference import i18n
from dashboard.web import data, ui

drawn_in: list[str] = []


def counted_bars(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """A chart that says when it is drawn, and in which language."""
    drawn_in.append(i18n.current())
    return charts.bar_chart(frame, "theme_id", "responses", title=title, value_label="n")


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    data.drawn.clear()
    drawn_in.clear()
    yield
    data.drawn.clear()


def themes(responses: list[float], k: int | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"theme_id": ["a", "b"], "responses": responses, "respondents": [9, 9]})
    if k is not None:
        frame.attrs["k"] = k
    return frame


def test_the_same_inputs_give_the_same_figure_drawn_once() -> None:
    first = ui.drawn(counted_bars, themes([4.0, 5.0]), title="Responses by theme")
    again = ui.drawn(counted_bars, themes([4.0, 5.0]), title="Responses by theme")
    assert again is first
    assert drawn_in == ["en"]
    assert list(first.data[0].x) == [4.0, 5.0]


def test_other_cells_title_or_language_draw_again() -> None:
    ui.drawn(counted_bars, themes([4.0, 5.0]), title="t")
    other_cells = ui.drawn(counted_bars, themes([4.0, 6.0]), title="t")
    assert list(other_cells.data[0].x) == [4.0, 6.0]
    ui.drawn(counted_bars, themes([4.0, 5.0]), title="u")
    with i18n.using("ar"):
        arabic = ui.drawn(counted_bars, themes([4.0, 5.0]), title="t")
    assert drawn_in == ["en", "en", "en", "ar"]
    # Drawn in Arabic: bars run from the right, named on the right.
    assert list(arabic.layout.xaxis.range) == [5.75, 0]
    assert arabic.layout.yaxis.side == "right"


def test_a_frame_protected_with_another_k_draws_again() -> None:
    # Every cell hidden: the same cells, but the chart says "fewer than k" with its own k.
    hidden = [float("nan"), float("nan")]
    five = ui.drawn(counted_bars, themes(hidden, k=5), title="t")
    ten = ui.drawn(counted_bars, themes(hidden, k=10), title="t")
    assert five is not ten
    assert "5" in five.layout.annotations[0].text
    assert "10" in ten.layout.annotations[0].text


def test_a_table_of_numbers_is_formatted_once_per_language_and_k() -> None:
    made: list[str] = []

    def formatted() -> pd.DataFrame:
        made.append(i18n.current())
        return themes([1234.0, 5.0]).astype(str)

    inputs = (themes([1234.0, 5.0]), [{}], 5)
    first = data.drawn("numbers_table", "en", inputs, formatted)
    assert data.drawn("numbers_table", "en", inputs, formatted) is first
    data.drawn("numbers_table", "fr", inputs, formatted)
    data.drawn("numbers_table", "en", (themes([1234.0, 5.0]), [{}], 10), formatted)
    assert len(made) == 3
