"""Charts: SVG that screen readers can name, with escaped text and one bar per value."""

import re

from evaluation.charts import Chart, _nice_top, draw


def test_a_chart_is_an_image_named_by_its_title_and_summary():
    chart = Chart("Messages", "12 over 3 weeks.", ["1 Mar", "8 Mar", "15 Mar"], [2, 0, 10])
    svg = str(draw(chart))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    title, summary = re.search(r'aria-labelledby="([^"]+) ([^"]+)"', svg).groups()
    assert f'<title id="{title}">Messages</title>' in svg
    assert f'<desc id="{summary}">12 over 3 weeks.</desc>' in svg
    assert svg.count("<rect") == 3


def test_text_in_a_chart_is_escaped():
    chart = Chart("<b>", "a & b", ["<script>"], [1], horizontal=True)
    svg = str(draw(chart))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<b>" not in svg and "a &amp; b" in svg


def test_a_target_is_drawn_as_a_line_across_the_bars():
    with_target = str(draw(Chart("Hours", "", ["a", "b"], [4, 12], target=10, target_label="10")))
    without = str(draw(Chart("Hours", "", ["a", "b"], [4, 12])))
    assert with_target.count("<line") == without.count("<line") + 1


def test_two_charts_never_share_an_id():
    first, second = Chart("A", "", [], []), Chart("B", "", [], [])
    assert first.chart_id != second.chart_id


def test_the_axis_ends_on_a_round_number_at_or_above_the_largest_value():
    for largest, top in [(0, 4), (3, 4), (5, 8), (9, 12), (13, 20), (100, 120), (1234, 2000)]:
        assert _nice_top(largest) == top


def test_figures_are_rounded_half_up_not_cut_off_in_each_language():
    from django.utils import translation

    from evaluation.dashboard import shown

    assert shown(42.857, "nps") == "43"
    assert shown(4.18, "hours") == "4.2"
    assert shown(13.25, "hours") == "13.3"
    assert shown(4.075, "score") == "4.08"
    assert shown(66.66, "percent") == "66.7\u00a0%"
    assert shown(12345, "count") == "12,345"
    with translation.override("fr"):
        assert shown(4.18, "hours") == "4,2"
    chart = Chart("Satisfaction", "By cycle.", ["January", "July"], [4.18, 4.07], horizontal=True)
    svg = str(draw(chart))
    assert ">4.2<" in svg and ">4.1<" in svg


def test_week_labels_name_june_and_july_apart_in_french():
    from datetime import date

    from django.utils import translation

    from evaluation.dashboard import _week_label

    with translation.override("fr"):
        assert _week_label(date(2026, 6, 1)).endswith("juin")
        assert _week_label(date(2026, 7, 6)).endswith("juil.")


def test_a_target_line_has_a_legend_and_leaves_the_values_readable():
    chart = Chart(
        "Hours", "Per cycle.", ["January", "July"], [9.4, 10.2], horizontal=True, target=10
    )
    svg = str(draw(chart))
    assert ">Target: 10<" in svg
    # The line comes before the bars and values, which keep a white outline over it.
    assert svg.index("stroke-dasharray") < svg.index("<rect")
    assert 'paint-order="stroke">9.4<' in svg
