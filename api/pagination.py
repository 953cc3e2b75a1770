from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Cursor pages by id, newest first: stable under inserts and one index range per page."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
