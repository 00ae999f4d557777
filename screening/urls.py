"""Mounted at /reviews/ with the namespace "reviews"."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/scores/", views.score, name="score"),
    path("<int:pk>/recuse/", views.recuse, name="recuse"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("panels/", views.panels, name="panels"),
    path("panels/new/", views.panel_create, name="panel_create"),
    path("panels/<int:panel_id>/", views.panel_detail, name="panel"),
    path("panels/<int:panel_id>/ranking.xlsx", views.panel_xlsx, name="panel_xlsx"),
    path("panels/<int:panel_id>/ranking.csv", views.panel_csv, name="panel_csv"),
    path("panels/<int:panel_id>/minutes.pdf", views.panel_minutes, name="panel_minutes"),
]
