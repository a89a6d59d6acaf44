"""Measuring SAEs: metrics as the field defines them, one evaluation path, and per-latent statistics."""
