"""`showcase init` and the editor's server without a browser: security, round trip, conflicts."""

from __future__ import annotations

import http.client
import json
import logging
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT, build, make_image, make_project
from editor_helpers import start_editor
from showcase.commands.editor import saving
from showcase.commands.editor import state as formstate
from showcase.reading.load import load_project

# --- showcase init ---------------------------------------------------------------------------


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "showcase.commands.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def test_init_builds_strictly_at_once_and_refuses_to_overwrite(tmp_path):
    site = tmp_path / "新网站"
    done = _cli("init", str(site))
    assert done.returncode == 0, done.stderr
    assert (site / "projects").is_dir() and not any((site / "projects").iterdir())
    assert (site / "docs" / "guide.md").read_text(encoding="utf-8") == (
        ROOT / "docs" / "guide.md"
    ).read_text(encoding="utf-8")
    messages: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: messages.append(record.getMessage())
    showcase_log = logging.getLogger("mkdocs.plugins.showcase")
    showcase_log.addHandler(handler)  # other tests may stop mkdocs' loggers from propagating
    level = showcase_log.level
    showcase_log.setLevel(logging.INFO)
    try:
        out = build(site / "mkdocs.yml", strict=True)
    finally:
        showcase_log.removeHandler(handler)
        showcase_log.setLevel(level)
    assert (out / "index.html").is_file()
    assert not (out / "guide").exists()  # the guide stays with the authors (test_guide.py)
    assert any("没有填写 site_url" in m and "展示专栏首页地址" in m for m in messages)
    again = _cli("init", str(site))
    assert again.returncode == 1 and "不是空文件夹" in again.stderr


def test_registry_export_says_what_a_missing_site_url_means(tmp_path):
    site = tmp_path / "site"
    assert _cli("init", str(site)).returncode == 0
    make_project(site / "projects", "青禾路小学")
    done = _cli("export", "registry", "--format", "csv", "-o", "r.csv", cwd=site)
    assert done.returncode == 0, done.stderr
    assert "没有填写 site_url" in done.stderr and "展示专栏首页地址" in done.stderr
    # the package for the school's website (its registry.xlsx holds the addresses) says so too
    packed = _cli("package", "-o", "site.zip", cwd=site)
    assert packed.returncode == 0, packed.stderr
    assert "没有填写 site_url" in packed.stderr
    # with site_url the addresses are complete and nothing is said
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "# site_url: https://www.example.edu.cn/dangjian/",
            "site_url: https://www.example.edu.cn/dangjian/",
        ),
        encoding="utf-8",
    )
    done = _cli("export", "registry", "--format", "csv", "-o", "r.csv", cwd=site)
    assert "site_url" not in done.stderr
    assert "https://www.example.edu.cn/dangjian/projects/" in (site / "r.csv").read_text(
        encoding="utf-8-sig"
    )


# --- round trip -----------------------------------------------------------------------------------


def test_reading_and_saving_the_demo_changes_nothing(tmp_path):
    """Every demo project (GBK, Chinese keys, long texts in files, albums, plans) opened and
    saved unchanged writes no file at all."""
    shutil.copytree(ROOT / "projects", tmp_path / "projects")
    for folder in sorted((tmp_path / "projects").iterdir()):
        if not folder.is_dir():
            continue
        state = formstate.read_state(folder)
        state = json.loads(json.dumps(state))  # as the browser sends it back
        plan = saving.plan_save(folder, state, {})
        assert plan.ops == [], (folder.name, [(op.kind, op.path.name) for op in plan.ops])


def test_edited_values_read_back_equal_and_keep_encoding(tmp_path):
    folder = tmp_path / "明德"
    shutil.copytree(ROOT / "projects" / "明德教育集团", folder)
    before = load_project(folder)
    state = json.loads(json.dumps(formstate.read_state(folder)))
    state["fields"]["members"] = "106"
    state["fields"]["tags"] = "城乡一体、双培双树"
    state["fields"]["indicators"]["implicit"].append(
        {"text": "新的隐性指标", "target": "", "unit": "", "actual": []}
    )
    plan = saving.plan_save(folder, state, {})
    assert saving.conflicts(plan) == []
    saving.execute(plan, lambda p: None)
    data = (folder / "project.yml").read_bytes()
    data.decode("gb18030")  # still GBK, as Notepad saved it
    after = load_project(folder)
    assert after.values["members"] == 106 and after.values["tags"] == ["城乡一体", "双培双树"]
    assert [i.text for i in after.indicators_of("implicit")][-1] == "新的隐性指标"
    for key in ("name", "branch", "summary", "goals", "opinion"):
        assert after.values[key] == before.values[key], key


def test_a_file_changed_on_disk_is_not_overwritten(tmp_path):
    folder = make_project(tmp_path, "青禾路小学")
    state = json.loads(json.dumps(formstate.read_state(folder)))
    (folder / "project.yml").write_text("name: 别人改过\n", encoding="utf-8")
    state["fields"]["members"] = "12"
    plan = saving.plan_save(folder, state, {})
    assert saving.conflicts(plan) == ["project.yml"]
    assert (folder / "project.yml").read_text(encoding="utf-8") == "name: 别人改过\n"


def test_upload_names_stay_inside_and_are_safe():
    for hostile in (
        "../../etc/passwd.jpg",
        "..\\..\\x.jpg",
        "/abs/a.png",
        "CON.jpg",
        "a:b*c?.pdf",
        ".hidden.jpg",
    ):
        name = formstate.safe_name(hostile)
        assert "/" not in name and "\\" not in name and ":" not in name and not name.startswith(".")
        assert name.lower() != "con.jpg"
    assert formstate.safe_name("03-名师工作室 揭牌（一）.JPG") == "03-名师工作室 揭牌（一）.JPG"


