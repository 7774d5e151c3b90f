"""Interpretation: from a processed Doc to claims. ``quantities`` reads each quantity span
(value, unit, hedge, counted noun, "not a claim"), helped by ``unit_context`` and
``number_roles``; then one module decides each attribute: ``kinds`` the kind, ``sources`` the
source (with ``attribution``, ``source_phrases``, ``source_context`` and ``article_sources``),
``actors`` the actor, ``places`` the places (with ``theatre``); ``canonical`` gives actors and
places stable ids. ``assemble`` only turns those decisions into `Claim` objects.
"""
