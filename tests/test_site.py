"""The showcase site: project folders become a browsable Material site (issue 2)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import yaml
from conftest import article, build, make_image, make_project, make_site, read, write
from PIL import Image
from showcase.core.textutil import SLUG_RE, slugify

GBK_YML = """\
党支部（总支）: 云岭中学党支部
学校: 云岭中学
所属区县: 云岭区
精品项目名称: “双培双树”工程
精品项目简介: 把骨干教师培养成党员，把党员培养成骨干教师，树立师德标兵和支部品牌。
党员人数: 42
项  目 负责人: 赵一鸣
联系 方式: 13800000017
项目实施目标: |
  培养一支政治过硬、业务精湛的教师队伍。

  每年发展青年教师党员不少于 2 名。
精品标识释义: 标识以红色书本和金色火炬组成，寓意立德树人、薪火相传。
显性及隐性指标:
  显性指标:
    - 零师德投诉
    - {text: 区级学科带头人, target: 20, unit: 人, actual: {2024: 12, 2025: 16}}
  隐性指标:
    - 教师职业认同感增强
项目实施的主要举措、载体与步骤: |
  一、建机制
  1. 建立“双培”台账。
  2. 每季度开展两次专题学习。
项目实施的预期效果及影响: 形成可复制的支部品牌。
支部（总支）意见:
  text: 同意申报。
  signed_by: 党支部书记
  date: 2025-03-10
