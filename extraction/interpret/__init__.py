"""Interpretation: from a processed Doc to claims. ``quantities`` reads each quantity span into a
``mention.Mention`` (value, unit, hedge, counted noun, "not a claim"), helped by ``span_values``,
``number_roles``, ``unit_context`` and ``figure_joins``; then one module decides each attribute:
``kinds`` the kind, ``sources`` the source (with ``attribution``, ``source_phrases``,
``source_context`` and ``article_sources``), ``actors`` the actor, ``places`` the places (with
``theatre``); ``canonical`` gives actors and places stable ids. ``assemble`` only turns those
decisions into `Claim` objects.
"""
