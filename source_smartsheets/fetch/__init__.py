"""What the streams fetch from Smartsheet beyond their own requests, below every stream: sheet pages walked and fetched
ahead (`pages.py`), and the per-sheet responses several streams share, each fetched at most once a run
(`responses.py`). Streams say what they need; this layer decides what to fetch, once."""
