"""The portal's pages under /portal/ (namespace ``portal``). The outcome reports are included on
their own, under /portal/outcomes/ (namespace ``outcomes``: ``portal.outcomes``)."""

from . import applications, awards, declarations

urlpatterns = applications.urlpatterns + declarations.urlpatterns + awards.urlpatterns
