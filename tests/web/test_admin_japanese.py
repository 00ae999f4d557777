"""The admin and the flows read in Japanese for Japanese staff: every registered model, its
app, its columns, fields and sections, and every node of every flow has a Japanese name —
none is left as its English msgid, as Django's automatic name, or with the "s" Django adds to
a plural it was not given ("補助金公募s")."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.flow import Flow

from workflows import flows

# an automatic plural: Japanese followed by an "s"
PLURAL_S = re.compile(r"[^\x00-\x7f]s\b")
# names that read the same in Japanese
SAME_IN_JAPANESE = {"ID"}


def _is_japanese(text: object) -> bool:
    text = str(text).strip()
    return text in SAME_IN_JAPANESE or (not text.isascii() and not PLURAL_S.search(text))


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(username="root", is_superuser=True, is_staff=True)
    return request


def _labels(model_admin, model, request):
    """What the admin's list and add form call each column, field, filter and action."""
    form_fields = model_admin.get_form(request).base_fields
    names = [
        *[name for name in model_admin.get_list_display(request) if isinstance(name, str)],
        *model_admin.get_fields(request),
    ]
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, (str, tuple)):  # a field's filter is titled by the field
            field = list_filter if isinstance(list_filter, str) else list_filter[0]
            names.append(field.split("__")[0])  # "item__panel": by the item
        else:
            yield f"{model._meta.label} filter {list_filter.__name__}", list_filter.title
    for name in dict.fromkeys(names):
        try:
            label = label_for_field(name, model, model_admin)
        except AttributeError:  # a form-only field (e.g. the user form's passwords)
            label = form_fields[name].label
        yield f"{model._meta.label}.{name}", label
    for name, (_func, _name, description) in model_admin.get_actions(request).items():
        yield f"{model._meta.label} action {name}", description
    for inline in model_admin.get_inline_instances(request):
        inline_model = inline.model
        yield f"{inline_model._meta.label} (inline)", inline_model._meta.verbose_name_plural
        for name in inline.get_fields(request):
            yield (
                f"{inline_model._meta.label}.{name}",
                label_for_field(name, inline_model, inline),
            )


@translation.override("ja")
def test_admin_models_and_apps_are_named_in_japanese():
    offenders = []
    for model in admin.site._registry:
        options = model._meta
        for kind, name in [
            ("verbose_name", options.verbose_name),
            ("verbose_name_plural", options.verbose_name_plural),
            ("app", options.app_config.verbose_name),
        ]:
            if not _is_japanese(name):
                offenders.append(f"{options.label} {kind}: {name}")
    assert not offenders, "\n".join(offenders)


@translation.override("ja")
def test_admin_sections_are_titled_in_japanese():
    request = _superuser_request()
    offenders = [
        f"{model._meta.label}: {title}"
        for model, model_admin in admin.site._registry.items()
        for title, _options in model_admin.get_fieldsets(request)
        if title is not None and not _is_japanese(title)
    ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.django_db
@translation.override("ja")
def test_admin_columns_fields_filters_and_actions_are_labelled_in_japanese():
    request = _superuser_request()
    offenders = [
        f"{where}: {label}"
        for model, model_admin in admin.site._registry.items()
        for where, label in _labels(model_admin, model, request)
        if not _is_japanese(label)
    ]
    assert not offenders, "\n".join(offenders)


def _flow_classes():
    return [
        value
        for value in vars(flows).values()
        if isinstance(value, type)
        and issubclass(value, Flow)
        and value.__module__ == flows.__name__
    ]


@translation.override("ja")
def test_flow_nodes_are_titled_in_japanese():
    # given every flow Kofu runs
    assert {flow.__name__ for flow in _flow_classes()} >= {"SubsidyFlow", "LetterBatchFlow"}
    # then each node's title (viewflow's default is the attribute's name: "Documents Complete")
    offenders = [
        f"{flow.__name__}.{node.name}: {node.task_title}"
        for flow in _flow_classes()
        for node in flow.instance.nodes()
        if not _is_japanese(node.task_title)
    ]
    assert not offenders, "\n".join(offenders)


class _ColumnHeads(HTMLParser):
    """The texts of the changelist's column heads."""

    def __init__(self):
        super().__init__()
        self.heads, self._depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "th" and ("scope", "col") in attrs:
            self._depth, self.heads = 1, [*self.heads, ""]
        elif self._depth:
            self._depth += 1

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.heads[-1] += data.strip()


@pytest.mark.django_db
def test_admin_pages_answer_a_japanese_superuser_in_japanese(client, draft):
    # given a superuser whose browser asks for Japanese, and a round, companies and a draft
    root = get_user_model().objects.create_superuser("root", "root@example.jp", "x")
    client.force_login(root)
    client.cookies["django_language"] = "ja"
    offenders = []
    # when they open the index and every registered model's list
    pages = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
        page = response.content.decode()
        # then each answers, with no automatic plural and no column head in English
        if response.status_code != 200:
            offenders.append(f"{url}: {response.status_code}")
            continue
        offenders += [f"{url}: {found}" for found in PLURAL_S.findall(page)]
        parser = _ColumnHeads()
        parser.feed(page)
        offenders += [
            f"{url} column: {head}" for head in parser.heads if head and not _is_japanese(head)
        ]
    assert not offenders, "\n".join(offenders)

    # and the round's form has its sections in Japanese
    page = client.get(
        reverse("admin:applications_subsidyround_change", args=[draft.round.pk]),
        HTTP_ACCEPT_LANGUAGE="ja",
    ).content.decode()
    for section in ("受付期間・日程", "予算・補助率・上限額", "運用規定"):
        assert section in page
    assert "補助金公募" in page
