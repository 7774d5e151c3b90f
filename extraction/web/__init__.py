"""``claims serve``: the fact-checker's pages (see ``extraction.web.app``)."""
