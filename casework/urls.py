from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("my-tasks/", views.my_tasks, name="my_tasks"),
    path("young-people/<int:pk>/irds/", views.ird_list, name="ird_list"),
    path("young-people/<int:pk>/irds/new/", views.ird_create, name="ird_create"),
    path("irds/<int:pk>/", views.ird_detail, name="ird_detail"),
    path("irds/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
]
