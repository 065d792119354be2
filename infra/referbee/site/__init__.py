"""The program site and the widget it serves: the site's build (build.py), its look
(theme.py), words (texts.py) and pages (pages.py), the check of what was built (audit.py),
and the widget's build (widget.py)."""
