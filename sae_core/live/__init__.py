"""Live training: a run advanced in chunks on a background thread, pictured for pages by one controller."""

from .controller import LiveController, RunSetup
from .run import LiveSnapshot, TrainedModel

__all__ = ["LiveController", "LiveSnapshot", "RunSetup", "TrainedModel"]
