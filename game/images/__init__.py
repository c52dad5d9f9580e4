"""Scene images: a small diffusion model of our own draws every scene of the game.

Modules, one idea each: `vocabulary` (what the bundled model can draw), `sprites`
and `backgrounds` (the training images' parts; `backgrounds_v2` the redrawn
settings), `dataset` (captioned scenes), `text_encoder` (frozen SmolLM2 hidden
states), `pipeline` (the diffusers pipeline), `train`, `latent`, `warm_start`
(fine-tuning from earlier weights), `judge`, `evaluate`, `cli` (`adventure images ...`).

Importing this package is cheap; torch and diffusers load inside the modules
that need them.
"""
