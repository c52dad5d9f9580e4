"""The world model and its rules: the story schema, the mutable state, the engine and one handler per verb."""
