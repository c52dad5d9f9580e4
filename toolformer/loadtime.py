"""`adapter_load_s`: what the shipped adapter adds to start-up, as the issue measures it.

Runs `adventure model info` (a fresh process each time, so no cache of this
process helps) with the adapter and with `--no-lora`, `runs` times each,
interleaved, and reports the median of each and their difference.

Deliberately left out: the TUI's start-up (it loads the same backend the same way).
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time


def _once(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; from game.cli import main; sys.exit(main())", *args],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def adapter_load_seconds(model: str | None = None, adapter: str | None = None, runs: int = 5,
                         threads: int = 1) -> dict:
    common = ["model", "info", "--threads", str(threads)] + (["--model", model] if model else [])
    with_lora = common + (["--lora", adapter] if adapter else [])
    a, b = [], []
    for _ in range(runs):
        a.append(_once(with_lora))
        b.append(_once(common + ["--no-lora"]))
    return {"with_adapter_s": round(statistics.median(a), 3), "without_s": round(statistics.median(b), 3),
            "adapter_load_s": round(statistics.median(a) - statistics.median(b), 3), "runs": runs}
