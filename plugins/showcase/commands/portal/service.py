"""The portal's own work, shared by the command line and the web app: making the portal,
accounts, the review workflow, restore, the registry with its status column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..editor import saving
from ..editor import state as formstate
from ..init import InitError, create_site
from . import passwords
from .publish import Publisher
from .repo import GitError, Repo
from .store import (
    APPROVED,
    DISTRICT,
    DRAFT,
    RETURNED,
    SCHOOL,
    STATUS_ZH,
    SUBMITTED,
    Account,
    Store,
)

DATA = ".portal"
DB = "portal.db"


class PortalError(Exception):
    """A reason, in Chinese, why nothing was done."""


@dataclass
class PortalConfig:
    allowed_hosts: list[str] = field(default_factory=list)
    """Host header values this portal answers to (`name` or `name:port`)."""
    behind_proxy: bool = False
    """Behind nginx with TLS: trust X-Forwarded-Proto/For from 127.0.0.1 (Secure cookies)."""
    kdf_n: int = passwords.KDF_N
    """scrypt's cost for new hashes: lowered by tests only, never by the command line."""
    throttle_account: int = 10
    throttle_address: int = 30
    throttle_window: float = 60.0


def folder_for(school: str) -> str:
    return formstate.safe_name(school.replace(".", "．"), "")


