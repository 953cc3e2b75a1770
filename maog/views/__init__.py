"""MAOG pages (a package; maog.urls imports each module): ``persons``, ``places`` (with
vehicles and online handles), ``allegations`` (with intelligence), ``networks`` (network
views, the networks list, hotspots); ``common`` holds the helpers they share.

Thin like cases.views (whose helpers they reuse): ask maog.permissions, read through
maog.selectors, write through maog.services. Out of reach is 404; intelligence is 404 for
anyone outside the MAOG.
"""
