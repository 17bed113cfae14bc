"""The one table of project.yml fields.

Loading, checking, rendering, import, export and the JSON Schema all read
`FIELDS`; no other module lists the form's fields or their labels.
The tuple is in the order of Table 2 (the 申报表); fields that are not on
that form follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class FieldType(str, Enum):
    TEXT = "text"
    INTEGER = "integer"
    URL = "url"
    FILE = "file"
    MARKDOWN = "markdown"
    INDICATORS = "indicators"
    OPINION = "opinion"
    LIST = "list"
    SLUG = "slug"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    """Main Chinese label, as on the registry or the form."""
    type: FieldType
    description: str
    """Chinese help text: scaffold comments, schema, authors' guide."""
    aliases: tuple[str, ...] = ()
    required: bool = False
    recommended: bool = False
    personal: bool = False
    form_label: str | None = None
    """Heading on Table 2 (申报表); None when the field is not on that form."""
    registry_label: str | None = None
    """Column header of Table 1 (登记表); None when not a column there."""
    example: object = field(default=None, compare=False)
    """A sample value: scaffold comments and the JSON Schema's `examples` (not part of equality)."""
    form_help: str | None = None
    """The help as the editor's form says it (the boxes the teacher sees, no keys, file names
    or YAML); None when `description` already reads that way."""

    @property
    def labels(self) -> tuple[str, ...]:
        seen: list[str] = []
        for name in (self.label, self.form_label, self.registry_label, *self.aliases):
            if name and name not in seen:
                seen.append(name)
        return tuple(seen)

    @property
    def heading(self) -> str:
        """The label a reader sees on the project page."""
        return self.form_label or self.label

    def display(self) -> str:
        """`精品项目简介 (summary)`, the way findings name a field."""
        return f"{self.label} ({self.key})"


