from django.urls import path

from . import views

urlpatterns = [
    path("commended/", views.commended_list, name="commended"),
    path("rounds/", views.round_list, name="rounds"),
]
