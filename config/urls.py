from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from viewflow.urls import Site
from viewflow.workflow.flow import FlowAppViewset

from accounts import token_views
from accounts import views as account_views
from accounts.api import ApiTokenViewSet
from awards.api import PublicCommendationViewSet
from core.api import Router
from core.health import health
from declarations.api import PublicDeclarationViewSet
from kpis.api import KpiDashboardView
from letters.api import LetterBatchViewSet, LetterViewSet
from letters.views import letter_batch_detail, letter_download
from notifications import views as notification_views
from notifications.api import NotificationViewSet
from payments.api import PayableViewSet, PayeeAccountViewSet, PaymentBatchViewSet
from portal import applications as portal_applications
from revocations.api import RevocationViewSet
from screening.api import ConflictViewSet, ReviewItemViewSet, ReviewViewSet
from workflows import api as workflow_api
from workflows import api_programmes
from workflows import documents as document_views
from workflows.api_outcomes import OutcomeReportViewSet
from workflows.flows import (
    CommitteeFlow,
    DeclarationFlow,
    LetterBatchFlow,
    NominationFlow,
    SubsidyFlow,
)

router = Router()
router.register("rounds", workflow_api.RoundViewSet, basename="round")
router.register("applications", workflow_api.ApplicationViewSet, basename="application")
router.register("letters", LetterViewSet, basename="letter")
router.register("letter-batches", LetterBatchViewSet, basename="letter-batch")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("declarations", api_programmes.DeclarationViewSet, basename="declaration")
router.register("nominations", api_programmes.NominationViewSet, basename="nomination")
router.register("committees", api_programmes.CommitteeViewSet, basename="committee")
router.register("reviews", ReviewViewSet, basename="review")
router.register("review-items", ReviewItemViewSet, basename="review-item")
router.register("conflicts", ConflictViewSet, basename="conflict")
router.register("payables", PayableViewSet, basename="payable")
router.register("payment-batches", PaymentBatchViewSet, basename="payment-batch")
router.register("payee-accounts", PayeeAccountViewSet, basename="payee-account")
router.register("revocations", RevocationViewSet, basename="revocation")
router.register("outcome-reports", OutcomeReportViewSet, basename="outcome-report")
router.register("public/declarations", PublicDeclarationViewSet, basename="public-declaration")
router.register("public/commendations", PublicCommendationViewSet, basename="public-commendation")
router.register("tokens", ApiTokenViewSet, basename="api-token")

site = Site(
    title="Kofu",
    viewsets=[
        FlowAppViewset(SubsidyFlow, icon="school"),
        FlowAppViewset(DeclarationFlow, icon="campaign"),
        FlowAppViewset(NominationFlow, icon="emoji_events"),
        FlowAppViewset(CommitteeFlow, icon="groups"),
        FlowAppViewset(LetterBatchFlow, icon="print"),
    ],
)

SWAGGER_CDN = "https://cdn.jsdelivr.net"

urlpatterns = [
    path("", portal_applications.home, name="home"),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", include((account_views.urlpatterns, "two_factor"))),
    path("accounts/webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("accounts/tokens/", include((token_views.urlpatterns, "tokens"))),
    path("portal/", include(("portal.urls", "portal"))),
    path("letters/<int:pk>/pdf/", letter_download, name="letter_download"),
    path("documents/", include((document_views.urlpatterns, "documents"))),
    path("letters/batches/<int:pk>/", letter_batch_detail, name="letter_batch"),
    path("inbox/", include((notification_views.urlpatterns, "inbox"))),
    path("reviews/", include(("screening.urls", "reviews"))),
    path("workspace/", include(("workspace.urls", "workspace"))),
    path("declarations/", include(("declarations.urls", "declarations"))),
    path("awards/", include(("awards.urls", "awards"))),
    path("finance/repayments/", include(("revocations.urls", "revocations"))),
    path("finance/", include(("payments.urls", "finance"))),
    path("audit/", include(("traces.urls", "traces"))),
    path("kpis/", include(("kpis.urls", "kpis"))),
    path("portal/outcomes/", include(("portal.outcomes", "outcomes"))),
    path("admin/", admin.site.urls),
    path("api/kpis/", KpiDashboardView.as_view(), name="kpis-list"),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI loads its bundle from its CDN; its page script is served as a file (split view)
    path(
        "api/docs/",
        csp_update(
            {
                "script-src": [SWAGGER_CDN],
                "style-src": [SWAGGER_CDN],
                "img-src": [SWAGGER_CDN],
            }
        )(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("staff/", site.urls),
]

# Unknown paths and server errors answer JSON {code, message, field} under /api/.
handler404 = "core.api.page_not_found"
handler500 = "core.api.server_error"
