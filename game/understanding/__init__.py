"""Understanding the player: normalisation, the verb lexicon, the parser, agreement, ranking, intent."""
