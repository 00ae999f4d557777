"""The project's URLs plus a view that fails, under /api/ and outside it."""

from django.urls import path

from config import urls

handler404 = urls.handler404
handler500 = urls.handler500


def fails(request):
    raise RuntimeError("a bug")


urlpatterns = [path("api/fails/", fails), path("fails/", fails), *urls.urlpatterns]
