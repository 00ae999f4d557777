"""What the revocations domain tells the layers above it, inside the transaction that did it."""

from django.dispatch import Signal

# An approver decided a revocation: the application is revoked. Sent with ``application_id``.
application_revoked = Signal()
