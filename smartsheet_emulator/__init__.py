"""A local emulator of the Smartsheet API 2.0, faithful to docs/smartsheet-api.md."""

from .clock import Clock, utc
from .server import Emulator, FaultPlan
from .world import DEFAULT_TOKEN, World
from .worlds import build

__all__ = ["Clock", "DEFAULT_TOKEN", "Emulator", "FaultPlan", "World", "build", "utc"]
