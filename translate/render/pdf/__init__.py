"""The PDF edition, grouped by concern.

:mod:`.edition` plans the parts, keeps the part cache and sets the front matter
(``render_pdf``, ``start_pdf``); :mod:`.printviews` holds what the templates show;
:mod:`.stylesheet` writes the print stylesheet; :mod:`.urlguard` says what a document
may load; :mod:`.workers` sets documents in worker processes; :mod:`.assembly` puts the
book together from its parts with pikepdf. The fonts, shared with the EPUB, are
:mod:`translate.render.fonts`.
"""
