from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The applicant's web pages: applications, declarations, nominations, outcome reports."""

    name = "portal"
    verbose_name = _("Applicant portal")
