"""API keys in the system keyring (Windows Credential Manager, macOS Keychain, Secret Service),
never in settings files or logs. Without a usable keyring backend the key lives for the session
only, and the GUI says so."""

from __future__ import annotations

SERVICE = "LoRA Studio"
API_SERVER_ACCOUNT = "api-server"  # the local API server's key
_session: dict[str, str] = {}


def session_keys() -> list[str]:
    """Every key given in this session (for the diagnostics report to take out)."""
    return [key for key in _session.values() if key]


def keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except Exception:  # noqa: BLE001 - not installed, or a broken backend module
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001
        return False
    if isinstance(backend, fail.Keyring):
        return False
    return getattr(backend, "priority", 1) > 0


def load_key(account: str) -> str:
    if account in _session:
        return _session[account]
    if not keyring_available():
        return ""
    import keyring

    try:
        return keyring.get_password(SERVICE, account) or ""
    except Exception:  # noqa: BLE001 - a locked or failing keyring reads as no key
        return ""


def save_key(account: str, key: str) -> bool:
    """True when the key went into the keyring; False when it is kept for this session only."""
    _session[account] = key
    if not keyring_available():
        return False
    import keyring

    try:
        if key:
            keyring.set_password(SERVICE, account, key)
        else:
            try:
                keyring.delete_password(SERVICE, account)
            except Exception:  # noqa: BLE001 - nothing stored
                pass
    except Exception:  # noqa: BLE001
        return False
    return True
