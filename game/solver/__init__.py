"""The solver: search a story's states with the engine itself, prove it winnable, find softlocks."""
