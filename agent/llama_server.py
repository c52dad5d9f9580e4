"""llama.cpp's own HTTP server (`llama-server`): found or built, then started on 127.0.0.1.

The village's scale-out backend: `llama-server --parallel N` keeps N slots
and batches their tokens together (continuous batching), so N concurrent
requests cost far less than N sequential ones. It speaks the OpenAI API that
`agent.openai_backend.OpenAICompatBackend` talks.

- `find()`: $ADVENTURE_LLAMA_SERVER, a `llama-server` on PATH, or the one
  `build()` left in the cache (~/.cache/adventure/llama-server/VERSION/).
- `build()`: llama.cpp's source is the one inside the llama-cpp-python sdist
  of the installed version (fetched from the package registry with `pip
  download`), so the server and the in-process backend run the same llama.cpp.
  CMake builds only the `llama-server` target (no web UI, no curl/SSL);
  progress is shown as a bar. About 15 min on 2 cores, once.
- `LlamaServer(model, parallel=N)`: a context manager that starts the server
  on a free port of 127.0.0.1, waits for /health and stops it (SIGTERM, then
  SIGKILL) on exit. The project's buffer policy applies: on a CPU that
  reports AMX the server gets `--no-repack` (llama_process.extra_buffers_allowed).

Deliberately left out: GPU builds (pass your own binary with
$ADVENTURE_LLAMA_SERVER, or point `--server` at vLLM), embeddings (a server
started for generation refuses /v1/embeddings; the village's retrieval falls
back to BM25+ and says so), and Windows.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

from .files import replacing

log = logging.getLogger(__name__)
ENV = "ADVENTURE_LLAMA_SERVER"


class ServerError(RuntimeError):
    """llama-server could not be found, built or started; the message says why and what to do."""


def llama_cpp_version() -> str:
    from importlib.metadata import version

    return version("llama_cpp_python")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "adventure" / "llama-server" / llama_cpp_version()


def find() -> Path | None:
    explicit = os.environ.get(ENV)
    if explicit:
        path = Path(explicit)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise ServerError(f"${ENV}={explicit} is not an executable file")
        return path
    on_path = shutil.which("llama-server")
    if on_path:
        return Path(on_path)
    cached = cache_dir() / "llama-server"
    return cached if cached.is_file() else None


def _fetch_source(work: Path) -> Path:
    version = llama_cpp_version()
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--quiet", "-d", str(work),
           f"llama-cpp-python=={version}"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    archives = sorted(work.glob("llama_cpp_python-*.tar.gz"))
    if done.returncode or not archives:
        raise ServerError(f"could not fetch llama-cpp-python {version}'s source: {done.stderr.strip()[-400:]}")
    with tarfile.open(archives[0]) as tar:
        tar.extractall(work, filter="data")
    source = work / archives[0].name[:-len(".tar.gz")] / "vendor" / "llama.cpp"
    if not (source / "tools" / "server").is_dir():
        raise ServerError(f"{archives[0].name} holds no llama.cpp server source")
    return source


def build(jobs: int | None = None, progress: bool = True) -> Path:
    """Build llama-server from the installed llama-cpp-python version's own llama.cpp; returns its path."""
    from tqdm import tqdm

    if shutil.which("cmake") is None:
        raise ServerError("building llama-server needs cmake and a C++ compiler (apt-get install cmake g++)")
    dest = cache_dir()
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="llama-server-") as tmp:
        work = Path(tmp)
        source = _fetch_source(work)
        build_dir = work / "build"
        configure = ["cmake", "-S", str(source), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                     "-DBUILD_SHARED_LIBS=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF",
                     "-DLLAMA_BUILD_SERVER=ON", "-DLLAMA_BUILD_TOOLS=ON", "-DLLAMA_BUILD_UI=OFF",
                     "-DLLAMA_USE_PREBUILT_UI=OFF", "-DLLAMA_CURL=OFF", "-DLLAMA_OPENSSL=OFF"]
        done = subprocess.run(configure, capture_output=True, text=True)
        if done.returncode:
            raise ServerError(f"cmake configure failed: {done.stderr.strip()[-600:]}")
        command = ["cmake", "--build", str(build_dir), "--target", "llama-server",
                   "-j", str(jobs or os.cpu_count() or 1)]
        tail: list[str] = []
        with tqdm(total=100, desc="building llama-server", unit="%", disable=not progress, file=sys.stderr) as bar, \
                subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
            for line in proc.stdout:
                tail = (tail + [line.rstrip()])[-20:]
                m = re.match(r"\[\s*(\d+)%\]", line)
                if m and int(m.group(1)) > bar.n:
                    bar.update(int(m.group(1)) - bar.n)
        if proc.returncode:
            raise ServerError("building llama-server failed:\n" + "\n".join(tail))
        binary = build_dir / "bin" / "llama-server"
        target = dest / "llama-server"
        with replacing(target) as tmp:
            shutil.copy2(binary, tmp)
    log.info("llama-server built into %s", target)
    return target


def ensure(progress: bool = True) -> Path:
    return find() or build(progress=progress)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """`with LlamaServer(model_path, parallel=8) as server: OpenAICompatBackend(server.url)`."""

    def __init__(self, model: str | Path, parallel: int = 4, ctx_per_slot: int = 2048, threads: int | None = None,
                 binary: Path | None = None, port: int | None = None, log_path: Path | None = None) -> None:
        from .llama_process import extra_buffers_allowed

        self.binary = binary or find()
        if self.binary is None:
            raise ServerError("no llama-server: run `adventure model build-server` (builds it once), put one on "
                              f"PATH, or set ${ENV}")
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.command = [str(self.binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(self.port),
                        "--parallel", str(parallel), "--cont-batching", "-c", str(ctx_per_slot * parallel),
                        "--threads", str(threads or os.cpu_count() or 1), "--no-webui"]
        if not extra_buffers_allowed():
            self.command.append("--no-repack")
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout_s: float = 120.0) -> "LlamaServer":
        out = open(self.log_path, "w") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"llama-server exited with code {self.process.returncode} while starting"
                                  + (f" (log: {self.log_path})" if self.log_path else ""))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise ServerError(f"llama-server did not become healthy within {timeout_s:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """Die at once, the way a crashed server does (tests of the village's recovery)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "LlamaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
