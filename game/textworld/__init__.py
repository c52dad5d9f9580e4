"""TextWorld games: import a tw-make game as a story, and play it differentially against TextWorld."""
