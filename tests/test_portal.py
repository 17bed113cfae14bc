"""The district portal: commands, workflow, security promises and data safety."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from portal_helpers import (
    COMPLETE,
    LOGINS,
    PASSWORD,
    SCHOOL_A,
    SCHOOL_B,
    fill,
    login,
    make_portal,
    make_world,
    p,
    session_id,
)
from showcase.commands.cli import main
from showcase.commands.portal import passwords
from showcase.commands.portal.app import COOKIE, create_portal_app


def _save(world, who: str, folder: str, state: dict):
    return world.clients[who].post(
        f"/p/{p(folder)}/save", json=state, headers={"X-CSRF-Token": world.csrf[who]}
    )


def _state(world, who: str, folder: str) -> dict:
    return world.clients[who].get(f"/p/{p(folder)}/state").get_json()


# --- the commands ----------------------------------------------------------------------


def test_init_and_user_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "portal"
    result = runner.invoke(main, ["portal", "init", str(folder)])
    assert result.exit_code == 0, result.output
    assert "区教育局账号：district" in result.output and "初始密码：" in result.output
    assert (folder / "mkdocs.yml").is_file() and (folder / "projects" / ".git").is_dir()
    again = runner.invoke(main, ["portal", "init", str(folder)])
    assert again.exit_code == 1 and "不是空文件夹" in again.output

    result = runner.invoke(
        main, ["portal", "user", "add", str(folder), "--school", SCHOOL_A, "--login", "qinghe"]
    )
    assert result.exit_code == 0 and "初始密码：" in result.output
    password = result.output.split("初始密码：")[1].split("（")[0].strip()
    assert (folder / "projects" / SCHOOL_A / "project.yml").is_file()
    listing = runner.invoke(main, ["portal", "user", "list", str(folder)]).output
    assert "qinghe" in listing and SCHOOL_A in listing and "未改初始密码" in listing
    # the password is hashed with the production KDF and never written in clear
    from showcase.commands.portal.service import Portal

    stored = Portal(folder).store.password_hash("qinghe")
    assert stored.startswith(f"scrypt${passwords.KDF_N}$")
    assert passwords.verify_password(password, stored)
    for db in (folder / ".portal").glob("portal.db*"):
        assert password.encode() not in db.read_bytes()
    reset = runner.invoke(main, ["portal", "user", "reset", str(folder), "--login", "qinghe"])
    assert reset.exit_code == 0 and password not in reset.output
    off = runner.invoke(main, ["portal", "user", "disable", str(folder), "--login", "qinghe"])
    assert off.exit_code == 0
    assert "已停用" in runner.invoke(main, ["portal", "user", "list", str(folder)]).output
    dup = runner.invoke(
        main, ["portal", "user", "add", str(folder), "--district", "--login", "qinghe"]
    )
    assert dup.exit_code == 1 and "已经有人用了" in dup.output


# --- logins and sessions ------------------------------------------------------------------


def test_first_login_must_change_the_one_time_password(tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "portal")
    one_time = portal.reset_password("schoola")
    app = create_portal_app(portal)
    client = app.test_client()
    first = login(client, "schoola", one_time)
    assert first.status_code == 303 and first.location == "/password"
    assert client.get(f"/p/{p(SCHOOL_A)}/").location == "/password"  # nothing else until changed
    cookie = client.get_cookie(COOKIE)
    assert cookie.http_only and cookie.same_site == "Strict" and not cookie.secure
    page = client.get("/password").text
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    weak = client.post(
        "/password",
        data={"current": one_time, "password": "short", "password2": "short", "csrf": token},
    )
    assert "至少 10 位" in weak.text
    old_sid = session_id(client)
    done = client.post(
        "/password",
        data={"current": one_time, "password": PASSWORD, "password2": PASSWORD, "csrf": token},
    )
    assert done.status_code == 303 and session_id(client) != old_sid
    assert client.get(f"/p/{p(SCHOOL_A)}/").status_code == 200


def test_session_id_rotates_at_login_and_a_replayed_one_is_refused(tmp_path: Path) -> None:
    world = make_world(tmp_path / "portal")
    client = world.clients["a"]
    before = session_id(client)
    login(client, "schoola")
    after = session_id(client)
    assert before and after and before != after
    assert world.portal.store.session(before) is None  # the old id no longer opens anything
    client.post("/logout", data={"csrf": world.portal.store.session(after).csrf})
    thief = world.app.test_client()
    thief.set_cookie(COOKIE, after)
    assert thief.get("/").location == "/login"
    state = world.portal.store.session(after)
    assert state is None
    refused = thief.post(f"/p/{p(SCHOOL_A)}/save", json={}, headers={"X-CSRF-Token": "x"})
    assert refused.status_code == 401


def test_behind_tls_the_cookie_is_secure(tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "portal", hosts=["dj.example.edu.cn"])
    client = create_portal_app(portal).test_client()
    page = client.get("/login", base_url="https://dj.example.edu.cn")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"login": "schoola", "password": PASSWORD, "csrf": token},
        base_url="https://dj.example.edu.cn",
    )
    cookie = client.get_cookie(COOKIE, domain="dj.example.edu.cn")
    assert cookie.secure and cookie.http_only and cookie.same_site == "Strict"


def test_host_header_must_be_a_configured_name(tmp_path: Path) -> None:
    portal = make_portal(tmp_path / "portal")
    client = create_portal_app(portal).test_client()
    assert client.get("/login").status_code == 200
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 403
    assert client.get("/site/", headers={"Host": "evil.example"}).status_code == 403


def test_throttling_refuses_the_20th_wrong_password_without_checking_it(
    tmp_path: Path, monkeypatch
) -> None:
    portal = make_portal(tmp_path / "portal")
    client = create_portal_app(portal).test_client()
    calls = []
    real = passwords._kdf
    login(client, "nobody", "warm-up")  # the unknown-login dummy hash is made once, here
    monkeypatch.setattr(passwords, "_kdf", lambda *a, **k: calls.append(1) or real(*a, **k))
    portal.throttle = passwords.Throttle(per_account=10, per_address=30, window=60)
    answers = [login(client, "schoola", f"wrong-{i}") for i in range(20)]
    assert len(calls) == 10  # only the first 10 were checked at all
    assert answers[19].status_code == 429 and "尝试次数过多" in answers[19].text
    calls.clear()
    right = login(client, "schoola", PASSWORD)
    assert right.status_code == 429 and not calls  # even the right one waits out the minute
    # per address: many accounts from one address
    for i in range(40):
        login(client, f"guess{i}", "x")
    assert not any(a.status_code == 303 for a in answers)
    calls.clear()
    assert login(client, "schoolb", PASSWORD).status_code == 429 and not calls
    log = [r["action"] for r in portal.store.audit_log(500)]
    assert "登录被限制" in log and "登录失败" in log
    assert PASSWORD not in str([dict(r) for r in portal.store.audit_log(500)])


def test_no_write_without_the_csrf_token(tmp_path: Path) -> None:
    world = make_world(tmp_path / "portal")
    rules = [r for r in world.app.url_map.iter_rules() if r.methods - {"GET", "HEAD", "OPTIONS"}]
    assert len(rules) > 15
    for who in ("a", "district"):
        client = world.clients[who]
        for rule in rules:
            if rule.endpoint == "login":
                continue  # the login form's own token is tested below
            url = _url(rule.rule, world)
            for headers in ({}, {"X-CSRF-Token": "forged"}):
                answer = client.post(url, data={"field": "summary", "text": "x"}, headers=headers)
                assert answer.status_code == 403, (who, rule.rule, answer.status_code)
    assert len(world.portal.repo.log(SCHOOL_A)) == 1  # only the folder's creation
    forged = world.app.test_client().post(
        "/login", data={"login": "schoola", "password": PASSWORD, "csrf": "x"}
    )
    assert forged.status_code == 403
    other_site = world.clients["a"].post(
        f"/p/{p(SCHOOL_A)}/save",
        json={},
        headers={"X-CSRF-Token": world.csrf["a"], "Origin": "http://evil.example"},
    )
    assert other_site.status_code == 403


def _url(rule: str, world) -> str:
    import re

    values = {"name": p(SCHOOL_A), "rel": "project.yml", "sid": "0", "login": "schoolb"}
    values |= {"cid": "1", "filename": "editor.css"}
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule)


# --- the workflow -------------------------------------------------------------------------


def test_workflow_and_the_public_site_holds_approved_versions_only(tmp_path: Path) -> None:
    world = make_world(tmp_path / "portal")
    portal, a, d = world.portal, world.clients["a"], world.clients["district"]
    assert (
        _save(world, "a", SCHOOL_A, fill(_state(world, "a", SCHOOL_A), **COMPLETE)).status_code
        == 200
    )
    b_state = fill(
        _state(world, "b", SCHOOL_B), **(COMPLETE | {"name": "乙校草稿项目", "branch": "乙"})
    )
    assert _save(world, "b", SCHOOL_B, b_state).status_code == 200
    a.post(f"/p/{p(SCHOOL_A)}/submit", data={"csrf": world.csrf["a"]})
    assert portal.store.project(SCHOOL_A)["status"] == "submitted"
    locked = _save(world, "a", SCHOOL_A, fill(_state(world, "a", SCHOOL_A), summary="改"))
    assert locked.status_code == 403  # submitted: locked for the school
    d.post(
        f"/p/{p(SCHOOL_A)}/comment",
        data={"csrf": world.csrf["district"], "field": "summary", "text": "简介请写具体做法"},
    )
    d.post(f"/p/{p(SCHOOL_A)}/return", data={"csrf": world.csrf["district"]})
    assert portal.store.project(SCHOOL_A)["status"] == "returned"
    page = a.get(f"/p/{p(SCHOOL_A)}/").text
    assert "简介请写具体做法" in page and 'data-field="summary"' in page
    fixed = fill(_state(world, "a", SCHOOL_A), summary="以一个支部带动五支队伍：每月一次师德讲堂。")
    assert _save(world, "a", SCHOOL_A, fixed).status_code == 200
    a.post(f"/p/{p(SCHOOL_A)}/submit", data={"csrf": world.csrf["a"]})
    d.post(f"/p/{p(SCHOOL_A)}/approve", data={"csrf": world.csrf["district"]})
    row = portal.store.project(SCHOOL_A)
    assert row["status"] == "approved" and row["approved_commit"]
    # a later draft does not reach the public site until approved again
    later = fill(_state(world, "a", SCHOOL_A), name="未审核的新名称")
    assert _save(world, "a", SCHOOL_A, later).status_code == 200
    assert portal.store.project(SCHOOL_A)["status"] == "draft"
    d.post("/district/rebuild", data={"csrf": world.csrf["district"]})
    assert portal.publisher.wait(600) and not portal.publisher.state.last_error
    anonymous = world.app.test_client()
    home = anonymous.get("/site/").text
    assert "“1+5”师德引领工程" in home
    assert "未审核的新名称" not in home and "乙校草稿项目" not in home
    project_pages = list((portal.publisher.site_dir() / "projects").iterdir())
    assert len(project_pages) == 1
    assert "每月一次师德讲堂" in anonymous.get(f"/site/projects/{project_pages[0].name}/").text
    # every save is a commit by its account; the district can restore an earlier version
    authors = [v.author for v in portal.repo.log(SCHOOL_A)]
    assert authors.count("schoola") == 3
    first_save = portal.repo.log(SCHOOL_A)[-2]
    d.post(
        f"/p/{p(SCHOOL_A)}/restore",
        data={"csrf": world.csrf["district"], "commit": first_save.commit},
    )
    assert portal.repo.log(SCHOOL_A)[0].author == "district"
    text = (portal.projects / SCHOOL_A / "project.yml").read_text(encoding="utf-8")
    assert "未审核的新名称" not in text and "以一个支部带动五支队伍，建设" in text
    actions = {r["action"] for r in portal.store.audit_log(500)}
    assert {
        "登录",
        "保存",
        "提交审核",
        "退回修改",
        "审核通过",
        "重新生成公开网站",
        "恢复版本",
        "公开网站已生成",
    } <= actions


def test_registry_export_has_a_status_column(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    world = make_world(tmp_path / "portal")
    _save(world, "a", SCHOOL_A, fill(_state(world, "a", SCHOOL_A), **COMPLETE))
    answer = world.clients["district"].get("/district/registry.xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    header = [c.value for c in sheet[2]]
    assert header[-1] == "审核状态"
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    by_branch = {r[1]: r[-1] for r in rows}
    assert by_branch["青禾路小学党支部"] == "草稿" and by_branch[SCHOOL_B] == "草稿"
    assert world.clients["a"].get("/district/registry.xlsx").status_code == 403


def test_two_tabs_saving_the_same_project_one_409_nothing_lost(tmp_path: Path) -> None:
    world = make_world(tmp_path / "portal")
    tab1 = _state(world, "a", SCHOOL_A)
    tab2 = _state(world, "a", SCHOOL_A)
    first = _save(world, "a", SCHOOL_A, fill(tab1, summary="第一个标签页写的简介"))
    assert first.status_code == 200
    second = _save(world, "a", SCHOOL_A, fill(tab2, name="第二个标签页写的名称"))
    assert second.status_code == 409
    body = second.get_json()
    assert body["conflict"] == ["project.yml"] and body["newer"]["author"] == "schoola"
    assert body["newer"]["commit"] in body["error"]
    text = (world.portal.projects / SCHOOL_A / "project.yml").read_text(encoding="utf-8")
    assert "第一个标签页写的简介" in text and "第二个标签页写的名称" not in text
    again = _save(
        world, "a", SCHOOL_A, fill(_state(world, "a", SCHOOL_A), name="第二个标签页写的名称")
    )
    assert again.status_code == 200
    text = (world.portal.projects / SCHOOL_A / "project.yml").read_text(encoding="utf-8")
    assert "第一个标签页写的简介" in text and "第二个标签页写的名称" in text


KILLED_SAVE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from portal_helpers import login, csrf_of, fill, p, SCHOOL_A
    from showcase.commands.editor import roundtrip
    from showcase.commands.portal.app import create_portal_app
    from showcase.commands.portal.service import Portal, PortalConfig

    portal = Portal(Path({root!r}), PortalConfig(allowed_hosts=["localhost"]))
    client = create_portal_app(portal).test_client()
    login(client, "schoola")
    token = csrf_of(client)
    state = client.get(f"/p/{{p(SCHOOL_A)}}/state").get_json()
    state = fill(state, summary="写了一半的新简介", goals="写了一半的新目标" * 50)
    state["sources"] = {{"goals": "file"}}
    real = roundtrip.write_atomic
    def slow(path, data):
        real(path, data)
        print("MIDWAY", path.name, flush=True)
        time.sleep(60)
    roundtrip.write_atomic = slow
    client.post(f"/p/{{p(SCHOOL_A)}}/save", json=state, headers={{"X-CSRF-Token": token}})
    """
)


