from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Companies and users"

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the OpenAPI authentication extensions)
