"""The district portal's whole story in chromium: the district creates two schools, school A
fills, saves and submits its form, the district returns it with a comment on a field, A
sees the comment beside that field, fixes and resubmits, the district approves and rebuilds,
and the public site shows A but not B's draft; git holds A's saves with A as author.

Screenshots go to test-output/screenshots/portal-*.png: look at them after a change.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import quote, urlsplit

from conftest import SHOTS
from portal_helpers import TEST_KDF_N
from showcase.commands.portal import passwords
from showcase.commands.portal.app import create_portal_app
from showcase.commands.portal.service import Portal, PortalConfig

DISTRICT_PW = "District-pass-2025"
A_PW = "Qinghe-school-2025"
NAME_A = "“1+5”师德引领工程"
DRAFT_B = "乙校尚未提交的草稿"


def _serve(portal: Portal):
    from waitress import create_server

    server = create_server(create_portal_app(portal), host="127.0.0.1", port=0, threads=6)
    portal.config.allowed_hosts.append(f"127.0.0.1:{server.effective_port}")
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def _context(browser, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.set_default_timeout(30_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            else route.abort()
        ),
    )
    return context


def _login(page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("button:has-text('登录')")
    page.wait_for_load_state()


def _first_login(page, base: str, login: str, one_time: str, new: str) -> None:
    _login(page, base, login, one_time)
    assert page.url.endswith("/password")
    page.fill("#current", one_time)
    page.fill("#new", new)
    page.fill("#new2", new)
    page.click("button:has-text('修改密码')")
    page.wait_for_url(f"{base}/")


def _create_school(page, base: str, school: str, login: str) -> str:
    page.goto(f"{base}/district")
    page.fill("#acc-school", school)
    page.fill("#acc-login", login)
    page.click("#new-account button[type=submit]")
    return page.locator("#new-password").inner_text().strip()


def _save(page) -> None:
    page.click("#save")
    page.locator("#status.ok").wait_for()  # set after the page reloads from the saved files
    assert page.locator("#status").inner_text().startswith("已保存")


def test_the_whole_story(browser, tmp_path):
    portal, _ = Portal.create(
        tmp_path / "门户", "district", PortalConfig(allowed_hosts=[], kdf_n=TEST_KDF_N)
    )
    portal.store.set_password("district", passwords.hash_password(DISTRICT_PW, TEST_KDF_N), False)
    server, base = _serve(portal)
    problems: list[str] = []
    try:
        district = _context(browser).new_page()
        district.on("pageerror", lambda e: problems.append(str(e)))
        _login(district, base, "district", DISTRICT_PW)
        assert district.url.endswith("/district"), district.content()[-1500:]
        pw_a = _create_school(district, base, "青禾路小学", "schoola")
        pw_b = _create_school(district, base, "明德中学", "schoolb")
        folder_a = f"/p/{quote('青禾路小学')}/"

        school = _context(browser).new_page()
        school.on("pageerror", lambda e: problems.append(str(e)))
        _first_login(school, base, "schoola", pw_a, A_PW)
        school.click("a:has-text('填写申报表')")
        school.wait_for_selector("#form")
        school.wait_for_load_state()
        school.fill('[name="branch"]', "青禾路小学党支部")
        school.fill('[name="name"]', NAME_A)
        school.fill('[name="summary"]', "以一个支部带动五支队伍。")
        _save(school)
        school.mouse.wheel(0, -100_000)
        school.wait_for_timeout(300)
        school.screenshot(path=str(SHOTS / "portal-school-form-1280.png"), full_page=False)
        school.click("#btn-submit")
        school.wait_for_selector("text=已提交审核")

        other = _context(browser).new_page()
        _first_login(other, base, "schoolb", pw_b, "Mingde-school-2025")
        other.goto(f"{base}/p/{quote('明德中学')}/")
        other.wait_for_load_state()
        other.fill('[name="branch"]', "明德中学党支部")
        other.fill('[name="name"]', DRAFT_B)
        other.fill('[name="summary"]', "还在写。")
        _save(other)

        # the district returns A with a comment on the brief
        district.goto(base + folder_a)
        assert district.locator("#save").is_hidden()  # read-only for the district
        district.select_option("#comment-field", "summary")
        district.fill("#comment-text", "简介请写出具体做法和时间安排")
        district.click("button:has-text('添加批注')")
        district.click("#btn-return")
        district.wait_for_url(f"{base}/district*")
        assert "退回修改" in district.locator("#overview").inner_text()
        district.screenshot(path=str(SHOTS / "portal-district-1280.png"), full_page=True)

        # A sees the comment beside the field, fixes it and resubmits
        school.goto(base + folder_a)
        note = school.locator("#f-summary .review-comment")
        note.wait_for()
        assert "简介请写出具体做法和时间安排" in note.inner_text()
        school.locator("#f-summary").scroll_into_view_if_needed()
        school.locator("#f-summary").screenshot(path=str(SHOTS / "portal-returned-field-1280.png"))
        school.fill(
            '[name="summary"]', "以一个支部带动五支队伍：每月一次师德讲堂，每学期一次结对。"
        )
        _save(school)
        school.click("#btn-submit")
        school.wait_for_selector("text=已提交审核")

        # the district approves and rebuilds; the public site shows A and not B's draft
        district.goto(base + folder_a)
        district.click("#btn-approve")
        district.wait_for_url(f"{base}/district*")
        district.click("#btn-rebuild")
        assert portal.publisher.wait(600), "the build did not finish"
        assert not portal.publisher.state.last_error, portal.publisher.state.last_error
        district.goto(f"{base}/district")
        district.wait_for_selector("#build-ok")
        public = _context(browser).new_page()
        public.goto(f"{base}/site/")
        body = public.content()
        assert NAME_A in body and DRAFT_B not in body
        links = public.locator("a", has_text=NAME_A)
        next(links.nth(i) for i in range(links.count()) if links.nth(i).is_visible()).click()
        public.wait_for_load_state()
        assert "每月一次师德讲堂" in public.content()

        # git history: A's saves, with A as author
        log = portal.repo.log("青禾路小学")
        assert [v.author for v in log].count("schoola") == 2
        assert all(v.email == "schoola@portal.invalid" for v in log if v.author == "schoola")

        # the same pages on a phone
        for name, who, path, target in (
            ("school-form", A_PW, folder_a, None),
            ("returned-field", None, None, None),
            ("district", DISTRICT_PW, "/district", None),
        ):
            del target
            if who is None:
                continue
            phone = _context(browser, width=390).new_page()
            _login(phone, base, "schoola" if who == A_PW else "district", who)
            phone.goto(base + path)
            phone.screenshot(
                path=str(SHOTS / f"portal-{name}-390.png"), full_page=name == "district"
            )
        # a returned field on a phone: B, returned with a comment
        with portal.lock:
            portal.submit(portal.store.account("schoolb"), "明德中学", "test")
        portal.store.add_comment("明德中学", "name", "项目名称请与申报表一致", "district")
        portal.review(portal.store.account("district"), "明德中学", "return", "test")
        phone = _context(browser, width=390).new_page()
        _login(phone, base, "schoolb", "Mingde-school-2025")
        phone.goto(f"{base}/p/{quote('明德中学')}/")
        field = phone.locator("#f-name")
        field.locator(".review-comment").wait_for()
        field.scroll_into_view_if_needed()
        phone.screenshot(path=str(SHOTS / "portal-returned-field-390.png"))
        assert not problems, problems
    finally:
        server.close()
        time.sleep(0.1)
