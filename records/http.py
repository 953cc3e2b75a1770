"""Kept for branches written before the request type moved to ``accounts.http`` (the floor
every app above ``partnership`` may import); new code imports it from there."""

from accounts.http import AuthenticatedRequest

__all__ = ["AuthenticatedRequest"]
