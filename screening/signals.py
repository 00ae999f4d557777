"""What the committee screening tells the layers above it (the workflow moves its tasks).

Both are sent inside the service's transaction, so a receiver's writes commit or roll back
with the change they follow.
"""

from django.dispatch import Signal

# sender=ReviewAssignment, old=<the recused assignment>, new=<its replacement, or None>
assignment_replaced = Signal()

# sender=ReviewAssignment, assignment=<scored or missed>
assignment_closed = Signal()