# --- the server: token, origin, host, address -------------------------------------------------------


def _request(
    port: int, path: str, *, method="GET", host=None, headers=None, body=None, address="127.0.0.1"
):
    conn = http.client.HTTPConnection(address, port, timeout=10)
    all_headers = {"Host": host or f"127.0.0.1:{port}", **(headers or {})}
    conn.request(method, quote(path, safe="/?=&%"), body=body, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("served") / "projects"
    make_project(root, "青禾路小学")
    with start_editor(root) as (url, port, log):
        token = url.split("token=", 1)[1]
        yield port, token, log


def test_requests_without_the_token_are_refused(served):
    port, token, _ = served
    response, body = _request(port, "/")
    assert response.status == 403 and "访问码" in body.decode()
    response, _ = _request(port, "/?token=" + "x" * len(token))
    assert response.status == 403
    response, _ = _request(port, "/p/青禾路小学/state")
    assert response.status == 403
    response, _ = _request(port, "/static/editor.js")
    assert response.status == 403


def test_the_token_becomes_a_strict_cookie(served):
    port, token, _ = served
    response, _ = _request(port, f"/?token={token}")
    assert response.status == 302 and "token" not in response.getheader("Location")
    cookie = response.getheader("Set-Cookie")
    assert token in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    name = cookie.split("=", 1)[0]
    response, body = _request(port, "/", headers={"Cookie": f"{name}={token}"})
    assert response.status == 200 and "青禾路小学" in body.decode()
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")


def test_foreign_origins_and_hosts_are_refused(served):
    port, token, _ = served
    auth = {"X-Showcase-Token": token, "Content-Type": "application/json"}
    ok, _ = _request(
        port,
        "/api/render",
        method="POST",
        body=b'{"text": "**a**"}',
        headers={**auth, "Origin": f"http://127.0.0.1:{port}"},
    )
    assert ok.status == 200
    for origin in ("http://evil.example", f"http://127.0.0.1:{port + 1}", "null"):
        response, _ = _request(
            port, "/api/render", method="POST", body=b"{}", headers={**auth, "Origin": origin}
        )
        assert response.status == 403, origin
    response, _ = _request(
        port, "/api/render", method="POST", body=b"{}", headers=auth
    )  # no Origin
    assert response.status == 403
    for host in (
        "evil.example",
        f"evil.example:{port}",
        f"127.0.0.1.nip.io:{port}",
        f"0.0.0.0:{port}",
    ):
        response, _ = _request(port, "/", host=host, headers=auth)  # DNS rebinding
        assert response.status == 403, host
    response, _ = _request(port, "/", host=f"localhost:{port}", headers=auth)
    assert response.status == 200


def test_only_127_0_0_1_listens(served):
    port, _, _ = served
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if Path(table).is_file():
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"]  # 127.0.0.1, not 0.0.0.0 and no IPv6
    for address, family in (("127.0.0.2", socket.AF_INET), ("::1", socket.AF_INET6)):
        with socket.socket(family) as s:
            s.settimeout(2)
            assert s.connect_ex((address, port)) != 0, address


def test_paths_outside_the_projects_are_refused(served):
    port, token, _ = served
    auth = {"X-Showcase-Token": token}
    for path in (
        "/p/../state",
        "/p/%2e%2e/state",
        "/p/青禾路小学/file/../../etc/passwd",
        "/p/青禾路小学/file/project.yml",
        "/preview/../../etc/passwd",
    ):
        response, _ = _request(port, path, headers=auth)
        assert response.status in (404, 400), path


def test_uploads_refuse_other_file_types(served, tmp_path):
    port, token, _ = served
    boundary = "----showcase"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="../../evil.sh"\r\n'
        f"Content-Type: text/plain\r\n\r\n#!/bin/sh\r\n--{boundary}--\r\n"
    ).encode()
    response, data = _request(
        port,
        "/api/upload",
        method="POST",
        body=body,
        headers={
            "X-Showcase-Token": token,
            "Origin": f"http://127.0.0.1:{port}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert response.status == 400 and "不能上传" in json.loads(data)["error"]
    image = make_image(tmp_path / "a.png", (50, 50)).read_bytes()
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="../../照片.png"\r\n'
        f"Content-Type: image/png\r\n\r\n".encode()
        + image
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response, data = _request(
        port,
        "/api/upload",
        method="POST",
        body=body,
        headers={
            "X-Showcase-Token": token,
            "Origin": f"http://127.0.0.1:{port}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert response.status == 200
    (item,) = json.loads(data)["files"]
    assert item["name"] == "照片.png"


def test_edit_on_a_folder_that_does_not_exist(tmp_path):
    done = _cli("edit", str(tmp_path / "没有"), "--no-browser")
    assert done.returncode == 1 and "找不到" in done.stderr


def test_word_count_pattern_is_made_from_textutil():
    from showcase.commands.editor.form import word_count_patterns
    from showcase.core import textutil

    pattern, space = word_count_patterns()
    assert pattern.startswith("[\\u{2e80}-\\u{2fdf}")
    assert "\\u{3000}" in space and "\\u{feff}" not in space  # JavaScript's \\s differs here
    assert textutil.word_count("\ufeff") == 1
