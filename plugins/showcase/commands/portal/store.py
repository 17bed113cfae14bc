"""The portal's embedded database (SQLite, stdlib): accounts, sessions, review state,
comments, the audit log and settings such as the deadline.

One connection per thread; WAL journal so readers never wait for a writer. Session ids
are stored hashed: a copy of the database opens no session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
STATUS_ZH = {DRAFT: "草稿", SUBMITTED: "已提交", RETURNED: "退回修改", APPROVED: "已通过"}
SCHOOL, DISTRICT = "school", "district"
SESSION_IDLE = 8 * 3600
"""A session unused this long (seconds) is over: a school computer is shared."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
  id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE COLLATE NOCASE, kind TEXT NOT NULL,
  school TEXT NOT NULL DEFAULT '', folder TEXT NOT NULL DEFAULT '', pw TEXT NOT NULL,
  must_change INTEGER NOT NULL DEFAULT 1, disabled INTEGER NOT NULL DEFAULT 0, created TEXT);
CREATE TABLE IF NOT EXISTS sessions (
  key TEXT PRIMARY KEY, account_id INTEGER NOT NULL, csrf TEXT NOT NULL,
  created REAL NOT NULL, seen REAL NOT NULL);
CREATE TABLE IF NOT EXISTS projects (
  folder TEXT PRIMARY KEY, school TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'draft',
  submitted_commit TEXT, approved_commit TEXT, updated TEXT,
  name TEXT NOT NULL DEFAULT '', last_by TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS comments (
  id INTEGER PRIMARY KEY, folder TEXT NOT NULL, field TEXT NOT NULL, text TEXT NOT NULL,
  author TEXT NOT NULL, created TEXT NOT NULL, open INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, address TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def now_text() -> str:
    return dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Account:
    id: int
    login: str
    kind: str
    school: str
    folder: str
    must_change: bool
    disabled: bool

    @property
    def is_district(self) -> bool:
        return self.kind == DISTRICT

    @property
    def kind_zh(self) -> str:
        return "区教育局（审核）" if self.is_district else "学校"


@dataclass(frozen=True)
class Session:
    account: Account
    csrf: str


class Store:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self.db(write=False)  # opens this thread's connection
        self._local.conn.executescript(SCHEMA)

    def db(self, write: bool = True) -> _Tx:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return _Tx(conn, write)

    # --- accounts ---

    def add_account(self, login: str, kind: str, pw_hash: str, school: str = "", folder: str = ""):
        with self.db() as db:
            db.execute(
                "INSERT INTO accounts (login, kind, school, folder, pw, created) VALUES (?,?,?,?,?,?)",
                (login, kind, school, folder, pw_hash, now_text()),
            )
            if kind == SCHOOL and folder:
                db.execute(
                    "INSERT OR IGNORE INTO projects (folder, school, status, updated) VALUES (?,?,?,?)",
                    (folder, school, DRAFT, now_text()),
                )

    @staticmethod
    def _account(row: sqlite3.Row | None) -> Account | None:
        if row is None:
            return None
        return Account(
            row["id"],
            row["login"],
            row["kind"],
            row["school"],
            row["folder"],
            bool(row["must_change"]),
            bool(row["disabled"]),
        )

    def account(self, login: str) -> Account | None:
        with self.db(write=False) as db:
            row = db.execute("SELECT * FROM accounts WHERE login = ?", (login,)).fetchone()
        return self._account(row)

    def password_hash(self, login: str) -> str | None:
        with self.db(write=False) as db:
            row = db.execute("SELECT pw FROM accounts WHERE login = ?", (login,)).fetchone()
        return row["pw"] if row else None

    def accounts(self) -> list[Account]:
        with self.db(write=False) as db:
            rows = db.execute("SELECT * FROM accounts ORDER BY kind, school, login").fetchall()
        return [a for a in map(self._account, rows) if a is not None]

    def set_password(self, login: str, pw_hash: str, must_change: bool) -> None:
        with self.db() as db:
            db.execute(
                "UPDATE accounts SET pw = ?, must_change = ? WHERE login = ?",
                (pw_hash, int(must_change), login),
            )
            self._end_sessions(db, login)

    def set_disabled(self, login: str, disabled: bool) -> None:
        with self.db() as db:
            db.execute("UPDATE accounts SET disabled = ? WHERE login = ?", (int(disabled), login))
            self._end_sessions(db, login)

    @staticmethod
    def _end_sessions(db: sqlite3.Connection, login: str) -> None:
        db.execute(
            "DELETE FROM sessions WHERE account_id IN (SELECT id FROM accounts WHERE login = ?)",
            (login,),
        )

    # --- sessions ---

    def new_session(self, account: Account) -> str:
        sid = secrets.token_urlsafe(32)
        with self.db() as db:
            db.execute(
                "INSERT INTO sessions (key, account_id, csrf, created, seen) VALUES (?,?,?,?,?)",
                (_hash(sid), account.id, secrets.token_urlsafe(32), time.time(), time.time()),
            )
        return sid

    def session(self, sid: str) -> Session | None:
        if not sid:
            return None
        key = _hash(sid)
        with self.db(write=False) as db:
            row = db.execute(
                "SELECT s.csrf, s.seen, a.* FROM sessions s JOIN accounts a ON a.id = s.account_id"
                " WHERE s.key = ?",
                (key,),
            ).fetchone()
        if row is None:
            return None
        if row["seen"] < time.time() - SESSION_IDLE or row["disabled"]:
            with self.db() as db:
                db.execute("DELETE FROM sessions WHERE key = ?", (key,))
            return None
        if row["seen"] < time.time() - 60:
            with self.db() as db:
                db.execute("UPDATE sessions SET seen = ? WHERE key = ?", (time.time(), key))
        account = self._account(row)
        assert account is not None
        return Session(account, row["csrf"])

    def end_session(self, sid: str) -> None:
        with self.db() as db:
            db.execute("DELETE FROM sessions WHERE key = ?", (_hash(sid),))

    # --- projects and review ---

    def projects(self) -> list[sqlite3.Row]:
        with self.db(write=False) as db:
            return db.execute("SELECT * FROM projects ORDER BY school").fetchall()

    def project(self, folder: str) -> sqlite3.Row | None:
        with self.db(write=False) as db:
            return db.execute("SELECT * FROM projects WHERE folder = ?", (folder,)).fetchone()

    def set_status(self, folder: str, status: str, **commits: str | None) -> None:
        sets = ["status = ?", "updated = ?"] + [f"{k} = ?" for k in commits]
        assert set(commits) <= {"submitted_commit", "approved_commit"}
        with self.db() as db:
            db.execute(
                f"UPDATE projects SET {', '.join(sets)} WHERE folder = ?",
                (status, now_text(), *commits.values(), folder),
            )

    def saved(self, folder: str, login: str, name: str, status: str | None = None) -> None:
        """A save: who and when, the project's name for the overview, maybe a new status."""
        with self.db() as db:
            db.execute(
                "UPDATE projects SET updated = ?, last_by = ?, name = ?,"
                " status = COALESCE(?, status) WHERE folder = ?",
                (now_text(), login, name, status, folder),
            )

    def add_comment(self, folder: str, field: str, text: str, author: str) -> None:
        with self.db() as db:
            db.execute(
                "INSERT INTO comments (folder, field, text, author, created) VALUES (?,?,?,?,?)",
                (folder, field, text, author, now_text()),
            )

    def comments(self, folder: str) -> list[dict]:
        with self.db(write=False) as db:
            rows = db.execute(
                "SELECT * FROM comments WHERE folder = ? AND open = 1 ORDER BY id", (folder,)
            ).fetchall()
        return [dict(r) for r in rows]

    def open_comment_counts(self) -> dict[str, int]:
        with self.db(write=False) as db:
            rows = db.execute(
                "SELECT folder, COUNT(*) AS n FROM comments WHERE open = 1 GROUP BY folder"
            ).fetchall()
        return {r["folder"]: r["n"] for r in rows}

    def close_comments(self, folder: str, comment_id: int | None = None) -> None:
        with self.db() as db:
            if comment_id is None:
                db.execute("UPDATE comments SET open = 0 WHERE folder = ?", (folder,))
            else:
                db.execute(
                    "UPDATE comments SET open = 0 WHERE folder = ? AND id = ?", (folder, comment_id)
                )

    # --- settings and audit ---

    def get(self, key: str, default: str = "") -> str:
        with self.db(write=False) as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def put(self, key: str, value: str) -> None:
        with self.db() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def audit(self, actor: str, address: str, action: str, target: str = "", detail: str = ""):
        with self.db() as db:
            db.execute(
                "INSERT INTO audit (ts, actor, address, action, target, detail) VALUES (?,?,?,?,?,?)",
                (now_text(), actor, address, action, target, detail),
            )

    def audit_log(self, limit: int = 200) -> list[sqlite3.Row]:
        with self.db(write=False) as db:
            return db.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()


class _Tx:
    """`with store.db() as db:` — one transaction (BEGIN IMMEDIATE for writers' order)."""

    def __init__(self, conn: sqlite3.Connection, write: bool) -> None:
        self.conn = conn
        self.write = write

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE" if self.write else "BEGIN")
        return self.conn

    def __exit__(self, kind, exc, tb) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
