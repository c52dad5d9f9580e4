"""The Textual terminal UI: `adventure play [STORY] [--model PATH] [--no-images] [--load SAVE]`.

Layout of the package:

  cli.py          the `play` and `bench tui` subcommands (lazy imports: fast start)
  app.py          AdventureApp: screens, key bindings, command palette, resume offer
  controller.py   GameController: the only code that calls GameSession (no widgets)
  lazy_backend.py a Backend that loads the model in the background
  messages.py     Textual messages for engine events (posted from thread workers)
  widgets/        one widget per module; they render, they decide nothing
  screens/        game, load, save, help, error, resume, menu
  adventure.tcss  all styling

Scene pictures come from `game.images` (the GameScreen asks for the engine's
scene prompt after each turn and draws it in a thread worker; a cached one is
shown at once).

Deliberately left out: mouse-only features beyond clicking choices, and
themes beyond Textual's own.
"""
