"""The model hubs a download can come from, which one to try first, and which of a model
repository's files a fine-tune needs. Plain Python: the engine downloads, the GUI chooses.
"""

from __future__ import annotations

import fnmatch
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from lora_studio.core.messages import Text, say

HUGGINGFACE = "huggingface"
MODELSCOPE = "modelscope"
AISTUDIO = "aistudio"


@dataclass(frozen=True)
class Hub:
    key: str
    name: str  # the hub's own name, the same in every language
    endpoint: str  # the default address
    endpoint_env: str  # the variable its client reads for another address (a mirror)

    def address(self, endpoint: str = "") -> str:
        """The address in use: one given, else the client's variable, else the default."""
        chosen = endpoint or os.environ.get(self.endpoint_env, "") or self.endpoint
        if "://" not in chosen:
            chosen = "https://" + chosen
        return chosen.rstrip("/")


HUBS: dict[str, Hub] = {
    HUGGINGFACE: Hub(HUGGINGFACE, "Hugging Face", "https://huggingface.co", "HF_ENDPOINT"),
    MODELSCOPE: Hub(MODELSCOPE, "ModelScope", "https://www.modelscope.cn", "MODELSCOPE_DOMAIN"),
    # models download from AI Studio's git service, which aistudio_sdk finds by STUDIO_GIT_HOST
    AISTUDIO: Hub(AISTUDIO, "AI Studio", "https://git.aistudio.baidu.com", "STUDIO_GIT_HOST"),
}


def hub_order(language: str = "", chosen: str = "") -> list[str]:
    """The hubs to try, best first: the chosen one alone, else by the user's language (mainland
    China reaches ModelScope and AI Studio; Hugging Face often does not answer there)."""
    if chosen in HUBS:
        return [chosen]
    if language.replace("-", "_").lower().startswith("zh"):
        return [MODELSCOPE, AISTUDIO, HUGGINGFACE]
    return [HUGGINGFACE, MODELSCOPE, AISTUDIO]


# ---- which files a model needs --------------------------------------------------------------

NEEDED_FILES = (
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "tokenizer.model",
    "spm.model",
    "vocab.json",
    "vocab.txt",
    "merges.txt",
    "special_tokens_map.json",
    "added_tokens.json",
    "chat_template.jinja",
    "chat_template.json",
    "LICENSE",
    "LICENSE.txt",
    "README.md",
)
# Weight formats in order of preference: the first one a repository has is the one fetched, so
# that a repository publishing safetensors and .bin copies costs one copy, not two.
WEIGHT_FORMATS = (
    ("*.safetensors", "model.safetensors.index.json"),
    ("*.pdparams", "model_state.pdparams.index.json"),
    ("pytorch_model*.bin", "pytorch_model.bin.index.json"),
)


def wanted_files(names: list[str]) -> list[str]:
    """The files of a repository that training, chat and merge read: configuration, tokenizer,
    licence and one copy of the weights. Sub-folders (onnx/, original/, gguf/) are left out."""
    top = [name for name in names if _plain_name(name)]
    chosen = [name for name in top if name in NEEDED_FILES]
    for pattern, index in WEIGHT_FORMATS:
        weights = [name for name in top if fnmatch.fnmatch(name, pattern)]
        if weights:
            chosen += weights + ([index] if index in top else [])
            break
    return sorted(set(chosen))


def _plain_name(name: object) -> bool:
    """A file directly in the repository: no folder, no way out of the model folder."""
    return (
        isinstance(name, str)
        and bool(name)
        and not any(c in name for c in "/\\:\0")
        and not name.startswith(".")
        and name == name.strip()
    )


def has_weights(names: list[str]) -> bool:
    return any(
        fnmatch.fnmatch(name, pattern)
        for name in names
        if _plain_name(name)
        for pattern, _ in WEIGHT_FORMATS
    )


def library_folder(models_dir: str, model_id: str) -> str:
    """Where a downloaded model lives in the library: ``Org--Name`` (as the hub caches name it)."""
    return os.path.join(models_dir, model_id.strip("/").replace("/", "--"))


# ---- does a hub answer? -----------------------------------------------------------------------


def no_answer(address: str, timeout: float = 3.0) -> Text | str:
    """ "" when the address answers HTTP at all (any status), else why not, in a few words (a
    Text the app shows in its language). One request, no retries: seconds, not the minute a
    client's retry loop takes."""
    try:
        request = urllib.request.Request(address, method="HEAD")
        with urllib.request.urlopen(request, timeout=timeout):  # noqa: S310 - http(s) only
            return ""
    except urllib.error.HTTPError:
        return ""  # it answered, even if with 403 or 405
    except urllib.error.URLError as exc:
        return _why(exc.reason, address, timeout)
    except (OSError, ValueError) as exc:
        return _why(exc, address, timeout)


def _why(reason: object, address: str, timeout: float) -> Text:
    if isinstance(reason, socket.gaierror):
        host = urllib.parse.urlsplit(address).hostname or address
        return say("the name {host} does not resolve", host=host)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return say("no answer within {seconds} s", seconds=f"{timeout:g}")
    if isinstance(reason, ConnectionRefusedError):
        return say("the connection was refused")
    return say("{error}", error=str(reason))


def answering(
    keys: list[str], endpoints: dict[str, str] | None = None, timeout: float = 3.0
) -> dict[str, Text | str]:
    """Ask every hub at once; {hub key: "" when it answers, else why not}."""
    endpoints = endpoints or {}
    with ThreadPoolExecutor(max_workers=max(1, len(keys))) as pool:
        results = {
            key: pool.submit(no_answer, HUBS[key].address(endpoints.get(key, "")), timeout)
            for key in keys
        }
        return {key: future.result() for key, future in results.items()}


# In a downloaded model's folder: where it came from and which files are complete and checked.
SOURCE_FILE = "lora_studio_source.json"


def read_source(folder: str) -> dict:
    """A model folder's SOURCE_FILE (a download's record, or a GGUF import's), or {} when it is
    missing, unreadable or not a JSON object."""
    import json

    try:
        with open(os.path.join(folder, SOURCE_FILE), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def is_downloaded(folder: str) -> bool:
    """A download that ended complete (every file fetched and checked) in this folder."""
    return read_source(folder).get("complete") is True


# Access tokens (gated or private models): kept in the keyring under these accounts by the app,
# handed to ``main.py download`` in the environment variables each hub's client reads.
TOKEN_ENV = {
    HUGGINGFACE: "HF_TOKEN",
    MODELSCOPE: "MODELSCOPE_API_TOKEN",
    AISTUDIO: "AISTUDIO_ACCESS_TOKEN",  # what aistudio_sdk reads
}


def token_account(hub: str) -> str:
    return f"hub-token:{hub}"
