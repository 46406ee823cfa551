"""The streams around rows: what sheets keep around their rows (summaries, discussions, comments, attachment
metadata, the sheet and column inventory), one stream each per config over every selected sheet."""
