"""GGUF files already on this machine, where people keep them: LM Studio's models folder and
Ollama's blob store (Ollama names its files by digest; its manifests say which blob is which
model). Only the names and sizes are read here; ``main.py import-gguf`` does the reading."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

GGUF_MAGIC = b"GGUF"
MODEL_LAYER = "application/vnd.ollama.image.model"
MAX_FILES = 500  # a folder of thousands is not a list anyone reads


@dataclass(frozen=True)
class FoundGGUF:
    name: str  # what to call it: the file's stem, or Ollama's model:tag
    path: str
    size: int
    source: str  # "lmstudio", "ollama" or "folder"


def lmstudio_dirs(home: Path) -> list[Path]:
    return [home / ".lmstudio" / "models", home / ".cache" / "lm-studio" / "models"]


def ollama_dir(home: Path, environ: dict[str, str]) -> Path:
    return (
        Path(environ["OLLAMA_MODELS"])
        if environ.get("OLLAMA_MODELS")
        else home / ".ollama" / "models"
    )


def find_ggufs(home: str | None = None, environ: dict[str, str] | None = None) -> list[FoundGGUF]:
    """Every GGUF in LM Studio's and Ollama's folders, largest first within each source."""
    base = Path(home) if home else Path.home()
    env = dict(os.environ if environ is None else environ)
    found: list[FoundGGUF] = []
    for folder in lmstudio_dirs(base):
        found.extend(ggufs_in(folder, "lmstudio"))
    found.extend(ollama_models(ollama_dir(base, env)))
    return found


def ggufs_in(folder: Path, source: str = "folder") -> list[FoundGGUF]:
    found = []
    try:
        paths = sorted(folder.rglob("*.gguf"))[:MAX_FILES]
    except OSError:
        return []
    for path in paths:
        if "mmproj" in path.name.lower():  # a vision projector, not a language model
            continue
        size = _size(path)
        if size is not None and _is_gguf(path):
            found.append(FoundGGUF(path.stem, str(path), size, source))
    return found


def ollama_models(models: Path) -> list[FoundGGUF]:
    """Ollama's models: each manifest names the blob (``sha256-…``) holding the GGUF."""
    manifests = models / "manifests"
    found = []
    try:
        files = sorted(p for p in manifests.rglob("*") if p.is_file())[:MAX_FILES]
    except OSError:
        return []
    for manifest in files:
        try:
            layers = json.loads(manifest.read_text(encoding="utf-8")).get("layers", [])
        except (OSError, ValueError, AttributeError):
            continue
        for layer in layers if isinstance(layers, list) else []:
            if not isinstance(layer, dict) or layer.get("mediaType") != MODEL_LAYER:
                continue
            digest = str(layer.get("digest", ""))
            blob = models / "blobs" / digest.replace(":", "-")
            size = _size(blob)
            if size is not None and _is_gguf(blob):
                parts = manifest.relative_to(manifests).parts
                name = f"{parts[-2]}:{parts[-1]}" if len(parts) >= 2 else manifest.name
                found.append(FoundGGUF(name, str(blob), size, "ollama"))
    return found


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size if path.is_file() else None
    except OSError:
        return None


def _is_gguf(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == GGUF_MAGIC
    except OSError:
        return False


def folder_name(found: FoundGGUF) -> str:
    """A model folder name for an import: letters, digits, dots and dashes."""
    cleaned = "".join(c if c.isalnum() or c in ".-_" else "-" for c in found.name).strip("-.")
    return cleaned.lower() or "imported-model"
