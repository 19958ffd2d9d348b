"""``main.py download``: fetch a model from a hub into a plain folder that training, chat and
merge read, through the hub's own client (``huggingface_hub``, ``modelscope``).

What this adds to the client: only the files a model needs (``core.hubs.wanted_files``), the
free disk space checked before the first byte, progress events (polled from the client's
partial files, so that any client version reports), every file checked against the size and
hash its hub publishes, a stop that keeps the partial file (the next run continues it with a
range request: the clients resume on their own), and one plain message per failure instead of
a minute of retries. The folder's ``lora_studio_source.json`` (``core.hubs.SOURCE_FILE``) says
where it came from and which files are complete and checked.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core import hubs
from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.messages import Text, say
from lora_studio.core.units import size
from lora_studio.engine.errors import EngineError
from lora_studio.engine.hub_clients import CLIENTS, HubClient, RemoteFile, size_or_zero
from lora_studio.engine.jobs import StopRequest

Emit = Callable[[ev.Event], None]
PROGRESS_SECONDS = 0.5
TOKEN_ENV = hubs.TOKEN_ENV
DISK_MARGIN = 64 * 1024**2  # what other programs may write meanwhile


# ---- the job -----------------------------------------------------------------------------------


def run_download(
    model_id: str,
    output: str,
    emit: Emit,
    source: str = "",
    endpoint: str = "",
    revision: str = "",
    stop: StopRequest | None = None,
    language: str = "",
) -> ev.Finished:
    """Download ``model_id`` into ``output``; returns the Finished event (``stopped`` when asked
    to stop, the partial file kept). Raises EngineError for every expected failure."""
    started = time.time()
    stop = stop or StopRequest()
    client = choose_hub(source, endpoint, language or os.environ.get("LANG", ""))
    revision = revision or client.default_revision
    from lora_studio.core.presets import id_on_hub

    requested, model_id = model_id, id_on_hub(model_id, client.hub.key)
    commit, remote = _list(client, model_id, revision)
    todo = _needed(remote, model_id, client)
    done = _verified(output, commit)
    files = [f for f in todo if done.get(f.name) != _identity(f)]
    _check_space(output, files, client)
    os.makedirs(output, exist_ok=True)
    record = _Record(
        output, requested, client, commit, {f.name: done[f.name] for f in todo if f.name in done}
    )
    progress = _Progress(emit, client.hub.name, todo, done, client, output)
    for index, item in enumerate(files):
        if not _fetch(client, model_id, commit, item, output, progress, stop):
            record.save(complete=False)
            return ev.Finished(
                status="stopped", output=os.path.abspath(output),
                duration_seconds=time.time() - started,
            )  # fmt: skip
        _check(output, item, client)
        record.files[item.name] = _identity(item)
        record.save(complete=index == len(files) - 1)
        progress.file_done(item)
    if not files:
        record.save(complete=True)
    progress.report(force=True)
    return ev.Finished(
        status="completed", output=os.path.abspath(output), duration_seconds=time.time() - started
    )


def choose_hub(source: str, endpoint: str, language: str) -> HubClient:
    """The chosen hub if it answers, else (Automatic) the first that does; a clear message in
    seconds when none does."""
    order = hubs.hub_order(language, source)
    supported = [key for key in order if key in CLIENTS]
    if not supported:
        raise EngineError(
            ev.ErrorKind.UNSUPPORTED,
            say("Downloads from {hub} are not supported yet.", hub=hubs.HUBS[order[0]].name),
            say("Choose Hugging Face, ModelScope or AI Studio as the download source."),
        )
    # a mirror is for the hub chosen; with Automatic, mirrors are of Hugging Face (hf-mirror.com)
    endpoints = {(source or hubs.HUGGINGFACE): endpoint} if endpoint else {}
    answers = hubs.answering(supported, endpoints)
    for key in supported:
        if not answers[key]:
            return CLIENTS[key](
                hubs.HUBS[key], endpoints.get(key, ""), os.environ.get(TOKEN_ENV.get(key, ""), "")
            )
    first = hubs.HUBS[supported[0]]
    others = [hubs.HUBS[k].name for k in hubs.HUBS if k not in supported]
    raise EngineError(
        ev.ErrorKind.NETWORK,
        say(
            "{hub} does not answer from this network ({address}: {reason}).",
            hub=first.name,
            address=first.address(endpoints.get(first.key, "")),
            reason=answers[supported[0]],
        ),  # fmt: skip
        say(
            "Check the connection, or give a mirror's address as the endpoint (such as "
            "https://hf-mirror.com), then download again. {others}",
            others=say("Not tried: {hubs}.", hubs=", ".join(others)) if others else "",
        ),
    )


def _list(client: HubClient, model_id: str, revision: str) -> tuple[str, list[RemoteFile]]:
    try:
        commit, files = client.list_files(model_id, revision)
    except Exception as exc:  # noqa: BLE001 - the client's failures, put into words
        error = _client_error(exc, client, model_id, "")
        if error.kind != ev.ErrorKind.INTERNAL:
            raise error from None
        raise not_a_listing(client, f"{type(exc).__name__}: {exc}") from None
    if not isinstance(commit, str) or not all(isinstance(f.name, str) for f in files):
        raise not_a_listing(client, "unexpected types")
    return commit, [f for f in files if f.size >= 0]


def not_a_listing(client: HubClient, why: str) -> EngineError:
    return EngineError(
        ev.ErrorKind.NETWORK,
        say(
            "{hub} ({address}) answered, but not with a model's file list.",
            hub=client.hub.name,
            address=client.address,
        ),  # fmt: skip
        say(
            "If the address is a mirror, check that it serves the Hugging Face API; else try "
            "again later."
        ),
        why,
    )


def _needed(remote: list[RemoteFile], model_id: str, client: HubClient) -> list[RemoteFile]:
    names = [f.name for f in remote]
    if not hubs.has_weights(names):
        raise EngineError(
            ev.ErrorKind.MODEL_NOT_FOUND,
            say(
                "{model} on {hub} has no weights the engine reads (safetensors, pdparams or "
                "PyTorch .bin).",
                model=model_id,
                hub=client.hub.name,
            ),  # fmt: skip
            say("It may be a GGUF-only or adapter-only repository: choose the base model's own."),
        )
    wanted = set(hubs.wanted_files(names))
    return [f for f in remote if f.name in wanted]


def _identity(item: RemoteFile) -> str:
    return f"{item.size}:{item.sha256 or item.blob_id}"


def _verified(output: str, commit: str) -> dict[str, str]:
    """Files a previous download of this commit completed and checked, still on disk whole."""
    data = hubs.read_source(output)
    if data.get("commit") != commit:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    return {
        name: identity
        for name, identity in files.items()
        if isinstance(identity, str)
        and size_or_zero(os.path.join(output, name)) == int(identity.split(":")[0] or -1)
    }


class _Record:
    def __init__(
        self, output: str, model_id: str, client: HubClient, commit: str, files: dict
    ) -> None:
        self.path = os.path.join(output, hubs.SOURCE_FILE)
        self.head = {
            "model_id": model_id, "hub": client.hub.key, "endpoint": client.address,
            "commit": commit,
        }  # fmt: skip
        self.files = files

    def save(self, complete: bool) -> None:
        data = dict(self.head, complete=complete, time=time.time(), files=self.files)
        write_text_atomic(self.path, json.dumps(data, indent=1, ensure_ascii=False))


def _free_space(path: str) -> int:
    folder = os.path.abspath(path)
    while not os.path.isdir(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return shutil.disk_usage(folder).free


def _check_space(output: str, files: list[RemoteFile], client: HubClient) -> None:
    have = client.partial_bytes(output) if os.path.isdir(output) else 0
    need = max(0, sum(f.size for f in files) - have)
    free = _free_space(output)
    if need + DISK_MARGIN > free:
        raise EngineError(
            ev.ErrorKind.DISK_FULL,
            say(
                "The model needs {need} more disk space in {folder}; that drive has {free} free.",
                need=size(need),
                folder=os.path.dirname(os.path.abspath(output)),
                free=size(free),
            ),  # fmt: skip
            say(
                "Free some space, or choose a models folder on another drive, then download again."
            ),
        )


def _fetch(
    client: HubClient, model_id: str, commit: str, item: RemoteFile, output: str,
    progress: _Progress, stop: StopRequest,
) -> bool:  # fmt: skip
    """Fetch one file in a thread, reporting as it grows; False when stopped (partial kept)."""
    failure: list[BaseException] = []

    def work() -> None:
        try:
            client.fetch(model_id, commit, item.name, output)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            failure.append(exc)

    worker = threading.Thread(target=work, name=f"download {item.name}", daemon=True)
    progress.start_file(item)
    worker.start()
    while worker.is_alive():
        worker.join(PROGRESS_SECONDS)
        if stop.is_set():
            progress.report(force=True)
            return False  # the daemon thread dies with the process; its partial file stays
        progress.report()
    if failure:
        raise _client_error(failure[0], client, model_id, item.name, progress) from None
    return True


def _check(output: str, item: RemoteFile, client: HubClient) -> None:
    """The file as its hub publishes it: size first, then the hash, or it is deleted."""
    path = os.path.join(output, item.name)
    actual = size_or_zero(path)
    problem = ""
    if item.size and actual != item.size:
        problem = say(
            "it has {actual} bytes where the hub lists {size}", actual=actual, size=item.size
        )
    elif item.sha256 and _digest(path, "sha256") != item.sha256.lower():
        problem = say("its SHA-256 differs from the one the hub publishes")
    elif not item.sha256 and item.blob_id and _digest(path, "git") != item.blob_id.lower():
        problem = say("its git hash differs from the one the hub publishes")
    if problem:
        os.remove(path)
        raise _damaged(item.name, client.hub.name, problem)


def _damaged(file: str, hub: str, problem: Text, detail: str = "") -> EngineError:
    return EngineError(
        ev.ErrorKind.BAD_MODEL_FILE,
        say(
            "{file} arrived damaged from {hub}: {problem}. It was deleted.",
            file=file,
            hub=hub,
            problem=problem,
        ),  # fmt: skip
        _download_again(),
        detail,
    )


def _download_again() -> Text:
    return say(
        "Download again. If it happens again, the hub or the mirror serves a broken copy: try "
        "another source."
    )


def _digest(path: str, kind: str) -> str:
    digest = hashlib.sha256() if kind == "sha256" else hashlib.sha1()  # noqa: S324 - git's own
    if kind == "git":
        digest.update(b"blob %d\0" % os.path.getsize(path))
    with open(path, "rb") as handle:
        while block := handle.read(8 * 1024**2):
            digest.update(block)
    return digest.hexdigest()


class _Progress:
    """Download events at most twice a second: bytes of the file and of the whole job."""

    def __init__(
        self, emit: Emit, hub: str, todo: list[RemoteFile], done: dict[str, str],
        client: HubClient, output: str,
    ) -> None:  # fmt: skip
        self.emit, self.hub, self.client, self.output = emit, hub, client, output
        self.total = sum(f.size for f in todo)
        self.finished_bytes = sum(f.size for f in todo if done.get(f.name) == _identity(f))
        self.files_total = len(todo)
        self.files_done = sum(1 for f in todo if done.get(f.name) == _identity(f))
        self.current: RemoteFile | None = None
        self.resumed = 0
        self.last = 0.0
        self.window: deque[tuple[float, int]] = deque(maxlen=20)

    def start_file(self, item: RemoteFile) -> None:
        self.current = item
        self.resumed += self.client.partial_bytes(self.output)
        self.report(force=True)

    def file_done(self, item: RemoteFile) -> None:
        self.finished_bytes += item.size
        self.files_done += 1
        self.current = None

    def file_bytes(self) -> int:
        return min(self.client.partial_bytes(self.output), self.current.size if self.current else 0)

    def report(self, force: bool = False) -> None:
        now = time.time()
        if not force and now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        current = self.file_bytes()
        done = self.finished_bytes + current
        self.window.append((now, done))
        first_time, first_done = self.window[0]
        speed = (done - first_done) / (now - first_time) if now > first_time else 0.0
        eta = (self.total - done) / speed if speed > 0 else None
        self.emit(
            ev.Download(
                file=self.current.name if self.current else "",
                file_bytes=current,
                file_total=self.current.size if self.current else 0,
                done_bytes=done,
                total_bytes=self.total,
                files_done=self.files_done,
                files_total=self.files_total,
                bytes_per_second=speed,
                eta_seconds=eta,
                resumed_bytes=self.resumed,
                hub=self.hub,
            )  # fmt: skip
        )


def _client_error(
    exc: BaseException, client: HubClient, model_id: str, name: str, progress: Any = None
) -> EngineError:
    """A client's exception as what happened and what to do."""
    from lora_studio.engine.errors import classify

    status = getattr(getattr(exc, "response", None), "status_code", None)
    kind = type(exc).__name__
    hub = client.hub.name
    if kind in ("RepositoryNotFoundError", "RevisionNotFoundError") or (status == 404 and not name):
        return EngineError(
            ev.ErrorKind.MODEL_NOT_FOUND,
            say("{hub} has no model {model}.", hub=hub, model=model_id),
            say("Check the name (Organisation/Model, as on the model's page), or try another hub."),
            str(exc),
        )
    if kind == "GatedRepoError" or status in (401, 403):
        return EngineError(
            ev.ErrorKind.MODEL_NOT_FOUND,
            say(
                "{hub} does not let this computer download {model}: it is gated or private.",
                hub=hub,
                model=model_id,
            ),  # fmt: skip
            say(
                "Accept the model's licence on its page, then give an access token (Models → "
                "Access tokens…, or the HF_TOKEN environment variable) and download again."
            ),
            str(exc),
        )
    if kind == "FileIntegrityError":  # modelscope_hub's own hash check
        return _damaged(
            name or model_id, hub, say("its SHA-256 differs from the one the hub publishes"),
            str(exc),
        )  # fmt: skip
    if "Consistency check failed" in str(exc):  # the client's own size check
        return EngineError(
            ev.ErrorKind.BAD_MODEL_FILE,
            say(
                "{file} arrived from {hub} with another size than the hub lists.",
                file=name or model_id,
                hub=hub,
            ),  # fmt: skip
            _download_again(),
            str(exc),
        )
    if _is_network(exc):
        where = name or model_id
        got = progress.file_bytes() if progress is not None and name else 0
        return EngineError(
            ev.ErrorKind.NETWORK,
            say(
                "The connection to {hub} broke while fetching {file} ({got} of {total} kept).",
                hub=hub,
                file=where,
                got=size(got),
                total=size(progress.current.size if progress and progress.current else 0),
            ),
            say("Download again when the network is back: it continues where it stopped."),
            str(exc),
        )
    return classify(exc)


def _is_network(exc: BaseException) -> bool:
    import requests

    try:
        import urllib3.exceptions as u3
    except ImportError:  # pragma: no cover - requests brings urllib3
        u3 = None
    network = (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
               requests.exceptions.ChunkedEncodingError, ConnectionError, TimeoutError)  # fmt: skip
    if u3 is not None:
        network += (u3.HTTPError,)
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            return False
        if isinstance(seen, network):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
