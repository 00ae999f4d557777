"""Admin actions that start workflows (the admin of lower apps cannot call up here), and
viewflow's process and task pages with Kofu's column names."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.admin import FlowClassListFilter, ProcessAdmin, TaskAdmin, TaskInline
from viewflow.workflow.models import Process, Task

from core.errors import KofuError
from letters.admin import LetterAdmin
from letters.models import Letter

from .services import letter_batch_start


@admin.action(description=_("Regenerate the selected letters (background batch)"))
def regenerate_letters(modeladmin, request, queryset):
    try:
        batch = letter_batch_start(
            letter_ids=list(queryset.values_list("pk", flat=True)),
            description=str(_("Regenerate %(count)s letters") % {"count": queryset.count()}),
            by=request.user,
        )
    except KofuError as error:
        modeladmin.message_user(request, str(error.message), messages.ERROR)
        return None
    return redirect("letter_batch", pk=batch.pk)


class LetterAdminWithBatches(LetterAdmin):
    actions = [regenerate_letters]


admin.site.unregister(Letter)
admin.site.register(Letter, LetterAdminWithBatches)


class KofuTaskInline(TaskInline):
    """A process's tasks by their step's title (viewflow shows the node's code name)."""

    fields = ["step", "flow_task_type", "status", "token", "owner"]
    readonly_fields = fields

    @admin.display(description=_("flow step"))
    def step(self, task):
        return task.title


class KofuFlowListFilter(FlowClassListFilter):
    title = _("flow")


class KofuProcessAdmin(ProcessAdmin):
    """viewflow's process list with its columns named in the admin's language, and each
    process's flow by its title rather than its code path."""

    list_display = ["id", "created", "flow", "status", "participants", "brief"]
    list_display_links = ["id", "created", "flow"]
    list_filter = ["status", KofuFlowListFilter]
    inlines = [KofuTaskInline]

    @admin.display(description=_("flow"), ordering="flow_class")
    def flow(self, obj):
        return obj.flow_class.process_title if obj.flow_class else "-"

    @admin.display(description=_("participants"))
    def participants(self, obj):
        return super().participants(obj)

    @admin.display(description=_("summary"))
    def brief(self, obj):
        return obj.brief


class KofuTaskFlowListFilter(KofuFlowListFilter):
    """Tasks by their process's flow, by its title."""

    parameter_name = "process__flow_class"

    def lookups(self, request, model_admin):
        return super().lookups(request, model_admin.admin_site.get_model_admin(Process))

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(process__flow_class=value) if value else queryset


class KofuTaskAdmin(TaskAdmin):
    list_display = ["id", *TaskAdmin.list_display[1:]]
    list_display_links = ["id", *TaskAdmin.list_display_links[1:]]
    list_filter = ["status", KofuTaskFlowListFilter]


admin.site.unregister(Process)
admin.site.register(Process, KofuProcessAdmin)
admin.site.unregister(Task)
admin.site.register(Task, KofuTaskAdmin)
