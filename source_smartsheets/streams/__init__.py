"""The streams: one per selected sheet or report (or one merged stream for many sheets), and the streams around
rows; `registry.py` lists them, `context.py` is what they share in one command."""
