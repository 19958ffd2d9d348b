"""A model hub on 127.0.0.1 that speaks what the real ``huggingface_hub`` client asks of
huggingface.co: the model-info API (with file sizes, LFS SHA-256 and git blob ids), HEAD and GET
on ``/{repo}/resolve/{revision}/{file}`` with the X-Repo-Commit / X-Linked-Etag / X-Linked-Size
headers, range requests, and the X-Error-Code header for missing repositories.

The tests point the client at it through its endpoint setting. It can damage a file, lie about
a size, serve slowly and count what it served (to see a resumed download continue), or go away
in the middle of a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 - git's


@dataclass
class Repo:
    repo_id: str
    files: dict[str, bytes]
    lfs: tuple[str, ...] = (".safetensors", ".bin", ".pdparams", ".gguf")
    published_size: dict[str, int] = field(default_factory=dict)  # lie about a size
    served: dict[str, bytes] = field(default_factory=dict)  # serve other bytes than published

    @classmethod
    def from_folder(cls, repo_id: str, folder: str) -> Repo:
        files = {}
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = os.path.join(root, name)
                rel = os.path.relpath(path, folder).replace(os.sep, "/")
                if rel.startswith("."):
                    continue
                with open(path, "rb") as handle:
                    files[rel] = handle.read()
        return cls(repo_id, files)

    def is_lfs(self, name: str) -> bool:
        return name.endswith(self.lfs)

    def size(self, name: str) -> int:
        return self.published_size.get(name, len(self.files[name]))

    def body(self, name: str) -> bytes:
        return self.served.get(name, self.files[name])

    def sibling(self, name: str) -> dict:
        data = self.files[name]
        entry = {"rfilename": name, "size": self.size(name), "blobId": git_blob_id(data)}
        if self.is_lfs(name):
            entry["lfs"] = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": self.size(name),
                "pointerSize": 134,
            }
        return entry


class HubServer:
    def __init__(self, *repos: Repo) -> None:
        self.repos = {repo.repo_id: repo for repo in repos}
        self.bytes_served: dict[str, int] = {}
        self.ranges: list[tuple[str, int]] = []  # (file, first byte) of each GET
        self.delay_per_chunk = 0.0  # seconds per CHUNK bytes: a slow line
        self.chunk = 64 * 1024
        self.die_after: int | None = None  # bytes of one file, then the server goes away
        self.info_body: bytes | None = None  # answer the model-info API with these bytes
        self.gated: dict[str, str] = {}  # repo id -> the token it needs (else 401 GatedRepo)
        self.authorizations: list[str | None] = []  # the Authorization header of each request
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> HubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
                self._respond(head=True)

            def do_GET(self) -> None:  # noqa: N802
                self._respond(head=False)

            def _error(self, status: int, code: str) -> None:
                self.send_response(status)
                self.send_header("X-Error-Code", code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _gated(self, repo_id: str) -> bool:
                """A gated repository without its token: answered as huggingface.co does."""
                token = server.gated.get(repo_id)
                if token is None or self.headers.get("Authorization") == f"Bearer {token}":
                    return False
                self._error(401, "GatedRepo")
                return True

            def _respond(self, head: bool) -> None:
                path = urllib.parse.urlsplit(self.path).path
                server.authorizations.append(self.headers.get("Authorization"))
                if path in ("", "/"):
                    self._json({"hub": "test"}, head)
                    return
                if path.startswith("/api/v1/repos/"):  # AI Studio's git service (Gitea's API)
                    self._gitea(path[len("/api/v1/repos/") :], head)
                    return
                if path.startswith("/api/v1/"):  # ModelScope's API
                    self._modelscope(path[len("/api/v1/") :], head)
                    return
                if path.startswith("/api/models/"):
                    self._model_info(path[len("/api/models/") :], head)
                    return
                parts = path.strip("/").split("/")
                if len(parts) >= 5 and parts[2] == "resolve":
                    repo = server.repos.get("/".join(parts[:2]))
                    name = "/".join(parts[4:])
                    if self._gated("/".join(parts[:2])):
                        return
                    if repo is None:
                        self._error(401, "RepoNotFound")
                    elif name not in repo.files:
                        self._error(404, "EntryNotFound")
                    else:
                        self._file(repo, name, head)
                    return
                self._error(404, "RepoNotFound")

            def _modelscope(self, rest: str, head: bool) -> None:
                """``models/{id}/repo/files`` lists (Path, Size, Sha256); ``models/{id}/repo
                ?FilePath=`` serves a file; anything else (the acceleration probe) is 404."""
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                parts = rest.split("/")
                repo = server.repos.get("/".join(parts[1:3])) if len(parts) >= 4 else None
                if parts[0] != "models" or len(parts) < 4 or parts[3] != "repo":
                    self._error(404, "NotFound")
                elif repo is None:
                    missing = {"Code": 10010205001, "Message": "model not found", "Success": False}
                    self._json(missing, head, 404)
                elif parts[4:] == ["files"]:
                    files = [
                        {"Name": name.rsplit("/", 1)[-1], "Path": name, "Type": "blob",
                         "Size": repo.size(name), "Sha256": repo.sibling(name).get("lfs", {}).get(
                            "sha256") or hashlib.sha256(repo.files[name]).hexdigest(),
                         "Revision": COMMIT}
                        for name in sorted(repo.files)
                    ]  # fmt: skip
                    self._json({"Code": 200, "Data": {"Files": files}, "Success": True}, head)
                elif query.get("FilePath") in repo.files:
                    self._file(repo, query["FilePath"], head)
                else:
                    self._error(404, "EntryNotFound")

            def _gitea(self, rest: str, head: bool) -> None:
                """``OWNER/REPO/git/trees/REV`` lists blobs (git's sizes: an LFS file's pointer);
                ``contents/PATH`` gives one file's size and ``Sha256``; ``media/PATH`` serves it
                (ranges honoured); ``tags/REV`` is 404 (no tags). Paths arrive %-quoted."""
                parts = rest.split("/")
                token = server.gated.get("/".join(parts[:2]))
                if token and self.headers.get("Authorization") != f"token {token}":
                    self._error(403, "Forbidden")  # a private repository, as Gitea says it
                    return
                repo = server.repos.get("/".join(parts[:2])) if len(parts) >= 4 else None
                what, arg = (
                    (parts[2], urllib.parse.unquote("/".join(parts[3:]))) if repo else ("", "")
                )
                if what == "git" and arg.startswith("trees/"):
                    tree = [
                        {"path": name, "type": "blob", "sha": git_blob_id(repo.files[name]),
                         "size": 134 if repo.is_lfs(name) else repo.size(name)}
                        for name in sorted(repo.files)
                    ]  # fmt: skip
                    url = f"{server.url}/api/v1/repos/{repo.repo_id}/git/trees/{COMMIT}"
                    self._json({"sha": COMMIT, "url": url, "tree": tree, "truncated": False,
                                "page": 1, "total_count": len(tree)}, head)  # fmt: skip
                elif what == "contents" and arg in repo.files:
                    data = repo.files[arg]
                    self._json({"name": arg.rsplit("/", 1)[-1], "path": arg, "type": "file",
                                "sha": git_blob_id(data), "size": repo.size(arg),
                                "Sha256": hashlib.sha256(data).hexdigest()}, head)  # fmt: skip
                elif what == "media" and arg in repo.files:
                    self._file(repo, arg, head)
                else:
                    self._json({"message": "The target couldn't be found."}, head, 404)

            def _json(self, data: object, head: bool, status: int = 200) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def _model_info(self, rest: str, head: bool) -> None:
                if server.info_body is not None:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(server.info_body)))
                    self.end_headers()
                    if not head:
                        self.wfile.write(server.info_body)
                    return
                repo_id = rest.split("/revision/")[0]
                if self._gated(repo_id):
                    return
                repo = server.repos.get(repo_id)
                if repo is None:
                    self._error(401, "RepoNotFound")
                    return
                self._json(
                    {
                        "id": repo.repo_id,
                        "modelId": repo.repo_id,
                        "sha": COMMIT,
                        "siblings": [repo.sibling(name) for name in sorted(repo.files)],
                    },
                    head,
                )

            def _file(self, repo: Repo, name: str, head: bool) -> None:
                data = repo.body(name)
                sibling = repo.sibling(name)
                etag = sibling["lfs"]["sha256"] if repo.is_lfs(name) else sibling["blobId"]
                start, end = 0, len(data) - 1
                header = self.headers.get("Range", "")
                if header.startswith("bytes=") and not head:
                    first, _, last = header[len("bytes=") :].partition("-")
                    start = int(first or 0)
                    end = min(end, int(last)) if last else end
                data = data[: end + 1]  # a closed range ends there (AI Studio's SDK asks 0-1)
                self.send_response(206 if start or header else 200)
                self.send_header("X-Repo-Commit", COMMIT)
                self.send_header("ETag", f'"{etag}"')
                if repo.is_lfs(name):
                    self.send_header("X-Linked-Etag", f'"{etag}"')
                    self.send_header("X-Linked-Size", str(repo.size(name)))
                self.send_header("Accept-Ranges", "bytes")
                if start or header:
                    total = len(repo.body(name))
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{total}")
                self.send_header("Content-Length", str(len(data) - start))
                self.end_headers()
                if head:
                    return
                with server.lock:
                    server.ranges.append((name, start))
                sent = start
                while sent < len(data):
                    piece = data[sent : sent + server.chunk]
                    if server.die_after is not None and sent + len(piece) > server.die_after:
                        piece = data[sent : server.die_after]
                        self.wfile.write(piece)
                        self.wfile.flush()
                        server._count(name, len(piece))
                        threading.Thread(target=server.close, daemon=True).start()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    try:
                        self.wfile.write(piece)
                    except OSError:
                        return
                    server._count(name, len(piece))
                    sent += len(piece)
                    if server.delay_per_chunk:
                        time.sleep(server.delay_per_chunk)

        return Handler

    def _count(self, name: str, count: int) -> None:
        with self.lock:
            self.bytes_served[name] = self.bytes_served.get(name, 0) + count
