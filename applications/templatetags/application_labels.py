from django import template

from applications import labels

register = template.Library()

register.filter("action_label", labels.action_label)
register.filter("status_label", labels.status_label)
register.filter("role_label", labels.role_label)