标签: [双培双树, 青年教师]
类别: 队伍建设
申报年度: 2025
"""

LONG_SUMMARY = (
    "青禾路小学党支部以“1+5”为品牌，一个支部引领五支队伍：党员先锋队、骨干教师队、青年教师队、"
    "班主任队和家长志愿者队。支部围绕立德树人根本任务，把党建工作与教育教学深度融合，"
    "通过“亮身份、树标杆、结对子、办实事、比贡献”五项举措，推动党员教师在课堂教学、课后服务、"
    "家校共育中走在前、作表率。三年来，支部培养区级骨干教师12名，党员教师承担公开课80余节，"
    "建成名师工作室3个，家长满意度持续保持在98%以上，形成了可复制、可推广的基层党建工作经验，"
    "得到上级党组织和社会各界的充分肯定，成为全区学校党建工作的一面旗帜和示范窗口，值得推广。"
)


@pytest.fixture
def small_site(site_root: Path) -> Path:
    projects = site_root / "projects"
    gbk = projects / "云岭中学"
    write(gbk / "project.yml", GBK_YML, encoding="gbk")
    make_image(gbk / "logo.png", (400, 400))
    write(
        gbk / "cases" / "名师工作室.md",
        """\
        ---
        title: 名师工作室引领青年教师成长
        date: 2025-05-20
        authors: [王老师, 陈老师]
        tags: [名师工作室]
        summary: 以工作室为平台，师徒结对，共同成长。
        ---
        ## 一、背景

        学校青年教师占比高。

        ## 二、做法

        1. 揭牌成立工作室。
        2. 签订师徒结对协议。
        """,
    )
    make_image(gbk / "cases" / "名师工作室" / "01-名师工作室揭牌仪式.jpg", (800, 600))
    write(gbk / "cases" / "名师工作室" / "成员分工表.xlsx", b"PK\x03\x04" + b"0" * 2000)
    album = gbk / "photos" / "2024-09-10 教师节表彰"
    make_image(album / "01-颁奖现场.jpg", (1200, 900))
    make_image(album / "02-合影.JPG", (900, 1200))
    write(
        gbk / "plans" / "2026年工作计划.md",
        """\
        ---
        title: 2026年党支部工作计划
        year: 2026
        schedule:
          九月: [教师节表彰]
          3: [制定年度计划]
          七月: 七一主题党日
          12月: [年度考核与总结]
        ---
        全年围绕“双培双树”开展工作。
        """,
    )
    second = make_project(
        projects,
        "qinghe",
        {
            "branch": "青禾路小学党支部",
            "school": "青禾路小学",
            "name": "党组织“1+5”建设工程",
            "summary": LONG_SUMMARY,
            "leader": "孙晓梅",
            "contact": "13800000099",
            "members": 25,
        },
    )
    assert second.is_dir()
    make_site(site_root)
    return site_root


def test_every_page_and_field(small_site: Path) -> None:
    site = build(small_site / "mkdocs.yml")
    slug = slugify("云岭中学")  # the URL rule, whatever words jieba finds (test below)
    page = article(read(site, f"projects/{slug}/"))
    # Table 2, the form's headings in the form's order
    order = [
        "项目名称",
        "精品项目彩色LOGO标识",
        "申报党支部",
        "党员人数",
        "项目实施目标",
        "精品标识释义",
        "显性及隐性指标",
        "项目实施的主要举措、载体与步骤",
        "项目实施的预期效果及影响",
        "支部（总支）意见",
    ]
    positions = [page.index(h) for h in order]
    assert positions == sorted(positions)
    for text in [
        "“双培双树”工程",
        "云岭中学党支部",
        "42",
        "培养一支政治过硬",
        "红色书本和金色火炬",
        "显性指标",
        "隐性指标",
        "零师德投诉",
        "区级学科带头人",
        "教师职业认同感增强",
        "建立“双培”台账",
        "形成可复制的支部品牌",
        "同意申报",
        "2025年3月10日",
        "名师工作室引领青年教师成长",
        "教师节表彰",
        "2026年党支部工作计划",
    ]:
        assert text in page, text
    # personal data is off the public site by default
    assert "赵一鸣" not in page and "13800000017" not in page

    case_slug = slugify("名师工作室")
    case = read(site, f"projects/{slug}/cases/{case_slug}/")
    for text in [
        "王老师",
        "陈老师",
        "2025年5月20日",
        "名师工作室揭牌仪式",
        "重要资料附录",
        "成员分工表",
        "Excel 表格",
        "glightbox",
    ]:
        assert text in case, text
    assert (site / f"projects/{slug}/files/{case_slug}/成员分工表.xlsx").is_file()

    album = read(site, f"projects/{slug}/photos/{slugify('2024-09-10 教师节表彰')}/")
    assert "颁奖现场" in album and "合影" in album and "2024年9月10日" in album
    assert album.count('class="glightbox"') == 2

    plan = read(site, f"projects/{slug}/plans/{slugify('2026年工作计划')}/")
    months = [plan.index(m) for m in ["三月", "七月", "九月", "十二月"]]
    assert months == sorted(months)

    home = read(site, "")
    assert "“双培双树”工程" in home and "党组织“1+5”建设工程" in home and "sc-card" in home

    registry = article(read(site, "registry/"))
    headers = [
        "党支部（总支）",
        "党建精品项目LOGO图标",
        "展示专栏首页地址",
        "精品项目名称",
        "精品项目简介（200字以内）",
    ]
    thead = registry[registry.index("<thead>") : registry.index("</thead>")]
    positions = [thead.index(h) for h in headers]
    assert positions == sorted(positions)
    assert f"/projects/{slug}/" in registry

    data = json.loads((site / "registry.json").read_text(encoding="utf-8"))
    assert {p["name"] for p in data["projects"]} == {"“双培双树”工程", "党组织“1+5”建设工程"}
    raw = (site / "registry.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "精品项目简介（200字以内）" in raw.decode("utf-8-sig")


def test_no_personal_data_anywhere(small_site: Path) -> None:
    site = build(small_site / "mkdocs.yml")
    # something real to scan: the project's page (which has a lead and a phone) was built
    assert "党组织“1+5”建设工程" in read(site, "projects/qinghe/")
    scanned = 0
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {
            ".html",
            ".json",
            ".csv",
            ".xml",
            ".txt",
            ".js",
            ".svg",
        }:
            text = path.read_text(encoding="utf-8", errors="ignore")
            scanned += 1
            for secret in ["13800000017", "13800000099", "赵一鸣", "孙晓梅"]:
                assert secret not in text, (secret, path)
    assert scanned > 20


def test_publish_personal_masks_phone(small_site: Path) -> None:
    make_site(small_site, {"publish_personal": True})
    site = build(small_site / "mkdocs.yml")
    page = read(site, "projects/qinghe/")
    assert "孙晓梅" in page and "138****0099" in page and "13800000099" not in page


def test_long_summary_reported_and_shown_in_full(small_site: Path, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.showcase"):
        site = build(small_site / "mkdocs.yml", strict=True)  # a warning does not fail --strict
    log = "\n".join(r.getMessage() for r in caplog.records)
    assert "精品项目简介 (summary): " in log and "超出 200 字上限" in log
    from showcase.core.textutil import word_count

    assert f"{word_count(LONG_SUMMARY)} 字" in log
    assert LONG_SUMMARY in read(site, "projects/qinghe/")


def test_word_count_rule() -> None:
    from showcase.core.textutil import word_count

    assert word_count("党组织“1+5”建设工程") == 10  # 3 + quotes 2 + "1+5" 1 + 4
    assert word_count("以 AI 助力教学，2024年") == 9
    assert word_count("hello world") == 2


def test_search_index_is_segmented(small_site: Path) -> None:
    # Material's own search (the offline zip's, or `search_engine: material`); the served
    # site's Pagefind index is tested in test_search.py
    make_site(small_site, {"search_engine": "material"})
    site = build(small_site / "mkdocs.yml")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(d["text"] for d in index["docs"])
    assert "\u200b" in texts  # jieba's word boundaries
    assert any("名师工作室引领" in d["title"].replace("\u200b", "") for d in index["docs"])
    # readable Chinese anchors
    page = read(site, f"projects/{slugify('云岭中学')}/")
    assert 'id="项目实施目标"' in page


def test_images_are_derived_not_copied(small_site: Path) -> None:
    src = (
        small_site
        / "projects"
        / "云岭中学"
        / "photos"
        / "2024-09-10 教师节表彰"
        / "01-颁奖现场.jpg"
    )
    img = Image.open(src)
    exif = Image.Exif()
    exif[0x0110] = "Phone X"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}
    img.save(src, exif=exif)
    site = build(small_site / "mkdocs.yml")
    published = [
        p for p in site.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".webp", ".png"}
    ]
    assert published
    for path in published:
        with Image.open(path) as out:
            assert not out.getexif(), path
    # no raw source photo is published under its own name
    assert not list(site.rglob("01-颁奖现场.jpg"))


def test_handwritten_index_places_cards(small_site: Path) -> None:
    write(
        small_site / "docs" / "index.md",
        "# 我区党建\n\n欢迎。\n\n<!-- showcase:cards -->\n\n以上为全部项目。\n",
    )
    site = build(small_site / "mkdocs.yml")
    home = read(site, "")
    assert "欢迎。" in home and "以上为全部项目" in home
    assert home.index("欢迎。") < home.index("sc-cards") < home.index("以上为全部项目")
    assert 'href="projects/qinghe/"' in home


def test_custom_dir_overrides_templates(small_site: Path) -> None:
    write(
        small_site / "overrides" / "showcase" / "cards.html",
        '<div class="my-cards">自定义卡片 {{ projects|length }}</div>\n',
    )
    config = yaml.safe_load((small_site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = "overrides"
    (small_site / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
    )
    site = build(small_site / "mkdocs.yml")
    assert "自定义卡片 2" in read(site, "")


def test_global_nav_stays_small(site_root: Path) -> None:
    for i in range(15):
        make_project(
            site_root / "projects",
            f"school{i:02d}",
            {
                "branch": f"第{i}小学党支部",
                "name": f"项目{i}",
                "summary": "简介。",
            },
            logo=False,
        )
    make_site(site_root)
    site = build(site_root / "mkdocs.yml")
    home = read(site, "")
    registry = read(site, "registry/")
    # more projects than nav_projects_max: project homepages are not in the global nav
    nav = home[
        home.index('class="md-nav md-nav--primary"') : home.index(
            "</nav>", home.index('class="md-nav md-nav--primary"')
        )
    ]
    assert "school03" not in nav
    assert "登记表" in nav
    assert len(read(site, "projects/school03/")) < len(registry) + 20000


def test_slug_override_and_pinyin(site_root: Path) -> None:
    make_project(
        site_root / "projects",
        "明德教育集团",
        {
            "branch": "明德教育集团党总支",
            "name": "“2345”党建品牌",
            "summary": "简介。",
            "slug": "mingde",
        },
    )
    make_project(
        site_root / "projects",
        "东湖实验中学",
        {
            "branch": "东湖实验中学党支部",
            "name": "红烛先锋",
            "summary": "简介。",
        },
    )
    make_site(site_root)
    site = build(site_root / "mkdocs.yml")
    assert (site / "projects" / "mingde" / "index.html").is_file()
    # the promise is pinyin, not where the words split (jieba's dictionary decides that)
    (slug,) = [p.name for p in (site / "projects").iterdir() if p.name != "mingde"]
    assert SLUG_RE.fullmatch(slug) and slug.replace("-", "") == "donghushiyanzhongxue", slug
    assert (site / "projects" / slug / "index.html").is_file()


def test_districts_page_groups_projects(site_root: Path) -> None:
    for folder, district, members in [
        ("a", "青溪区", 10),
        ("b", "云岭区", 7),
        ("c", "青溪区", 5),
        ("d", None, 3),
    ]:
        fields = {
            "branch": f"{folder}小学党支部",
            "name": f"项目{folder}",
            "summary": "简介。",
            "members": members,
        }
        if district:
            fields["district"] = district
        make_project(site_root / "projects", folder, fields, logo=False)
    make_site(site_root)
    site = build(site_root / "mkdocs.yml")
    page = article(read(site, "districts/"))
    # biggest district first, projects without a district last
    assert page.index("青溪区") < page.index("云岭区") < page.index("未填写区县")
    qingxi = page[page.index("青溪区") : page.index("云岭区")]
    assert "2 个项目" in qingxi and "党员 15 名" in qingxi
    assert 'href="../projects/a/"' in qingxi and 'href="../projects/c/"' in qingxi
    home = read(site, "")
    assert home.index('href="statistics/"') < home.index('href="districts/"')  # in the global nav


def test_no_districts_page_without_districts(small_site: Path) -> None:
    for folder in ("云岭中学",):
        yml = small_site / "projects" / folder / "project.yml"
        yml.write_bytes(yml.read_bytes().replace("所属区县: 云岭区\n".encode("gbk"), b""))
    site = build(small_site / "mkdocs.yml")
    assert not (site / "districts").exists()


def test_not_found_page_is_chinese(small_site: Path) -> None:
    site = build(small_site / "mkdocs.yml")
    page = (site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in page and "Not found" not in page
    assert 'href="/">返回首页' in page
