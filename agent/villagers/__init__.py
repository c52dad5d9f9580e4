"""AI villagers in the style of Generative Agents (Park et al. 2023), sized for a 135M model on a CPU.

One module per idea: script (YAML village scripts), memory (records and
importance), retrieval, reflection, planning, dialogue, budget (call
counting), simulation, persistence (SQLite) and cli (`adventure villagers`).
"""
