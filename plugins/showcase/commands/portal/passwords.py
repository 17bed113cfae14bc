"""Passwords: a memory-hard KDF (stdlib scrypt), one-time passwords, login throttling.

The KDF's cost is stored in each hash, so a test portal may use a cheaper one
(`PortalConfig.kdf_n`), which `showcase portal` never sets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

KDF_N = 2**15
"""scrypt's cost in production: 32 MiB and ~0.1 s per hash."""
KDF_R = 8
KDF_P = 1
ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""One-time passwords avoid look-alike characters (l/1, O/0): they are read aloud or copied."""
MIN_LENGTH = 10


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _kdf(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * r * n + 2**20, dklen=32
    )


def hash_password(password: str, n: int = KDF_N) -> str:
    """`scrypt$n$r$p$salt$hash`."""
    salt = secrets.token_bytes(16)
    digest = _kdf(password, salt, n, KDF_R, KDF_P)
    return f"scrypt${n}${KDF_R}${KDF_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        kind, n, r, p, salt, digest = encoded.split("$")
        if kind != "scrypt":
            return False
        got = _kdf(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def one_time_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def weak_reason(password: str, login: str) -> str | None:
    """Why a new password is refused (in Chinese), or None."""
    if len(password) < MIN_LENGTH:
        return f"新密码至少 {MIN_LENGTH} 位"
    if login and login.lower() in password.lower():
        return "新密码不能包含登录名"
    if len(set(password)) < 4:
        return "新密码太简单"
    return None


class Throttle:
    """Failed logins per account and per address in a sliding window.

    Once a key has had `limit` failures within `window` seconds, further attempts are
    refused before the password is looked at (no KDF work for an attacker to buy).
    """

    def __init__(self, per_account: int = 10, per_address: int = 30, window: float = 60.0) -> None:
        self.limits = {"account": per_account, "address": per_address}
        self.window = window
        self._fails: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._fails[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, login: str, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return (
                len(self._recent(("account", login.lower()), now)) >= self.limits["account"]
                or len(self._recent(("address", address), now)) >= self.limits["address"]
            )

    def failed(self, login: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(("account", login.lower()), now).append(now)
            self._recent(("address", address), now).append(now)

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._fails.pop(("account", login.lower()), None)
