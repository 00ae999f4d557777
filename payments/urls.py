"""Mounted at /finance/ with the namespace "finance"."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.payables, name="payables"),
    path("payables.xlsx", views.payables_xlsx, name="payables_xlsx"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/release/", views.batch_release, name="batch_release"),
    path("batches/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("batches/<int:pk>/file/", views.batch_file, name="batch_file"),
    path("batches/<int:pk>/reconcile/", views.batch_reconcile, name="batch_reconcile"),
    path("batches/<int:pk>/items.xlsx", views.batch_xlsx, name="batch_xlsx"),
]
