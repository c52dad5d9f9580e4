"""AI villagers in the style of Generative Agents (Park et al. 2023), sized for a 135M model on a CPU.

One module per idea: script (YAML village scripts), memory (records and
importance), salience (importance floors), retrieval, reflection, planning,
dialogue and answers, encounters (what villagers meet in a step), reactions
(what new memories set off), budget (call counting), simulation (the step),
persistence (SQLite), replay, eval, eval_questions, scale, probes and cli
(`adventure villagers`).
"""
