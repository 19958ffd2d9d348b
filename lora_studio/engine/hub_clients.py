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


class AIStudioClient(HubClient):
    """``aistudio_sdk`` (0.3.x, which PaddleFormers brings): AI Studio's git service speaks
    Gitea's API. The tree lists the files; each file's ``contents`` entry carries its size and
    SHA-256; ``media/PATH`` serves it with ranges, into ``._tmp/PATH`` beside the folder, which
    the SDK resumes. ``STUDIO_GIT_HOST`` points the SDK elsewhere (read at every call).

    Not the SDK's ``model_file_download``: it first posts a usage report to
    aistudio.baidu.com (a fixed address, without a timeout) and waits for it. ``fetch`` calls
    the pieces it is made of (file information, then ``download_file``). The SDK prints a failed
    download instead of raising it: a ``None`` result is turned into an error here."""

    default_revision = "master"

    def _point(self) -> None:
        os.environ["STUDIO_GIT_HOST"] = self.address
        if self.token:
            os.environ["AISTUDIO_ACCESS_TOKEN"] = self.token

    def list_files(self, model_id: str, revision: str) -> tuple[str, list[RemoteFile]]:
        from aistudio_sdk.snapshot_download import get_model_files

        self._point()
        if model_id.count("/") != 1:
            raise FileNotFoundError(f"not an Owner/Model name: {model_id}")
        try:
            entries, _revision = get_model_files(model_id, revision=revision, token=self.token)
        except Exception as exc:
            if type(exc).__name__ == "NotExistError":
                raise RepositoryNotFoundError(str(exc)) from exc
            raise
        names = [str(e["path"]) for e in entries if e.get("type", "blob") == "blob"]
        files = []
        # the tree's sizes are git's (an LFS pointer's): each needed file's own entry says more
        for name in hubs.wanted_files(names):
            info = self._info(model_id, name, revision)
            files.append(
                RemoteFile(
                    str(info["path"]), int(info.get("size") or 0), str(info.get("Sha256") or "")
                )
            )
        return revision, files

    def fetch(self, model_id: str, revision: str, name: str, output: str) -> None:
        from urllib.parse import quote

        from aistudio_sdk.file_download import (
            create_temporary_directory_and_cache,
            download_file,
        )

        self._point()
        info = self._info(model_id, name, revision)
        # Without its hash: the SDK's own check deletes a damaged file and only prints why;
        # the download checks the SHA-256 of the listing itself and says so.
        meta = {key: value for key, value in info.items() if key != "Sha256"}
        temporary, cache = create_temporary_directory_and_cache(model_id, local_dir=output)
        owner, repo = (quote(part.strip(), safe="") for part in model_id.split("/"))
        url = f"{self.address}/api/v1/repos/{owner}/{repo}/media/{quote(name, safe='')}"
        if revision != "master":
            url += f"?ref={quote(revision, safe='')}"  # as the SDK's _repo_file_download
        done = download_file(url, meta, temporary, cache, disable_tqdm=True, token=self.token)
        partial = os.path.join(temporary, name)
        if not done and size_or_zero(partial) == int(meta.get("size") or -1):
            # aistudio_sdk 0.3.9: a resumed download returns no digest, which download_file
            # takes for a failure, so a resumed file would never be finished: put it in place
            # (the download checks its SHA-256 next)
            done = cache.put_file(meta, partial)
        if not done or not os.path.isfile(os.path.join(output, name)):
            raise ConnectionError(f"AI Studio's download of {name} did not complete")

    def _info(self, model_id: str, name: str, revision: str) -> dict:
        """One file's entry; the SDK answers a refusal with an error dict, not an exception."""
        from aistudio_sdk.file_download import get_git_info

        info = get_git_info(model_id, name, revision, self.token)
        if isinstance(info, dict) and "path" in info:
            return info
        status = info.get("biz_code") if isinstance(info, dict) else None
        raise _Refused(status if isinstance(status, int) else None, f"{name}: {info}")

    def partial_bytes(self, output: str) -> int:
        pattern = os.path.join(output, "._tmp", "**", "*")
        return sum(
            size_or_zero(path)
            for path in glob.glob(pattern, recursive=True)
            if os.path.isfile(path) and not path.endswith(".lock")  # the SDK's PID lock
        )


class _Refused(ConnectionError):
    """A file's entry refused (401/403: gated or private) or missing, with the HTTP status."""

    def __init__(self, status: int | None, text: str) -> None:
        super().__init__(text)
        self.response = type("Response", (), {"status_code": status})()


class RepositoryNotFoundError(Exception):
    """AI Studio has no such model: named as huggingface_hub's, which the download's messages
    know (download._client_error)."""


CLIENTS: dict[str, type[HubClient]] = {
    hubs.HUGGINGFACE: HuggingFaceClient,
    hubs.MODELSCOPE: ModelScopeClient,
    hubs.AISTUDIO: AIStudioClient,
}


def size_or_zero(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