class Portal:
    def __init__(self, root: Path, config: PortalConfig | None = None) -> None:
        self.root = Path(root).resolve()
        self.config = config or PortalConfig()
        self.data = self.root / DATA
        if not (self.data / DB).is_file():
            raise PortalError(
                f"“{root}”不是门户文件夹（没有 {DATA}/{DB}）：请先运行 showcase portal init"
            )
        self.store = Store(self.data / DB)
        self.projects = self.root / "projects"
        self.repo = Repo(self.projects)
        self.lock = threading.RLock()
        """Every writer of the projects repository holds it (saves, restores, new schools)."""
        self.publisher = Publisher(
            self.root,
            self.data,
            self.repo,
            self.approved_versions,
            lambda ok, text: self.store.audit(
                "portal", "", "公开网站已生成" if ok else "公开网站生成失败", "", text
            ),
        )
        self.throttle = passwords.Throttle(
            self.config.throttle_account, self.config.throttle_address, self.config.throttle_window
        )

    # --- making a portal ---

    @classmethod
    def create(cls, folder: Path, login: str = "district", config: PortalConfig | None = None):
        """A new portal in an absent or empty folder: (portal, district login, one-time password)."""
        try:
            create_site(folder)
        except InitError as exc:
            raise PortalError(str(exc)) from None
        folder = Path(folder)
        with (folder / ".gitignore").open("a", encoding="utf-8") as fh:
            fh.write(f"{DATA}/\n")
        (folder / DATA).mkdir()
        Store(folder / DATA / DB)
        Repo(folder / "projects").init()
        portal = cls(folder, config)
        password = portal.add_account(login, DISTRICT)
        return portal, password

    # --- accounts ---

    def add_account(self, login: str, kind: str, school: str = "", actor: str = "") -> str:
        """Create an account (a school's also gets its project folder); its one-time password."""
        login = login.strip()
        if not login or not all(c.isalnum() or c in "-_." for c in login) or len(login) > 40:
            raise PortalError("登录名只能用字母、数字和 - _ .（最长 40 个字符）")
        if self.store.account(login) is not None:
            raise PortalError(f"登录名“{login}”已经有人用了")
        folder = ""
        if kind == SCHOOL:
            school = school.strip()
            folder = folder_for(school)
            if not folder:
                raise PortalError("请填写学校名称")
            if self.store.project(folder) is None:
                self._new_project_folder(folder, school, actor or "portal")
        password = passwords.one_time_password()
        pw_hash = passwords.hash_password(password, self.config.kdf_n)
        self.store.add_account(login, kind, pw_hash, school, folder)
        self.store.audit(actor or "命令行", "", "新建账号", login, school or "区教育局")
        return password

    def _new_project_folder(self, folder: str, school: str, actor: str) -> None:
        with self.lock:
            path = self.projects / folder
            path.mkdir(exist_ok=True)
            _, data, _ = saving.render_project_yml(path, {"fields": {"school": school}})
            (path / "project.yml").write_bytes(data or b"")
            self.repo.commit(folder, actor, f"新建学校：{school}")

    def reset_password(self, login: str, actor: str = "") -> str:
        if self.store.account(login) is None:
            raise PortalError(f"没有登录名为“{login}”的账号")
        password = passwords.one_time_password()
        self.store.set_password(login, passwords.hash_password(password, self.config.kdf_n), True)
        self.store.audit(actor or "命令行", "", "重置密码", login)
        return password

    def set_disabled(self, login: str, disabled: bool = True, actor: str = "") -> None:
        if self.store.account(login) is None:
            raise PortalError(f"没有登录名为“{login}”的账号")
        self.store.set_disabled(login, disabled)
        self.store.audit(actor or "命令行", "", "停用账号" if disabled else "启用账号", login)

    def check_login(self, login: str, password: str, address: str) -> Account | str:
        """The account, or why not (in Chinese). Throttled before any KDF work."""
        if self.throttle.blocked(login, address):
            self.store.audit(login or "?", address, "登录被限制", login)
            return "尝试次数过多，请一分钟后再试"
        account = self.store.account(login)
        pw_hash = self.store.password_hash(login) if account else None
        # an unknown login costs the same KDF work: its absence does not show in the timing
        ok = passwords.verify_password(password, pw_hash or _dummy_hash(self.config.kdf_n))
        if not ok or account is None or account.disabled:
            self.throttle.failed(login, address)
            self.store.audit(login or "?", address, "登录失败", login)
            return "登录名或密码不对" if not (ok and account) else "这个账号已停用"
        self.throttle.succeeded(login)
        self.store.audit(login, address, "登录", login)
        return account

    def change_password(self, account: Account, current: str, new: str, new2: str) -> str | None:
        pw_hash = self.store.password_hash(account.login) or ""
        if not passwords.verify_password(current, pw_hash):
            return "现在的密码不对"
        if new != new2:
            return "两次输入的新密码不一样"
        if new == current:
            return "新密码不能和现在的密码相同"
        reason = passwords.weak_reason(new, account.login)
        if reason:
            return reason
        self.store.set_password(
            account.login, passwords.hash_password(new, self.config.kdf_n), False
        )
        return None

    # --- who may do what (the server decides; pages only reflect it) ---

    def can_read(self, account: Account, folder: str) -> bool:
        if self.store.project(folder) is None:
            return False
        return account.is_district or account.folder == folder

    def can_write(self, account: Account, folder: str) -> bool:
        row = self.store.project(folder)
        return (
            row is not None
            and not account.is_district
            and account.folder == folder
            and row["status"] in (DRAFT, RETURNED, APPROVED)
        )

    # --- the workflow ---

    def deadline(self) -> dt.date | None:
        text = self.store.get("deadline")
        try:
            return dt.date.fromisoformat(text) if text else None
        except ValueError:
            return None

    def submit(self, account: Account, folder: str, address: str) -> str | None:
        with self.lock:
            row = self.store.project(folder)
            if row is None or row["status"] not in (DRAFT, RETURNED):
                return "现在不能提交（已提交或已通过）"
            deadline = self.deadline()
            if deadline and dt.date.today() > deadline and row["status"] != RETURNED:
                when = f"{deadline.year}年{deadline.month}月{deadline.day}日"
                return f"已过截止日期（{when}），请联系区教育局"
            version = self.repo.last_version(folder)
            self.store.set_status(folder, SUBMITTED, submitted_commit=version.commit)
        self.store.audit(account.login, address, "提交审核", folder, version.short)
        return None

    def review(self, account: Account, folder: str, action: str, address: str) -> str | None:
        with self.lock:
            row = self.store.project(folder)
            if row is None or row["status"] != SUBMITTED:
                return "只有“已提交”的项目可以退回或通过"
            if action == "approve":
                self.store.set_status(folder, APPROVED, approved_commit=row["submitted_commit"])
                self.store.close_comments(folder)
            else:
                self.store.set_status(folder, RETURNED)
        self.store.audit(
            account.login,
            address,
            "审核通过" if action == "approve" else "退回修改",
            folder,
            (row["submitted_commit"] or "")[:8],
        )
        return None

    def after_save(
        self, account: Account, folder: str, address: str, name: str | None = None
    ) -> str | None:
        """Inside the save lock: commit the save; a later draft of an approved project is a draft."""
        try:
            commit = self.repo.commit(folder, account.login, f"保存：{folder}")
        except GitError as exc:  # not saved: the next save first puts the folder back
            raise formstate.SaveError(f"没有保存（版本库：{exc}）") from exc
        row = self.store.project(folder)
        later_draft = row is not None and row["status"] == APPROVED
        name = self._name(folder) if name is None else name
        self.store.saved(folder, account.login, name, DRAFT if later_draft else None)
        self.store.audit(account.login, address, "保存", folder, (commit or "无改动")[:8])
        return commit

    def _name(self, folder: str) -> str:
        fields = formstate.raw_fields(formstate.load_yml(self.projects / folder).data)
        return str((fields.get("name") or (None, ""))[1] or "")

    def restore(self, account: Account, folder: str, commit: str, address: str) -> str | None:
        with self.lock:
            self.repo.recover(folder)
            new = self.repo.restore(folder, commit, account.login)
            self.store.saved(folder, account.login, self._name(folder))
        self.store.audit(account.login, address, "恢复版本", folder, commit[:8])
        return new

    def approved_versions(self) -> list[tuple[str, str]]:
        return [
            (row["folder"], row["approved_commit"])
            for row in self.store.projects()
            if row["approved_commit"]
        ]

    def rebuild(self, account: Account, address: str) -> None:
        self.store.audit(account.login, address, "重新生成公开网站")
        self.publisher.request()

    def overview(self) -> list[dict]:
        """Every school for the district's table, from the database alone (300 schools: fast)."""
        counts = self.store.open_comment_counts()
        return [
            {
                **dict(row),
                "status_zh": STATUS_ZH.get(row["status"], row["status"]),
                "comments": counts.get(row["folder"], 0),
            }
            for row in self.store.projects()
        ]

    # --- a save in progress is journalled, so a killed one can be undone ---

    def _marker(self, folder: str) -> Path:
        return self.data / "saving" / (hashlib.sha256(folder.encode()).hexdigest()[:32] + ".txt")

    def save_starting(self, folder: str) -> None:
        """Inside the save lock, before any file changes: put back an unfinished earlier save,
        then note this one (on disk, durably) until its commit is made."""
        marker = self._marker(folder)
        if marker.exists():
            self.repo.recover(folder)
        marker.parent.mkdir(exist_ok=True)
        with marker.open("w", encoding="utf-8") as fh:
            fh.write(folder)
            fh.flush()
            os.fsync(fh.fileno())

    def save_finished(self, folder: str) -> None:
        self._marker(folder).unlink(missing_ok=True)

    def recover_all(self) -> list[str]:
        """At start: every folder whose save did not reach its commit (kill -9, power cut) back
        to its last commit. Other folders are left alone (files an administrator put there are
        committed with the school's next save)."""
        changed: list[str] = []
        with self.lock:
            self.repo.clear_stale_lock()
            for marker in sorted((self.data / "saving").glob("*.txt")):
                folder = marker.read_text(encoding="utf-8").strip()
                if folder and folder == Path(folder).name and not folder.startswith("."):
                    changed += self.repo.recover(folder)
                marker.unlink()
        return changed


_DUMMY: dict[int, str] = {}


def _dummy_hash(n: int) -> str:
    if n not in _DUMMY:
        _DUMMY[n] = passwords.hash_password(passwords.one_time_password(), n)
    return _DUMMY[n]
