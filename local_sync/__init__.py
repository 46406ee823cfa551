"""One-command local sync of Smartsheet sheets into DuckDB, through PyAirbyte."""
