"""An Airbyte source for Smartsheet: many sheets per connection, typed values, incremental reads."""

from .source import SourceSmartsheets

__all__ = ["SourceSmartsheets"]
