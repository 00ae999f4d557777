from django.urls import path

from . import views
from .selectors import AWARD, DECLARATION, SUBSIDY

urlpatterns = [
    path("", views.search, name="search"),
    path("log.csv", views.log_csv, name="log_csv"),
    path("log.xlsx", views.log_xlsx, name="log_xlsx"),
    path("applications/<int:pk>/", views.trace, {"programme": SUBSIDY}, name="application"),
    path(
        "applications/<int:pk>/trace.pdf",
        views.trace_export,
        {"programme": SUBSIDY},
        name="application_pdf",
    ),
    path("declarations/<int:pk>/", views.trace, {"programme": DECLARATION}, name="declaration"),
    path(
        "declarations/<int:pk>/trace.pdf",
        views.trace_export,
        {"programme": DECLARATION},
        name="declaration_pdf",
    ),
    path("nominations/<int:pk>/", views.trace, {"programme": AWARD}, name="nomination"),
    path(
        "nominations/<int:pk>/trace.pdf",
        views.trace_export,
        {"programme": AWARD},
        name="nomination_pdf",
    ),
]
