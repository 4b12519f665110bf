"""utils/display.py: the notebook tables: numbers, escaping, the row cut and the held-weights order."""

import math

from qportfolio.utils.display import MAX_ROWS, held_rows, number, table


def test_number():
    assert number(None) == "—" and number(math.nan) == "—"
    assert number(1 / 3) == "0.333333" and number(1 / 3, 2) == "0.33" and number(12345678) == "1.23457e+07"
    assert number(True) == "True" and number("optimal") == "optimal"


def test_table_escapes_and_lists_the_figures():
    html = table("<Result>", {"status": "optimal & proven", "objective": 0.123456789, "gap": None})
    assert html.startswith("<div class='qportfolio'><strong>&lt;Result&gt;</strong>") and html.endswith("</div>")
    assert "optimal &amp; proven" in html and "0.123457" in html and "—" in html
    assert "<thead>" not in html  # no rows, no second table


def test_long_row_lists_are_cut_with_a_note():
    rows = [(f"A{i}", 1.0 / (i + 1)) for i in range(MAX_ROWS + 7)]
    html = table("weights", {}, ("asset", "weight"), rows, note="a note")
    assert html.count("<tr><td>") == MAX_ROWS and "A19" in html and "A20" not in html
    assert "7 more rows (to_pandas() has them all)" in html and "<p><em>a note</em></p>" in html
    short = table("weights", {}, ("asset", "weight"), rows[:3])
    assert short.count("<tr><td>") == 3 and "more rows" not in short
    assert "<td>0.3333</td>" in short  # weights at four significant digits


def test_held_rows_largest_absolute_weight_first():
    assert held_rows({"a": 0.1, "b": -0.5, "c": 0.3}) == [("b", -0.5), ("c", 0.3), ("a", 0.1)]
