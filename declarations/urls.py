from django.urls import path

from . import views

urlpatterns = [
    path("", views.public_list, name="public_list"),
]
