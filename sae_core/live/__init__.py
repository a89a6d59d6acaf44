"""Live training: a run advanced in chunks on a background thread, pictured for pages by one controller."""

from .controller import LiveController, RunSetup
from .job import LiveJob, LiveStatus
from .run import LiveSnapshot, TrainedModel

__all__ = ["LiveController", "LiveJob", "LiveSnapshot", "LiveStatus", "RunSetup", "TrainedModel"]