def test_a_save_killed_midway_leaves_the_last_good_version(tmp_path: Path) -> None:
    world = make_world(tmp_path / "portal")
    good = fill(_state(world, "a", SCHOOL_A), **COMPLETE)
    assert _save(world, "a", SCHOOL_A, good).status_code == 200
    folder = world.portal.projects / SCHOOL_A
    last_good = (folder / "project.yml").read_bytes()
    script = KILLED_SAVE.format(tests=str(ROOT / "tests"), root=str(world.portal.root))
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        seen.append(line)
        if line.startswith("MIDWAY") or not line:
            break
    assert any(s.startswith("MIDWAY") for s in seen), "".join(seen)
    os.kill(child.pid, signal.SIGKILL)  # kill -9 between the files of one save
    child.wait()
    # the child got as far as writing some files: the folder is half-saved now
    dirty = world.portal.repo.git("status", "--porcelain").stdout
    assert dirty.strip()
    # the portal starting again puts it back to the last good version
    create_portal_app(world.portal)
    assert (folder / "project.yml").read_bytes() == last_good
    assert not (folder / "goals.md").exists()
    assert world.portal.repo.git("status", "--porcelain").stdout == ""
    assert world.portal.repo.git("fsck", "--no-progress").returncode == 0
    # and saving goes on
    assert (
        _save(
            world, "a", SCHOOL_A, fill(_state(world, "a", SCHOOL_A), summary="接着写")
        ).status_code
        == 200
    )


