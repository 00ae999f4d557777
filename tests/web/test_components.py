"""The shared look's filters and form templates (web/): yen and dates written one way, form
fields with their error next to them and tied to the control, the error summary's links."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from web.templatetags.kofu import tone, when, when_precise, yen


def test_yen_has_separators_and_the_page_languages_unit():
    with translation.override("ja"):
        assert yen(187000) == "187,000円"
        assert yen(Decimal("1250000.00")) == "1,250,000円"
        assert yen(None) == "—"
    with translation.override("en"):
        assert yen(187000) == "¥187,000"


def test_dates_are_written_in_japan_time_one_way_per_language():
    moment = dt.datetime(2026, 12, 1, 23, 39, tzinfo=dt.UTC)  # 08:39 on the 2nd in Tokyo
    with translation.override("ja"):
        assert when(moment) == "2026年12月2日 8:39"
        assert when(dt.date(2027, 1, 15)) == "2027年1月15日"
    with translation.override("en"):
        assert when(moment) == "2 December 2026, 08:39"
        assert when(None) == "—"


def test_dates_kept_as_iso_text_are_written_the_same_way():
    # a notification's context is stored as JSON: its dates are ISO text
    with translation.override("ja"):
        assert when("2027-01-15") == "2027年1月15日"
        assert when("2026-12-09 17:00") == "2026年12月9日 17:00"  # already Japan time
        assert when("令和8年12月2日") == "令和8年12月2日"  # not ISO: as it is
    with translation.override("en"):
        assert when("2027-01-15") == "15 January 2027"


def test_the_audit_trace_writes_moments_to_the_second_in_each_languages_style():
    moment = dt.datetime(2026, 12, 2, 10, 26, 3, tzinfo=dt.UTC)  # 19:26:03 in Tokyo
    with translation.override("ja"):
        assert when_precise(moment) == "2026年12月2日 19:26:03"
        assert when_precise(dt.datetime(2026, 12, 1, 23, 39, 5, tzinfo=dt.UTC)) == (
            "2026年12月2日 8:39:05"
        )
    with translation.override("en"):
        assert when_precise(moment) == "2 Dec 2026 19:26:03"
        assert when_precise(None) == "—"


def test_status_tones():
    assert tone("granted") == "success"
    assert tone("returned") == "warning"
    assert tone("rejected") == "danger"
    assert tone("draft") == "neutral"
    assert tone("submitted") == "info"


def test_navigation_marks_the_section_the_page_is_in():
    template = Template('{% load kofu %}<a{% current "/portal/" "/portal/outcomes/" %}>')
    request = RequestFactory().get("/portal/applications/3/")
    assert 'aria-current="page"' in template.render(Context({"request": request}))
    request = RequestFactory().get("/portal/outcomes/")
    assert "aria-current" not in template.render(Context({"request": request}))


class LineForm(forms.Form):
    course = forms.CharField(label="Course", help_text="As on the provider's brochure")
    amount = forms.IntegerField(label="Amount", min_value=1)


def test_a_field_with_an_error_shows_it_next_to_the_control_and_keeps_the_input():
    form = LineForm({"course": "生成AI研修", "amount": "0"})
    assert not form.is_valid()
    html = form.as_p()
    # the error list carries the id the input points at, with the hint
    assert 'id="id_amount_error"' in html
    assert 'aria-describedby="id_amount_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_course_helptext"' in html
    assert 'value="生成AI研修"' in html and 'value="0"' in html
    # the error comes before the control, inside the same field group as its label
    group = html[html.index('<label for="id_amount"') :]
    assert group.index("id_amount_error") < group.index('<input type="number"')


def test_the_error_summary_links_each_error_to_its_field():
    form = LineForm({"course": "", "amount": "0"})
    form.is_valid()
    formset = forms.formset_factory(LineForm)(
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-course": "A",
            "form-0-amount": "5",
            "form-1-course": "B",
            "form-1-amount": "x",
        }
    )
    formset.is_valid()
    with translation.override("en"):
        html = Template("{% load kofu %}{% error_summary form formset %}").render(
            Context({"form": form, "formset": formset})
        )
    assert 'role="alert"' in html and "There are 3 problems to fix" in html
    assert 'href="#id_course"' in html and 'href="#id_amount"' in html
    assert 'href="#id_form-1-amount"' in html and "Row 2 Amount" in html


def test_the_error_summary_links_a_radio_group_to_its_first_choice():
    class ScoreForm(forms.Form):
        score = forms.ChoiceField(
            label="Score", choices=[("1", "1"), ("2", "2")], widget=forms.RadioSelect
        )

    form = ScoreForm({})
    form.is_valid()
    with translation.override("en"):
        html = Template("{% load kofu %}{% error_summary form %}").render(Context({"form": form}))
    assert 'href="#id_score_0"' in html and "Score: " in html


def test_no_summary_for_a_form_not_sent():
    html = Template("{% load kofu %}{% error_summary form %}").render(Context({"form": LineForm()}))
    assert html.strip() == ""