FIELDS: tuple[Field, ...] = (
    # --- Table 2, in the form's order ---
    Field(
        "name",
        "精品项目名称",
        FieldType.TEXT,
        "党建精品项目的名称，常用数字品牌，如 党组织“1+5”建设工程。",
        aliases=("项目名称",),
        required=True,
        form_label="项目名称",
        registry_label="精品项目名称",
        example="党组织“1+5”建设工程",
    ),
    Field(
        "logo",
        "党建精品项目LOGO图标",
        FieldType.FILE,
        "项目标识图片的文件名（PNG、JPG 或 SVG）；不填时使用文件夹里的 logo.png / logo.jpg / logo.svg。",
        aliases=("LOGO", "标识"),
        required=True,
        form_label="精品项目彩色LOGO标识",
        registry_label="党建精品项目LOGO图标",
        example="logo.png",
        form_help="项目的标识图片（PNG、JPG 或 SVG），最好是接近正方形的彩色图片。",
    ),
    Field(
        "branch",
        "党支部（总支）",
        FieldType.TEXT,
        "申报的党支部或党总支全称，如 某某小学党支部。",
        aliases=("党支部", "党总支"),
        required=True,
        form_label="申报党支部",
        registry_label="党支部（总支）",
        example="青禾路小学党支部",
    ),
    Field(
        "members",
        "党员人数",
        FieldType.INTEGER,
        "支部党员人数，填整数。",
        form_label="党员人数",
        example=25,
    ),
    Field(
        "leader",
        "项目负责人",
        FieldType.TEXT,
        "项目负责人姓名。属于个人信息：网站默认不公开。",
        personal=True,
        form_label="项目负责人",
        example="张老师",
    ),
    Field(
        "contact",
        "联系方式",
        FieldType.TEXT,
        "负责人的联系电话。属于个人信息：网站默认不公开；公开时也会打码为 138****0000。",
        personal=True,
        form_label="联系方式",
        example="13800000000",
    ),
    Field(
        "goals",
        "项目实施目标",
        FieldType.MARKDOWN,
        "项目实施目标，一两段文字；也可以写在 goals.md 文件里。",
        form_label="项目实施目标",
        example="通过三年建设，形成一支师德高尚、业务精良的党员教师队伍。\n",
        form_help="项目实施目标，一两段文字。",
    ),
    Field(
        "logo_meaning",
        "精品标识释义",
        FieldType.MARKDOWN,
        "标识的含义；也可以写在 logo_meaning.md 文件里。",
        aliases=("标识释义",),
        form_label="精品标识释义",
        example="标识以党徽红为主色，五条线代表五支队伍。\n",
        form_help="说明标识的图案、颜色各代表什么。",
    ),
    Field(
        "indicators",
        "显性及隐性指标",
        FieldType.INDICATORS,
        "explicit（显性指标，可量化）与 implicit（隐性指标，定性）两个列表，按填写的顺序显示；"
        "一项可以是一句话，或 {text, target, unit, actual: {年份: 数值}}；"
        "target 照申报表的写法填：20、10-15、不低于10%、85%以上、至少2次、不超过3起。",
        form_label="显性及隐性指标",
        example={
            "explicit": [
                "培养区级学科带头人 50 名",
                {
                    "text": "高级职称教师",
                    "target": 20,
                    "unit": "名",
                    "actual": {2024: 12, 2025: 16},
                },
                {"text": "储备库教师占教职工比例", "target": "不低于10%"},
            ],
            "implicit": ["师德师风持续向好"],
        },
        form_help="显性指标是可以用数字衡量的（如“区级学科带头人 20 人”），可填目标和每年实际完成的数；隐性指标是定性的（如“青年教师职业认同感明显增强”），只写一句话。按填写的顺序显示。",
    ),
    Field(
        "measures",
        "项目实施的主要举措、载体与步骤",
        FieldType.MARKDOWN,
        "主要举措、载体与步骤，可分 一、二、三 大点；也可以写在 measures.md 文件里。",
        aliases=("主要举措",),
        form_label="项目实施的主要举措、载体与步骤",
        example="一、建强支部堡垒\n1. 每月开展一次主题党日。\n",
        form_help="主要举措、载体与步骤，可分 一、二、三 大点，每点下面再分 1. 2. 3.。",
    ),
    Field(
        "effects",
        "项目实施的预期效果及影响",
        FieldType.MARKDOWN,
        "预期效果及影响；也可以写在 effects.md 文件里。",
        aliases=("预期效果",),
        form_label="项目实施的预期效果及影响",
        example="形成可复制的支部工作经验，在全区交流推广。\n",
        form_help="预期效果及影响。",
    ),
    Field(
        "opinion",
        "支部（总支）意见",
        FieldType.OPINION,
        "支部（总支）意见：{text: 意见, signed_by: 签字人, date: 2025-03-10}；纸质表上签字盖章。",
        aliases=("支部意见", "总支意见"),
        form_label="支部（总支）意见",
        example={"text": "同意申报。", "signed_by": "王书记", "date": "2025-03-10"},
        form_help="支部（总支）的意见、签字人和日期；纸质表上另行签字盖章。",
    ),
    # --- not on Table 2 ---
    Field(
        "summary",
        "精品项目简介",
        FieldType.TEXT,
        "项目简介，按 Word 字数统计不超过 200 字（汉字和全角标点各算 1 字，一个英文单词或数字算 1 字）。",
        aliases=("项目简介", "简介"),
        required=True,
        registry_label="精品项目简介",
        example="以一个支部带动五支队伍，打造师德高尚、业务精良的教师团队。",
    ),
    Field(
        "homepage",
        "展示专栏首页地址",
        FieldType.URL,
        "学校网站上展示专栏首页的网址；不填时使用本网站生成的项目页地址。",
        aliases=("专栏地址",),
        registry_label="展示专栏首页地址",
        example="https://www.example.edu.cn/Components/NewsMain.aspx?moduleid=221",
    ),
    Field(
        "school",
        "学校",
        FieldType.TEXT,
        "学校全称。",
        recommended=True,
        example="青禾路小学",
    ),
    Field(
        "district",
        "所属区县",
        FieldType.TEXT,
        "所属区县，区级汇总时用于分组。",
        aliases=("区县",),
        example="青溪区",
    ),
    Field(
        "category", "类别", FieldType.TEXT, "项目类别，如 师德师风、队伍建设。", example="队伍建设"
    ),
    Field(
        "tags",
        "标签",
        FieldType.LIST,
        "标签列表，如 [名师工作室, 青年教师]。",
        example=["名师工作室", "青年教师"],
        form_help="几个关键词，用顿号隔开，如 名师工作室、青年教师；网站上可以按它们筛选。",
    ),
    Field(
        "year",
        "申报年度",
        FieldType.INTEGER,
        "申报年度，如 2025。",
        aliases=("年度",),
        example=2025,
    ),
    Field(
        "slug",
        "网址名",
        FieldType.SLUG,
        "项目页网址中的英文名（字母、数字、连字符）；不填时由文件夹名转成拼音。",
        example="qinghe-xiaoxue",
        form_help="项目页网址里的英文名（小写字母、数字和连字符）；不填时由文件夹名自动转成拼音。",
    ),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
FORM_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.form_label)
REGISTRY_ORDER: tuple[str, ...] = ("branch", "logo", "homepage", "name", "summary")
REGISTRY_FIELDS: tuple[Field, ...] = tuple(BY_KEY[k] for k in REGISTRY_ORDER)
LONG_TEXT_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.type is FieldType.MARKDOWN)