def test_recovery_leaves_other_folders_alone(tmp_path: Path) -> None:
    """Only a folder whose save was unfinished is put back; a file an administrator copied
    into another school's folder stays, and goes into git with that school's next save."""
    world = make_world(tmp_path / "portal")
    dropped = world.portal.projects / SCHOOL_B / "cases" / "管理员补交的案例.md"
    dropped.parent.mkdir()
    dropped.write_text("# 补交的案例\n", encoding="utf-8")
    world.portal.save_starting(SCHOOL_A)  # as if a save of A had been killed
    (world.portal.projects / SCHOOL_A / "project.yml").write_text("半截", encoding="utf-8")
    create_portal_app(world.portal)  # the portal starting again
    assert dropped.is_file()
    assert "半截" not in (world.portal.projects / SCHOOL_A / "project.yml").read_text("utf-8")
    state = fill(_state(world, "b", SCHOOL_B), **COMPLETE)
    assert _save(world, "b", SCHOOL_B, state).status_code == 200
    tracked = world.portal.repo.git("ls-files", "--", SCHOOL_B).stdout
    assert "管理员补交的案例.md" in tracked


def test_a_stale_git_lock_from_a_killed_commit_is_cleared(tmp_path: Path) -> None:
    world = make_world(tmp_path / "portal")
    (world.portal.projects / ".git" / "index.lock").write_text("")  # git killed mid-commit
    create_portal_app(world.portal)  # the portal starting again
    assert (
        _save(world, "a", SCHOOL_A, fill(_state(world, "a", SCHOOL_A), **COMPLETE)).status_code
        == 200
    )
    assert world.portal.repo.log(SCHOOL_A)[0].author == "schoola"


