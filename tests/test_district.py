"""The district build: folders, zips and git repositories in one site (issue 8)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import make_image, make_project, make_site, read, write
from lxml import html as lxml_html
from showcase.config import default_settings
from showcase.reading import archives, sources

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="needs the git command")


# --- helpers -----------------------------------------------------------------------


def image_bytes(size=(320, 240), color=(200, 16, 46), fmt="JPEG") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


def project_yml(**fields) -> str:
    return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)


class WindowsZipInfo(zipfile.ZipInfo):
    """An entry as Windows' built-in zip tool writes it: GBK name bytes, UTF-8 flag (bit 11) unset."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's name
        return self.filename.encode("cp437"), self.flag_bits & ~0x800


def gbk_zip(path: Path, files: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = WindowsZipInfo(
                name.encode("gbk").decode("cp437"), date_time=(2025, 3, 1, 9, 30, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    # the archive really holds GBK bytes without the UTF-8 flag
    with zipfile.ZipFile(path) as zf:
        assert all(not i.flag_bits & 0x800 for i in zf.infolist())
    return path


def git(*args: str, cwd: Path) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="测试",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="测试",
        GIT_COMMITTER_EMAIL="t@example.org",
        GIT_AUTHOR_DATE="2025-03-01T10:00:00+08:00",
        GIT_COMMITTER_DATE="2025-03-01T10:00:00+08:00",
    )
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def git_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git("init", "-q", "-b", "main", cwd=path)
    return path


def commit_all(repo: Path, message: str = "提交") -> None:
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", message, cwd=repo)


def build_cfg(config_file: Path, *, strict: bool = False):
    """A real in-process `mkdocs build`; returns the config (its plugins keep their state)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cfg = load_config(str(config_file), strict=strict)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return cfg


def doc(site: Path, url: str):
    return lxml_html.fromstring(read(site, url))


def texts(nodes) -> list[str]:
    return [" ".join(n.text_content().split()) for n in nodes]


# --- the district fixture -----------------------------------------------------------

QINGHE = dict(
    branch="青禾路小学党支部",
    school="青禾路小学",
    name="党组织“1+5”建设工程",
    summary="一个支部带动五支队伍。",
    members=30,
    district="青溪区",
    category="队伍建设",
    year=2025,
    tags=["名师工作室", "青年教师"],
    indicators={
        "explicit": [
            "零师德投诉",
            {"text": "区级学科带头人", "target": 20, "unit": "人", "actual": {2024: 10, 2025: 20}},
            {"text": "高级职称教师", "target": 50, "unit": "人", "actual": {2025: 25}},
        ],
        "implicit": ["教师职业认同感增强"],
    },
)
MINGDE = dict(
    branch="明德教育集团党总支",
    school="明德教育集团",
    name="“2345”党建品牌",
    summary="双岗三比四创五帮。",
    members=105,
    district="青溪区",
    category="师德师风",
    year=2024,
    tags=["青年教师"],
    indicators={
        "explicit": [{"text": "师德标兵", "target": 30, "unit": "人", "actual": {2025: 27}}]
    },
)
DONGHU = dict(
    branch="东湖中学党支部",
    school="东湖中学",
    name="红烛先锋",
    summary="党员教师亮身份、作表率。",
    members=42,
    district="东湖区",
    category="队伍建设",
    year=2025,
    tags=["名师工作室"],
    indicators={"explicit": [{"text": "公开课", "target": 10, "unit": "节", "actual": {2025: 12}}]},
)
XINGXING = dict(
    branch="小星星幼儿园党支部",
    school="小星星幼儿园",
    name="星火育苗",
    summary="以爱育爱。",
    members=12,
    district="东湖区",
    category="家园共育",
    year=2025,
)
CHENGNAN = dict(
    branch="城南小学党支部",
    school="城南小学",
    name="红领巾引路",
    summary="少先队与党建结合。",
    district="东湖区",
    category="队伍建设",
    year=2025,
)
YUNLING = dict(
    branch="云岭职业技术学校党总支",
    school="云岭职业技术学校",
    name="工匠铸魂",
    summary="党建引领技能成长。",
    members=60,
    district="云岭县",
    category="产教融合",
    year=2025,
    tags=["工匠"],
)
# deliberately incomplete: no summary (required), no school (recommended), no logo, no cases, no photos
PARTIAL = dict(branch="溪口小学党支部", name="溪口先锋", district="云岭县")
# the git repository also carries a copy of 青禾路小学 under the same slug
DUPLICATE = dict(QINGHE, name="党组织“1+5”建设工程（重复提交）", slug="qinghe")


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("district")
    # 1. a folder of project folders
    schools = root / "schools"
    qinghe = make_project(schools, "qinghe", QINGHE)
    make_image(qinghe / "photos" / "2025-03-05 学雷锋" / "01-志愿服务.jpg", (320, 240))
    write(
        qinghe / "cases" / "名师工作室.md",
        "---\ntitle: 名师工作室\ndate: 2025-03-01\n---\n\n正文。\n",
    )
    make_project(schools, "mingde", MINGDE)
    make_project(schools, "xikou", PARTIAL, logo=False)
    # 2. a folder of zip submissions: GBK names from Windows, and one zip with a wrapper folder
    logo = image_bytes((200, 200), fmt="PNG")
    gbk_zip(
        root / "inbox" / "东湖中学.zip",
        {
            "东湖中学/project.yml": project_yml(**DONGHU).encode("utf-8"),
            "东湖中学/logo.png": logo,
            "东湖中学/photos/2025-03-01 开学典礼/01-升旗仪式.jpg": image_bytes(),
            "东湖中学/cases/红烛先锋岗.md": "---\ntitle: 红烛先锋岗\n---\n\n案例正文。\n".encode(
                "gbk"
            ),
        },
    )
    with zipfile.ZipFile(root / "inbox" / "group.zip", "w") as zf:
        zf.writestr("提交材料/xingxing/project.yml", project_yml(**XINGXING))
        zf.writestr("提交材料/xingxing/logo.png", logo)
        zf.writestr("提交材料/chengnan/project.yml", project_yml(**CHENGNAN))
        zf.writestr("提交材料/chengnan/logo.png", logo)
    # 3. a git repository, cloned through a file:// URL with a ref
    repo = git_repo(root / "repo")
    make_project(repo, "yunling", YUNLING)
    commit_all(repo)
    url = (root / "repo").as_uri()
    # the office asks for its review page (internal otherwise: not built, see test_details.py)
    config = make_site(
        root, {"sources": ["schools", "inbox", {"git": url, "ref": "main"}], "review_page": True}
    )
    cfg = build_cfg(config)
    plugin = cfg.plugins["showcase"]
    # MkDocs keeps one plugin instance per process: keep this build's result, not the plugin
    return {
        "root": root,
        "site": Path(cfg.site_dir),
        "result": plugin.result,
        "decodes": plugin.media.decodes,
        "url": url,
        "config": config,
    }


PUBLISHED = {
    "qinghe": QINGHE,
    "mingde": MINGDE,
    "xingxing": XINGXING,
    "chengnan": CHENGNAN,
    "yunling": YUNLING,
}


def test_every_source_publishes_its_projects(district):
    site, result = district["site"], district["result"]
    slugs = {p.slug: p for p in result.published}
    donghu = next(p for p in result.published if p.get("name") == "红烛先锋")
    assert set(slugs) == {*PUBLISHED, donghu.slug}
    for slug in [*PUBLISHED, donghu.slug]:
        assert (site / "projects" / slug / "index.html").is_file(), slug
    # the GBK names came through: folder, album and caption are Chinese, not mojibake
    assert donghu.folder.name == "东湖中学"
    assert donghu.source_label == "inbox/东湖中学.zip"
    album = donghu.albums[0]
    assert album.title.endswith("开学典礼")
    assert album.photos[0].caption == "升旗仪式"
    assert [c.title for c in donghu.cases] == ["红烛先锋岗"]
    assert "升旗仪式" in read(site, f"projects/{donghu.slug}/photos/{album.slug}/")
    # each project knows where it came from, and file dates come from the zip
    assert slugs["qinghe"].source_label == "schools"
    assert slugs["xingxing"].source_label == "inbox/group.zip"
    assert slugs["yunling"].source_label == district["url"] + "#main"
    assert donghu.modified.year == 2025 and donghu.modified.month == 3
    # the registry lists every published project
    rows = doc(site, "registry/").xpath('//table[@id="sc-registry"]/tbody/tr')
    assert len(rows) == 6


def test_duplicate_slug_publishes_both_apart_and_names_both_sources(site_root):
    make_project(site_root / "projects", "qinghe", QINGHE)
    make_project(site_root / "more", "qinghe-copy", DUPLICATE)
    cfg = build_cfg(make_site(site_root, {"sources": ["projects", "more"]}))
    result = cfg.plugins["showcase"].result
    dups = [f for f in result.findings if f.field == "slug" and f.is_error]
    assert len(dups) == 2
    for finding in dups:  # each names both sources
        text = finding.format()
        assert "qinghe（来自 projects）" in text and "qinghe-copy（来自 more）" in text
    # the stable rule of docs/guide.md: slug-<6 hex of sha256(source as written + folder)>
    code = {
        name: "qinghe-" + hashlib.sha256(f"{label}\n{name}".encode()).hexdigest()[:6]
        for label, name in (("projects", "qinghe"), ("more", "qinghe-copy"))
    }
    assert {p.slug for p in result.published} == set(code.values())
    site = Path(cfg.site_dir)
    title = {k: doc(site, f"projects/{v}/").xpath("string(//title)") for k, v in code.items()}
    assert "重复提交" not in title["qinghe"] and "重复提交" in title["qinghe-copy"]


def test_rebuild_with_nothing_changed_does_no_image_work(district):
    from mkdocs.config import load_config

    assert district["decodes"] > 0  # the first build derived every image
    # as in a new process: only the cache on disk is left (MkDocs reuses the plugin instance)
    load_config(str(district["config"])).plugins["showcase"].media = None
    again = build_cfg(district["config"]).plugins["showcase"]
    assert again.media.decodes == 0
    assert {p.slug for p in again.result.published} == {
        p.slug for p in district["result"].published
    }


def test_duplicate_fails_strict_build(site_root):
    from mkdocs.exceptions import Abort

    make_project(site_root / "projects", "qinghe", QINGHE)
    build_cfg(make_site(site_root), strict=True)  # alone it is clean
    make_project(site_root / "more", "qinghe", QINGHE)
    config = make_site(site_root, {"sources": ["projects", "more"]})
    with pytest.raises(Abort, match="2 errors"):  # one per project sharing the slug
        build_cfg(config, strict=True)


def test_facet_counts_match_the_inputs(district):
    site = district["site"]
    for url, target in (("", "sc-cards"), ("registry/", "sc-registry")):
        page = doc(site, url)
        box = page.xpath(f'//div[@data-sc-facets][@data-sc-target="{target}"]')[0]
        counts = {}
        for button in box.xpath(".//button[@data-facet]"):
            count = int(button.xpath('.//span[@class="sc-facet__count"]')[0].text)
            counts[(button.get("data-facet"), button.get("data-value"))] = count
            assert button.get("aria-pressed") in ("true", "false")
        assert counts[("district", "")] == 6
        assert counts[("district", "青溪区")] == 2
        assert counts[("district", "东湖区")] == 3
        assert counts[("district", "云岭县")] == 1
        assert counts[("category", "队伍建设")] == 3
        assert counts[("category", "师德师风")] == 1
        assert counts[("tags", "青年教师")] == 2
        assert counts[("tags", "名师工作室")] == 2
        assert counts[("year", "2025")] == 5
        assert counts[("year", "2024")] == 1
        assert box.xpath('.//*[@role="status"][@aria-live="polite"]')
        # without JavaScript every project is listed: nothing is hidden at build time
        items = page.xpath(f'//*[@id="{target}"]//*[@data-district]')
        assert len(items) == 6 and not [i for i in items if i.get("hidden") is not None]
        # the item attributes agree with the counts
        assert sum(1 for i in items if i.get("data-district") == "东湖区") == 3
        assert sum(1 for i in items if "青年教师" in i.get("data-tags").split("|")) == 2
    assert (site / "assets" / "showcase" / "facets.js").is_file()
    assert "assets/showcase/facets.js" in read(site, "")


def test_statistics_numbers_match_the_inputs(district):
    site = district["site"]
    page = doc(site, "statistics/")
    stats = dict(
        zip(
            texts(page.xpath('//span[@class="sc-stat__label"]')),
            texts(page.xpath('//span[@class="sc-stat__value"]')),
            strict=True,
        )
    )
    assert stats["精品项目"] == "6"
    assert stats["党支部（总支）"] == "6"
    assert stats["党员人数合计"] == str(30 + 105 + 42 + 12 + 60)  # 城南 gave no number
    assert "不含 1 个未填写" in read(site, "statistics/")
    rows = {
        r[0]: r[1:]
        for r in (
            texts(tr.xpath("./*")) for tr in page.xpath('//table[@id="sc-stats-district"]//tr')
        )
    }
    # 区县: projects, members, measured indicators, reached, average completion
    assert rows["青溪区"] == ["2", "135", "3", "1", str(round((1 + 0.5 + 0.9) / 3 * 100)) + "%"]
    assert rows["东湖区"] == ["3", "54", "1", "1", "100%"]
    assert rows["云岭县"] == ["1", "60", "0", "0", "—"]
    assert rows["合计"] == ["6", "249", "4", "2", str(round((1 + 0.5 + 0.9 + 1) / 4 * 100)) + "%"]
    cats = {
        r[0]: r[1]
        for r in (
            texts(tr.xpath("./*")) for tr in page.xpath('//table[@id="sc-stats-category"]/tbody/tr')
        )
    }
    assert cats == {"队伍建设": "3", "师德师风": "1", "家园共育": "1", "产教融合": "1"}
    bands = {
        r[0]: r[1]
        for r in (
            texts(tr.xpath("./*")) for tr in page.xpath('//table[@id="sc-stats-bands"]/tbody/tr')
        )
    }
    assert bands == {"已达标": "2", "80%–99%": "1", "50%–79%": "1", "低于 50%": "0"}
    # the charts are inline SVG drawn at build time, bars labelled with the same numbers
    svgs = page.xpath("//figure[@class='sc-chart']/*[local-name()='svg']")
    assert len(svgs) == 4
    bars = svgs[0].xpath(".//*[local-name()='rect']/*[local-name()='title']")
    assert texts(bars) == ["东湖区：3", "青溪区：2", "云岭县：1"]
    body = read(site, "statistics/")
    assert "<script" not in body.split("<article", 1)[1].split("</article>", 1)[0]
    # statistics is in the global navigation, third
    nav = texts(page.xpath('//nav[contains(@class,"md-nav--primary")]/ul/li/a'))
    assert nav[1:3] == ["登记表", "统计"]  # home first, whatever its title


def test_review_page_lists_exactly_what_is_missing(district):
    site = district["site"]
    page = doc(site, "review/")
    item = next(
        s
        for s in page.xpath('//section[contains(@class,"sc-review__item")]')
        if "溪口先锋" in s.xpath("./h2")[0].text_content()
    )
    missing = [li.get("data-missing") for li in item.xpath('.//ul[@class="sc-review__missing"]/li')]
    assert missing == ["summary", "logo", "school", "cases", "photos"]
    facts = dict(zip(texts(item.xpath(".//dt")), texts(item.xpath(".//dd")), strict=True))
    assert facts["发布"].startswith("未发布")
    assert re.match(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", facts["最后修改"])
    assert "缺少必填项“精品项目简介”" in item.text_content()
    # a complete project lacks nothing
    complete = next(
        s
        for s in page.xpath('//section[contains(@class,"sc-review__item")]')
        if s.get("data-slug") == "qinghe"
    )
    assert complete.xpath('.//ul[@class="sc-review__missing"]') == []
    # the 东湖 zip's finding places read as inside the zip, not inside our cache
    assert ".cache" not in page.xpath('//section[@data-slug="yunling"]')[0].text_content()
    # asked for: in the navigation, never sent to search engines
    assert "审核" in texts(doc(site, "").xpath('//nav[contains(@class,"md-nav--primary")]//a'))
    assert 'name="robots" content="noindex"' in read(site, "review/")
    assert "review/" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_check_html_writes_the_review_report(district):
    from showcase.commands.cli import main

    root = district["root"]
    out = root / "review.html"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(
            main, ["check", "--format", "html", "-o", str(out), "-f", "mkdocs.yml"]
        )
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1, result.output  # the duplicate and the missing summary are errors
    assert "已写入" in result.output
    page = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    item = next(
        s
        for s in page.xpath('//section[contains(@class,"sc-review__item")]')
        if "溪口先锋" in s.text_content()
    )
    assert [
        li.get("data-missing") for li in item.xpath('.//ul[@class="sc-review__missing"]/li')
    ] == ["summary", "logo", "school", "cases", "photos"]
    assert page.xpath("//script") == []


def test_review_page_in_nav_when_asked_and_facets_on_a_hand_written_home(site_root):
    make_project(site_root / "projects", "qinghe", QINGHE)
    make_project(site_root / "projects", "yunling", YUNLING)
    config = make_site(site_root, {"review_page": True})
    write(site_root / "docs" / "index.md", "# 欢迎\n\n各校项目：\n\n<!-- showcase:cards -->\n")
    site = Path(build_cfg(config).site_dir)
    home = doc(site, "")
    nav = texts(home.xpath('//nav[contains(@class,"md-nav--primary")]/ul/li/a'))
    assert "审核" in nav
    assert "noindex" in read(site, "review/")  # internal all the same
    buttons = home.xpath('//div[@data-sc-target="sc-cards"]//button[@data-facet="district"]')
    assert [b.get("data-value") for b in buttons] == ["", "云岭县", "青溪区"]
    assert len(home.xpath('//div[@id="sc-cards"]/a[@data-district]')) == 2


# --- sources on their own --------------------------------------------------------------


def resolve(tmp_path: Path, entries: list, **options) -> tuple[list, list]:
    settings = default_settings(base_dir=tmp_path, cache_dir=str(tmp_path / ".cache"), **options)
    # entries the config class would refuse are given anyway: the reader must survive them
    return sources.resolve_sources(settings.replace(sources=entries))


def test_zip_slip_entries_are_refused(tmp_path):
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("ok/project.yml", project_yml(**XINGXING))
        zf.writestr("../escaped.txt", "x")
        zf.writestr("ok/../../escaped2.txt", "x")
        zf.writestr("/etc/abs.txt", "x")
        zf.writestr("C:/Windows/drive.txt", "x")
        zf.writestr("ok\\..\\..\\backslash.txt", "x")
        link = zipfile.ZipInfo("ok/link")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    found, findings = resolve(tmp_path, ["evil.zip"])
    messages = [f.message for f in findings]
    for name in (
        "../escaped.txt",
        "ok/../../escaped2.txt",
        "/etc/abs.txt",
        "C:/Windows/drive.txt",
        "ok/../../backslash.txt",
    ):
        assert any(f"“{name}”指向解压文件夹以外" in m for m in messages), name
    assert any("“ok/link”是符号链接" in m for m in messages)
    assert all(f.file == str(bad) for f in findings)
    # nothing escaped; the safe project is still there, without the link
    assert not list(tmp_path.rglob("escaped*")) and not list(tmp_path.rglob("backslash*"))
    assert [p.folder.name for p in found] == ["ok"]
    assert not (found[0].folder / "link").exists()


def test_oversize_and_bomb_zips_are_refused(tmp_path):
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("p/project.yml", project_yml(**XINGXING))
        zf.writestr("p/video.mp4", os.urandom(1_300_000))
    found, findings = resolve(tmp_path, ["big.zip"], max_zip_mb=1)
    assert found == []
    assert "超过 1 MB 上限" in findings[0].message and findings[0].file == str(big)
    # small on disk, large unpacked
    packed = tmp_path / "packed.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("p/project.yml", project_yml(**XINGXING))
        zf.writestr("p/zeros.bin", b"\0" * 3_000_000)
    assert packed.stat().st_size < 100_000
    found, findings = resolve(tmp_path, ["packed.zip"], max_zip_mb=2)
    assert found == [] and "zip 解压后有 2.9 MB，超过 2 MB 上限" in findings[0].message
    # within the limit, but an absurd compression ratio
    found, findings = resolve(tmp_path, ["packed.zip"], max_zip_mb=50)
    assert found == [] and "压缩炸弹" in findings[0].message
    assert not (tmp_path / ".cache" / "sources").exists() or not any(
        (tmp_path / ".cache" / "sources").glob("zip-*")
    )


def test_broken_zip_and_missing_sources_are_findings(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "notes.txt").write_text("x")
    found, findings = resolve(
        tmp_path,
        ["broken.zip", "nowhere", "notes.txt", 42, {"git": "-upload-pack=x"}, {"svn": "x"}],
    )
    assert found == []
    messages = " | ".join(f.message for f in findings)
    assert "不是有效的 zip 文件" in messages
    assert "找不到来源“nowhere”" in messages
    assert "既不是文件夹，也不是 zip 文件" in messages
    assert "“42”应是文件夹路径、zip 文件或 git 地址" in messages
    assert "git 地址“-upload-pack=x”无效" in messages
    assert "不认识的键：svn" in messages
    assert all(f.is_error for f in findings)


def test_zip_extraction_is_cached_by_content(tmp_path):
    path = gbk_zip(
        tmp_path / "东湖中学.zip", {"东湖中学/project.yml": project_yml(**DONGHU).encode()}
    )
    found, findings = resolve(tmp_path, ["东湖中学.zip"])
    assert findings == [] and [p.folder.name for p in found] == ["东湖中学"]
    first = found[0].folder
    marker = first / "marker"
    marker.write_text("same extraction")
    found_again, _ = resolve(tmp_path, ["东湖中学.zip"])
    assert found_again[0].folder == first and marker.exists()  # reused, not extracted again
    gbk_zip(path, {"东湖中学/project.yml": project_yml(**dict(DONGHU, members=43)).encode()})
    changed, _ = resolve(tmp_path, ["东湖中学.zip"])
    assert changed[0].folder != first and "43" in (changed[0].folder / "project.yml").read_text()
    assert not list((tmp_path / ".cache" / "sources").glob(".tmp-*"))


@needs_git
def test_git_source_updates_on_rebuild_and_failures_are_findings(tmp_path):
    repo = git_repo(tmp_path / "repo")
    make_project(repo, "yunling", YUNLING, logo=False)
    commit_all(repo)
    url = repo.as_uri()
    found, findings = resolve(tmp_path, [url])
    assert findings == [] and [p.folder.name for p in found] == ["yunling"]
    make_project(repo, "chengnan", CHENGNAN, logo=False)
    commit_all(repo, "第二所学校")
    found, findings = resolve(tmp_path, [url + "#main"])
    assert findings == [] and sorted(p.folder.name for p in found) == ["chengnan", "yunling"]
    assert found[0].label == url + "#main"
    # files carry the commit's date, which the review page shows as the last change
    committed = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    assert int((found[0].folder / "project.yml").stat().st_mtime) == int(committed) == 1740794400
    # a ref that does not exist: the last fetched copy is used, with a warning
    found, findings = resolve(tmp_path, [{"git": url, "ref": "no-such-branch"}])
    assert (
        len(found) == 2
        and findings[0].level.value == "warning"
        and "使用上次获取的内容" in findings[0].message
    )
    # a repository that is not there, and an option smuggled in as a ref
    found, findings = resolve(
        tmp_path, [(tmp_path / "missing").as_uri(), {"git": url, "ref": "--upload-pack=x"}]
    )
    assert found == []
    assert "无法获取 git 仓库" in findings[0].message
    assert "分支或标签名“--upload-pack=x”无效" in findings[1].message


def test_gbk_names_are_decoded():
    info = zipfile.ZipInfo("学校/照片.jpg".encode("gbk").decode("cp437"))
    assert archives.entry_name(info) == "学校/照片.jpg"
    utf8_unflagged = zipfile.ZipInfo("学校/照片.jpg".encode().decode("cp437"))
    assert archives.entry_name(utf8_unflagged) == "学校/照片.jpg"
    flagged = zipfile.ZipInfo("ascii\\name.txt")
    assert archives.entry_name(flagged) == "ascii/name.txt"


def test_a_project_zipped_from_inside_its_folder_is_named_like_the_zip(tmp_path):
    gbk_zip(
        tmp_path / "城南小学.zip",
        {"project.yml": project_yml(**CHENGNAN).encode(), "logo.png": image_bytes(fmt="PNG")},
    )
    found, findings = resolve(tmp_path, ["城南小学.zip"])
    assert findings == [] and [p.folder.name for p in found] == ["城南小学"]
    assert (found[0].folder / "logo.png").is_file()


@needs_git
def test_a_repository_that_is_one_project(tmp_path):
    repo = git_repo(tmp_path / "yunling")
    make_project(tmp_path, "yunling", YUNLING, logo=False)
    commit_all(repo)
    found, findings = resolve(tmp_path, [repo.as_uri() + "#main"])
    assert findings == [] and [p.folder.name for p in found] == ["yunling"]


def test_cache_prune_drops_unpacked_zips_no_source_uses(tmp_path: Path) -> None:
    from showcase.commands.prune import run_prune

    files = {
        "东湖中学/project.yml": project_yml(
            branch="东湖中学党支部", name="项目", summary="简介。"
        ).encode()
    }
    old = gbk_zip(tmp_path / "inbox" / "旧.zip", files)
    new = gbk_zip(tmp_path / "inbox2" / "新.zip", {k: v + b"\n" for k, v in files.items()})
    settings = default_settings(
        sources=[str(old)], cache_dir=str(tmp_path / ".cache"), base_dir=tmp_path
    )
    sources.resolve_sources(settings)
    settings = settings.replace(sources=[str(new)])
    found, _ = sources.resolve_sources(settings)
    cache = tmp_path / ".cache" / "sources"
    assert len(list(cache.iterdir())) == 2
    assert run_prune(settings) == 0
    left = list(cache.iterdir())
    assert len(left) == 1 and found[0].folder.resolve().is_relative_to(left[0].resolve())
