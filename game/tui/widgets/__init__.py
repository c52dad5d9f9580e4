"""The TUI's widgets, one per module. They render what they are given and post
messages for what the player does; none of them calls the game."""
