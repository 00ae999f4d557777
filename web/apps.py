from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The shared look of every page: the base layout, the components, the form templates,
    the error pages, and the filters that write dates and yen one way everywhere."""

    name = "web"
    verbose_name = _("Shared page layout")
