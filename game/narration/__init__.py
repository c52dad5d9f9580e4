"""Narration: the model retells the engine's events; every sentence is checked against the facts first."""
