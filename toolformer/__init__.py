"""Toolformer (Schick et al. 2023) for the local model: sample, execute, filter, train, export, eval, run.

The game finds the shipped adapter through the runtime
(`agent.adapters.shipped_adapter_for`), which checks it against the model in
use; nothing in the game imports this package.
"""
