"""Generic record services and views, driven by a per-record declaration (``RecordType``).

Layering: above ``partnership`` (policies) and ``audit`` (the access log), below the apps that
declare record types (``cases``, ``actions``, ``maog``). Not a Django app: no tables (the
abstract model parts several apps share are in ``bases.py``).
"""
