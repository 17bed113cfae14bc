"""A district whose schools have names readers type: for the search tests and bench_search.

bench_district's schools are 第1小学 … 第300小学; readers search for 柳塘湾小学 or
凤鸣山中学, unspaced (柳塘湾应急演练), misspelt (柳塘弯小学), in traditional characters
(鳳鳴山中學) or in pinyin (liutangwan, fmszx). So each project here gets a place name
(three characters from small pools: many share a character, as real ones do), a school
level, and a case about one activity that other schools of the district hold too.

    make_search_district(root, n)     # light: no photos, for a browser test
    rename_district(projects, n)      # names and a case added to bench_district's projects

All names are made up.
"""

from __future__ import annotations

from pathlib import Path

import yaml

FIRST = "柳凤青杏松梅桂竹兰荷枫桃李云星金石玉清碧"
SECOND = "塘鸣禾林溪湖岭泉港园"
THIRD = "湾山路坡桥"
LEVELS = ("小学", "中学", "实验小学", "初级中学", "幼儿园", "职业技术学校")
ACTIVITIES = (
    "应急演练",
    "茶艺",
    "红色研学",
    "劳动实践",
    "书法",
    "合唱",
    "志愿服务",
    "科技创新",
    "经典诵读",
    "心理健康",
)
FIXED = {1: ("柳塘湾", "小学", "应急演练"), 2: ("凤鸣山", "中学", "茶艺")}
"""The schools the tests and the benchmark ask for; the others are generated around them."""
DISTRICTS = ("青溪区", "东湖区", "云岭县", "城南区", "北山区")
CATEGORIES = ("队伍建设", "师德师风", "家园共育", "产教融合", "文化育人", "志愿服务")


def schools(n: int) -> list[tuple[str, str, str]]:
    """(place, level, activity) of projects 1 … n, places unique."""
    used = {place for place, _, _ in FIXED.values()}
    out, k = [], 0
    for i in range(1, n + 1):
        if i in FIXED:
            out.append(FIXED[i])
            continue
        while True:
            place = FIRST[k % 20] + SECOND[(k // 20) % 10] + THIRD[(k // 7 + k // 200) % 5]
            k += 1
            if place not in used:
                break
        used.add(place)
        out.append((place, LEVELS[i % len(LEVELS)], ACTIVITIES[i % len(ACTIVITIES)]))
    return out


def _case(place: str, school: str, activity: str) -> str:
    return (
        f"---\ntitle: {activity}进校园\ndate: 2025-04-1{len(place) % 10}\n---\n\n"
        f"## 背景\n\n{school}党支部把{activity}作为党员教师示范岗的一项任务。\n\n"
        f"## 做法\n\n党员教师带头，每月开展一次{activity}，邀请家长参与。\n\n"
        f"## 成效\n\n全校师生参与{activity}，{place}社区给予好评。\n"
    )


def _plan(branch: str) -> str:
    return (
        f"---\ntitle: {branch}2025年工作计划\nyear: 2025\nschedule:\n"
        "  3: [制定年度计划]\n  7: [七一主题党日]\n  12: [年度考核与总结]\n---\n\n"
        "## 重点工作\n\n落实三会一课，开好组织生活会。\n"
    )


def project_fields(i: int, place: str, level: str, activity: str) -> dict:
    school = place + level
    return {
        "branch": f"{school}党支部",
        "school": school,
        "name": f"{activity}护成长",
        "summary": f"{school}党支部以{activity}为抓手，党员教师亮身份、作表率。",
        "district": DISTRICTS[i % len(DISTRICTS)],
        "category": CATEGORIES[i % len(CATEGORIES)],
        "year": 2023 + i % 3,
        "slug": f"school-{i:04d}",
    }


def make_search_district(root: Path, n: int) -> Path:
    """N light projects (a small logo, a case, a plan) and a mkdocs.yml; the config's path."""
    from PIL import Image

    projects = root / "projects"
    for i, (place, level, activity) in enumerate(schools(n), start=1):
        folder = projects / f"school-{i:04d}"
        (folder / "cases").mkdir(parents=True)
        (folder / "plans").mkdir()
        data = project_fields(i, place, level, activity)
        (folder / "project.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        Image.new("RGB", (96, 96), ((i * 17) % 256, 16, 46)).save(folder / "logo.png")
        (folder / "cases" / f"{activity}.md").write_text(
            _case(place, data["school"], activity), encoding="utf-8"
        )
        (folder / "plans" / "工作计划.md").write_text(_plan(data["branch"]), encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    config = {
        "site_name": "区党建精品项目展示",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh", "features": ["search.highlight"]},
        "plugins": [
            {"search": {"lang": "zh"}},
            {"showcase": {"sources": ["projects"], "cache_dir": str(root / ".cache")}},
            "glightbox",
        ],
    }
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return root / "mkdocs.yml"


def rename_district(projects: Path, n: int) -> None:
    """bench_district's projects renamed as above, each with its activity's case and a
    plan titled with its branch (so a school's name is in its plan's title too)."""
    for i, (place, level, activity) in enumerate(schools(n), start=1):
        folder = projects / f"school-{i:04d}"
        path = folder / "project.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        new = project_fields(i, place, level, activity)
        data.update({k: new[k] for k in ("branch", "school", "summary")})
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        (folder / "cases" / f"{activity}.md").write_text(
            _case(place, new["school"], activity), encoding="utf-8"
        )
        (folder / "plans" / "年度工作计划.md").write_text(_plan(new["branch"]), encoding="utf-8")
