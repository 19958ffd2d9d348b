"""The hubs' own clients behind one small interface: list a model's files with their published
sizes and hashes, fetch one file into a folder (the client resumes its partial file), and say
how many bytes its partial files hold (for progress)."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from typing import Any

from lora_studio.core import hubs

CHUNK_BYTES = 1024**2  # the client writes its partial file in pieces this big (default 10 MB)


@dataclass
class RemoteFile:
    name: str
    size: int
    sha256: str = ""  # published for large (LFS) files
    blob_id: str = ""  # git's blob hash, published for small files


class HubClient:
    """One hub's listing and fetching, through its own client library."""

    hub: hubs.Hub
    default_revision = "main"

    def __init__(self, hub: hubs.Hub, endpoint: str, token: str = "") -> None:
        self.hub = hub
        self.address = hub.address(endpoint)
        self.token = token or None

    def list_files(self, model_id: str, revision: str) -> tuple[str, list[RemoteFile]]:
        raise NotImplementedError

    def fetch(self, model_id: str, revision: str, name: str, output: str) -> None:
        raise NotImplementedError

    def partial_bytes(self, output: str) -> int:
        """Bytes in the client's unfinished files under ``output``."""
        raise NotImplementedError


class HuggingFaceClient(HubClient):
    def list_files(self, model_id: str, revision: str) -> tuple[str, list[RemoteFile]]:
        from huggingface_hub import HfApi

        info = HfApi(endpoint=self.address, token=self.token).model_info(
            model_id, revision=revision, files_metadata=True
        )
        files = [
            RemoteFile(
                sibling.rfilename,
                int(sibling.size or 0),
                (sibling.lfs.sha256 if sibling.lfs else "") or "",
                sibling.blob_id or "",
            )
            for sibling in info.siblings or []
        ]
        return info.sha or revision, files

    def fetch(self, model_id: str, revision: str, name: str, output: str) -> None:
        from huggingface_hub import constants, hf_hub_download

        constants.DOWNLOAD_CHUNK_SIZE = CHUNK_BYTES  # a killed download loses at most this much
        hf_hub_download(
            model_id, name, revision=revision, local_dir=output, endpoint=self.address,
            token=self.token,
        )  # fmt: skip

    def partial_bytes(self, output: str) -> int:
        pattern = os.path.join(output, ".cache", "huggingface", "download", "**", "*.incomplete")
        return sum(size_or_zero(path) for path in glob.glob(pattern, recursive=True))


class ModelScopeClient(HubClient):
    """``modelscope_hub`` (what ``modelscope`` 1.40 downloads through): its file list carries
    SHA-256 and size; ``download_file`` resumes ``NAME.incomplete`` beside the file with a range
    request and checks the hash itself."""

    default_revision = "master"

    def _api(self) -> Any:
        from modelscope_hub import HubApi

        return HubApi(endpoint=self.address, token=self.token)

    def list_files(self, model_id: str, revision: str) -> tuple[str, list[RemoteFile]]:
        entries = self._api().list_repo_files(model_id, "model", revision=revision)
        files = [
            RemoteFile(str(e.path), int(e.size or 0), str(e.sha256 or ""), "")
            for e in entries
            if not e.is_dir
        ]
        return revision, files

    def fetch(self, model_id: str, revision: str, name: str, output: str) -> None:
        self._api().download_file(
            model_id, "model", name, revision=revision, local_dir=output,
        )  # fmt: skip

    def partial_bytes(self, output: str) -> int:
        return sum(size_or_zero(p) for p in glob.glob(os.path.join(output, "*.incomplete")))


CLIENTS: dict[str, type[HubClient]] = {
    hubs.HUGGINGFACE: HuggingFaceClient,
    hubs.MODELSCOPE: ModelScopeClient,
}


def size_or_zero(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