REGISTRY_TITLE = "展示专栏首页地址登记表"
"""Table 1's title, as on the district's form."""
FORM_TITLE = "党建精品项目申报表"
"""Table 2's title."""
FORM_FOOTNOTE = "注：申报的党建精品项目应具有前瞻性、创新性、适切性和可操作性。"
TARGET_NOTE = re.compile(r"[（(]目标[：:]\s*([^（）()]*?\d[^（）()]*?)\s*[）)]\s*$")
"""`（目标：20人）`, `（目标：不低于10%）` after an indicator on the printed form; import reads
it back as the target (see `targets.parse_target`)."""
INDICATOR_GROUPS: dict[str, tuple[str, ...]] = {
    "explicit": ("explicit", "显性指标", "显性", "显形指标", "显形"),
    "implicit": ("implicit", "隐性指标", "隐性", "隐形指标", "隐形"),
}
"""The two groups of `indicators` and the names authors give them (隐形 is a common
spelling of 隐性): project.yml, the JSON Schema and the form import read this."""
INDICATOR_PARTS = ("text", "target", "unit", "actual")
"""The parts of one numeric indicator: `{text, target, unit, actual: {year: value}}`."""
OPINION_PARTS: dict[str, tuple[str, ...]] = {
    "text": ("text", "意见"),
    "signed_by": ("signed_by", "签字", "签字人", "书记"),
    "date": ("date", "日期"),
}
"""The parts of the opinion (支部（总支）意见) and the Chinese names authors give them."""


def part_names(parts: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every accepted name → its English key (for INDICATOR_GROUPS and OPINION_PARTS)."""
    return {name: key for key, names in parts.items() for name in names}


PLACEHOLDER = "请填写"
"""Every placeholder text `showcase new` writes contains this; the checker warns about it."""
PLACEHOLDER_IMAGE_KEY = "showcase-placeholder"
"""PNG text chunk that marks the sample images `showcase new` draws."""

_SPACE = re.compile(r"[\s\u3000]+")
_PAREN = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，"})


def normalize_label(text: str) -> str:
    """Compare labels the way a person reads them: no white space, full-width brackets,
    and 隐形/显形 (a common spelling on the forms) read as 隐性/显性."""
    norm = _SPACE.sub("", str(text)).translate(_PAREN).lower()
    return norm.replace("隐形", "隐性").replace("显形", "显性")


_LOOKUP: dict[str, Field] = {}
for _f in FIELDS:
    _LOOKUP[_f.key] = _f
    for _name in _f.labels:
        _LOOKUP.setdefault(normalize_label(_name), _f)


def lookup(name: object) -> Field | None:
    """The field a project.yml key (English key or any Chinese label) names."""
    return _LOOKUP.get(normalize_label(str(name)))


def all_names() -> list[str]:
    """Every accepted key and label, for 'did you mean' suggestions."""
    names: list[str] = []
    for f in FIELDS:
        names.append(f.key)
        names.extend(f.labels)
    return names


def registry_header(field: Field, summary_max_chars: int) -> str:
    """Table 1's header text; the brief's header carries its limit, as on the paper form."""
    if field.key == "summary":
        return f"{field.registry_label}（{summary_max_chars}字以内）"
    return field.registry_label or field.label


def registry_headers(summary_max_chars: int) -> list[str]:
    """Table 1's headers in the form's column order (pages and every registry file)."""
    return [registry_header(f, summary_max_chars) for f in REGISTRY_FIELDS]


def markdown_table() -> str:
    """The field reference of the README, made from this table (a test keeps them equal)."""
    kinds = {
        FieldType.TEXT: "文字",
        FieldType.INTEGER: "整数 ≥ 0",
        FieldType.URL: "网址",
        FieldType.FILE: "文件名",
        FieldType.MARKDOWN: "Markdown 长文",
        FieldType.INDICATORS: "指标",
        FieldType.OPINION: "意见",
        FieldType.LIST: "文字列表",
        FieldType.SLUG: "英文网址名",
    }
    rows = ["| 键 key | 表格标签 / 别名 | 类型 | 规则 | 说明 |", "|---|---|---|---|---|"]
    for f in FIELDS:
        rule = "必填" if f.required else "建议填写" if f.recommended else ""
        if f.personal:
            rule = (rule + "，" if rule else "") + "个人信息，默认不公开"
        rows.append(
            f"| `{f.key}` | {'、'.join(f.labels)} | {kinds[f.type]} | {rule} | {f.description} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
