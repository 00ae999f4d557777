"""What the payments domain tells the layers above it, inside the transaction that did it."""

from django.dispatch import Signal

# The bank reported an application's transfer paid: sent with ``application_id``.
application_paid = Signal()
