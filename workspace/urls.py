from django.urls import path

from . import committee, views

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/bulk/", views.tasks_bulk, name="tasks_bulk"),
    path("tasks/lists/", views.save_list, name="save_list"),
    path("tasks/lists/<int:pk>/delete/", views.delete_list, name="delete_list"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/letter.pdf", views.task_letter, name="task_letter"),
    path("tasks/<int:pk>/<str:action>/", views.task_act, name="task_act"),
    path("committees/<int:panel_id>/start/", committee.start, name="committee_start"),
]
