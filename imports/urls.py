from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("<int:pk>/columns/", views.mapping, name="mapping"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/import/", views.batch_commit, name="commit"),
    path("<int:pk>/rows/<int:row>/decide/", views.row_decide, name="decide"),
    path("<int:pk>/roll-back/", views.batch_rollback, name="rollback"),
    path("<int:pk>/rejected.csv", views.rejected_download, name="rejected"),
]
