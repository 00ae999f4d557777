from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The applicant's web pages: applications, declarations, nominations, outcome reports."""

    name = "portal"
    verbose_name = "Applicant portal"