@pytest.mark.parametrize("who", ["b", "district"])
def test_others_cannot_save_into_a_schools_project(tmp_path: Path, who: str) -> None:
    world = make_world(tmp_path / "portal")
    state = fill(_state(world, "a", SCHOOL_A), name="别人改的")
    assert _save(world, who, SCHOOL_A, state).status_code == 403
    assert "别人改的" not in (world.portal.projects / SCHOOL_A / "project.yml").read_text("utf-8")
    assert LOGINS


def test_deadline_and_upload_limits(tmp_path: Path) -> None:
    world = make_world(tmp_path / "portal")
    d, a = world.clients["district"], world.clients["a"]
    d.post("/district/deadline", data={"csrf": world.csrf["district"], "deadline": "2020-03-15"})
    assert world.portal.deadline().isoformat() == "2020-03-15"
    answer = a.post(f"/p/{p(SCHOOL_A)}/submit", data={"csrf": world.csrf["a"]})
    assert "已过截止日期（2020年3月15日）" in a.get(answer.location).text
    assert world.portal.store.project(SCHOOL_A)["status"] == "draft"
    refused = a.post(
        "/api/upload",
        data={"files": (io.BytesIO(b"MZ"), "setup.exe")},
        headers={"X-CSRF-Token": world.csrf["a"]},
    )
    assert refused.status_code == 400 and "不能上传" in refused.get_json()["error"]
    assert world.app.config["MAX_CONTENT_LENGTH"] == 400 * 1024 * 1024


