"""Mounted at /finance/repayments/ with the namespace "revocations"."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.repayments, name="repayments"),
    path("repayments.xlsx", views.repayments_xlsx, name="repayments_xlsx"),
    path("revocations/new/<int:application_id>/", views.revocation_new, name="new"),
    path("revocations/<int:pk>/", views.revocation_detail, name="detail"),
    path("revocations/<int:pk>/decide/", views.revocation_decide, name="decide"),
    path("revocations/<int:pk>/cancel/", views.revocation_cancel, name="cancel"),
    path("revocations/<int:pk>/repayments/", views.repayment_add, name="repayment_add"),
]
