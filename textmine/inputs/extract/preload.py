"""Imported once before worker processes start (see ``textmine.run.workers``): by the fork server, or by
the process that forks them.

Loads the language model (py3langid's, half a second) so that every worker forked from
the server has it already. It must not import pypdfium2: PDFium initialised in the server
and then forked runs at half speed in the workers.
"""

from textmine.core.languages import detect_lang

detect_lang("Policy documents are read, coded and compared by textmine.")