def test_builds_run_one_at_a_time_and_swap_atomically(tmp_path: Path, monkeypatch) -> None:
    """The publisher's own promises, with a stand-in for the (slow) MkDocs child process."""
    import threading

    from showcase.commands.portal import publish

    world = make_world(tmp_path / "portal")
    publisher = world.portal.publisher
    running, most, count = [0], [0], [0]
    lock = threading.Lock()

    def fake_build(args, cwd, **_kw):
        out = Path(args[args.index("-d") + 1])
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            count[0] += 1
            n = count[0]
        out.mkdir(parents=True)
        (out / "index.html").write_text(f"<p>第 {n} 次生成</p>" + "内容" * 50_000, "utf-8")
        time.sleep(0.5)
        with lock:
            running[0] -= 1
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(publish.subprocess, "run", fake_build)
    client = world.app.test_client()
    assert client.get("/site/").status_code == 404  # nothing published yet
    publisher.request()
    assert publisher.wait(30)
    assert "第 1 次生成" in client.get("/site/").text
    for _ in range(5):  # requests during a build coalesce into one more build
        publisher.request()
    seen = set()
    while publisher.state.running or publisher.state.pending:
        page = client.get("/site/").text
        assert page.endswith("内容")  # never a half-written page
        seen.add(page[:12])
    assert publisher.wait(30)
    assert most[0] == 1 and count[0] in (2, 3)
    assert (world.portal.data / "published" / "current").is_symlink()
    assert len(list((world.portal.data / "published").glob("site-*"))) == 2  # new + previous


