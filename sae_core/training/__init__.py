"""Training SAEs: the step-wise trainer, schedules, precision, presets and the L0–MSE frontier sweep."""
