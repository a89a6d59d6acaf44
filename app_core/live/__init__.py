"""Live training: a job advanced in chunks on a background thread, pictured for pages by one controller.

The generic part (`JobController`, `LiveJob`, `LiveStatus`) never imports torch; the SAE part
(`LiveController`, `LiveSnapshot`, `RunSetup`, `TrainedModel`) does, so it is loaded on first use:
a page that only animates a numpy job stays free of torch.
"""

from importlib import import_module

from app_core.live.job import LiveJob, LiveStatus
from app_core.live.job_controller import JobController
from app_core.live.run_cache import RunCache

_SAE_PART = {"LiveController": ".controller", "RunSetup": ".controller", "LiveSnapshot": ".run",
             "TrainedModel": ".run"}

__all__ = ["JobController", "LiveController", "LiveJob", "LiveSnapshot", "LiveStatus", "RunCache", "RunSetup", "TrainedModel"]


def __getattr__(name: str):
    if name in _SAE_PART:
        return getattr(import_module(_SAE_PART[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
