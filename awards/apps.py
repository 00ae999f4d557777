from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Reskilling award")

    def ready(self) -> None:
        from screening.subjects import subject_reader_register

        from .models import Nomination
        from .selectors import nomination_for_review

        # the committee's reviewers read a nomination in full beside the rubric
        subject_reader_register(
            Nomination, template="awards/review_nomination.html", context=nomination_for_review
        )