def test_the_serve_command_answers_on_its_names_only(tmp_path: Path) -> None:
    import urllib.error
    import urllib.request

    from editor_helpers import free_port

    folder = tmp_path / "portal"
    assert CliRunner().invoke(main, ["portal", "init", str(folder)]).exit_code == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "showcase.commands.cli", "portal", "serve", str(folder)]
        + ["--port", str(port), "--name", "dj.example.edu.cn"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert "区门户已启动" in server.stdout.readline()
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/login", timeout=30) as answer:
            page = answer.read().decode()
            assert 'name="login"' in page and 'name="password"' in page
            assert "SameSite=Strict" in answer.headers["Set-Cookie"]
        named = urllib.request.Request(f"{base}/login", headers={"Host": "dj.example.edu.cn"})
        with urllib.request.urlopen(named, timeout=30) as answer:
            assert answer.status == 200
        other = urllib.request.Request(f"{base}/login", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(other, timeout=30)
        assert refused.value.code == 403
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_word_import_is_a_save_committed_by_the_school(tmp_path: Path) -> None:
    """从 Word 文件导入 through the portal: the school's own commit; refused once submitted."""
    from wordfiles import case_with_appendix

    world = make_world(tmp_path / "portal")
    portal, a = world.portal, world.clients["a"]
    assert (
        _save(world, "a", SCHOOL_A, fill(_state(world, "a", SCHOOL_A), **COMPLETE)).status_code
        == 200
    )
    source = case_with_appendix(tmp_path / "案例.docx", styled=True)

    def send():
        return a.post(
            f"/p/{p(SCHOOL_A)}/import-docx",
            data={"file": (io.BytesIO(source.read_bytes()), "案例.docx"), "kind": "case"},
            headers={"X-CSRF-Token": world.csrf["a"]},
        )

    answer = send()
    assert answer.status_code == 200, answer.get_json()
    cases = list((portal.projects / SCHOOL_A / "cases").glob("*.md"))
    assert len(cases) == 1
    latest = portal.repo.log(SCHOOL_A)[0]
    assert latest.author == "schoola"
    assert portal.repo.git("status", "--porcelain", "--", SCHOOL_A).stdout.strip() == ""
    a.post(f"/p/{p(SCHOOL_A)}/submit", data={"csrf": world.csrf["a"]})
    commits = len(portal.repo.log(SCHOOL_A))
    refused = send()
    assert refused.status_code in (400, 403)
    assert len(portal.repo.log(SCHOOL_A)) == commits
    assert len(list((portal.projects / SCHOOL_A / "cases").glob("*.md"))) == 1
