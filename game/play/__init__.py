"""The turn loop and what it keeps: the session, SQLite saves, transcripts, the village in the game."""
