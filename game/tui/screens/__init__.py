"""The TUI's screens: the game itself, and the modal and error screens around it."""
