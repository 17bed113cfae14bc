"""Privacy beyond numbers: a named person next to an illness, disability, family hardship or discipline.

Write-ups about pupils sometimes name a child together with what must never be published
about them (a real one named a pupil with leukaemia in full). Numbers are found by
`personal.find_personal`; this finds the combination of a person's name and a sensitive word in
one sentence. Names come from jieba's part-of-speech tagger (`posseg`: `nr` = person name),
plus a common surname followed by a given name, which the tagger sometimes misses. Only
sentences that hold a sensitive word are tagged, so long texts cost little.

What is not found (said in docs/guide.md): names the tagger does not know and that start
with no common surname, nicknames, a name in one sentence and the illness in the next, and
anything inside photos or appendix files. What is not a name: kinds of pupil (后进生) and a
preposition 向 before a word (向经济困难家庭). Precision on the five real documents and the
demo is measured with scripts/pupil_check.py and stated in the guide.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ..core.findings import Findings
from ..core.model import Project
from ..core.settings import Settings
from .texts import locate, public_texts


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SENSITIVE: dict[str, tuple[str, ...]] = {
    "疾病": _words(
        "白血病 癌 肿瘤 化疗 抑郁 焦虑症 自闭症 孤独症 多动症 抽动症 癫痫 心脏病 先天性 重病 病重 绝症 精神疾病 心理疾病 住院治疗 确诊 患有 患上 病逝 去世"
    ),
    "残疾": _words("残疾 残障 致残 智力障碍 智障 脑瘫 听障 视障 失明 聋哑 唐氏 坐轮椅 发育迟缓"),
    "家庭困难": _words(
        "贫困 困难家庭 家庭困难 低保 建档立卡 单亲 离异 孤儿 父母双亡 服刑 吸毒 家暴 留守儿童 特困 救助"
    ),
    "违纪处分": _words(
        "处分 违纪 记过 开除 劝退 打架 斗殴 偷窃 偷盗 逃学 辍学 早恋 欺凌 霸凌 违法 犯罪 派出所"
    ),
}
"""Sensitive words by kind, as they appear in school write-ups."""

_WORDS = sorted(((w, kind) for kind, ws in SENSITIVE.items() for w in ws), key=lambda x: -len(x[0]))
_ANY_WORD = re.compile("|".join(re.escape(w) for w, _ in _WORDS))
_KIND = dict(_WORDS)
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")

SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
    "覃武戴莫孔向汤"
)
"""The hundred-odd most common surnames."""

NOT_NAMES = set(
    _words(
        "全校师生 师生 同学 同学们 老师 学生 家长 孩子 某某 某同学 小朋友 "
        "后进生 学困生 差生 贫困生 特困生 尖子生 优等生 优生 新生 住校生 留守生"
    )
)
"""Words jieba may tag as names that are people in general or kinds of pupil (后进生)."""
_NOT_GIVEN = set(_words("老师 校长 书记 主任 同志 某 某某 家 姓 在 和 的 是 也 都"))
_NAME_FLAGS = {"nr", "nrfg", "nrt"}
_ADULT = ("老师", "教师", "书记", "校长", "主任", "同志", "园长", "师傅")
"""A name with a title is an adult's: this check is about pupils."""
_PLACE = tuple("路街村镇区县市省校院园")
PUPIL = _words("学生 同学 孩子 幼儿 小朋友 年级 儿童 少年 患儿 队员 女生 男生 学子 宝宝")
"""A paragraph with one of these is about pupils."""
GENERIC = {"患有", "患上", "确诊"}
"""Words that say little alone: a more specific one in the sentence is reported instead."""


@dataclass(frozen=True)
class Mention:
    name: str
    word: str
    kind: str
    sentence: str


_tagger = None


def _posseg():
    global _tagger
    if _tagger is None:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" on every check
        _tagger = jieba.posseg
    return _tagger


COMMON_WORD = 100
"""A dictionary word seen this often is a word, even where jieba tags it as a name."""
VERY_COMMON = 5000
"""A two-character word seen this often (经济, 发展, 教育) is no given name after a
surname; given names that are words (建国 3083) stay below it."""


def _frequency(word: str) -> int:
    import jieba

    return jieba.dt.FREQ.get(word) or 0


def _kind_of(word: str) -> bool:
    """后进生, 学困生: a word for a kind of pupil (…生 after a word, no surname first),
    which jieba's dictionary tags as a name."""
    return (
        len(word) == 3
        and word.endswith("生")
        and word[0] not in SURNAMES
        and _frequency(word[:2]) > 0
    )


def _names(sentence: str) -> list[str]:
    tokens = [(t.word, t.flag) for t in _posseg().cut(sentence)]
    names = []
    for i, (word, flag) in enumerate(tokens):
        after = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if after.startswith(_ADULT) or word.endswith(_ADULT):
            continue  # 张老师, 李书记: adults
        if flag in _NAME_FLAGS and 2 <= len(word) <= 3 and word not in NOT_NAMES:
            # 青禾路 is a street; jieba's dictionary tags some common words nr (杜绝 593 times)
            if not word.endswith(_PLACE) and _frequency(word) < COMMON_WORD and not _kind_of(word):
                names.append(word)
        elif word in SURNAMES and i + 1 < len(tokens):
            # "张 浩然": a surname the tagger left alone, then a given name of one or two characters
            given, given_flag = tokens[i + 1]
            common = _frequency(given)
            if (
                _CJK.match(given)
                and len(given) <= 2
                and given not in _NOT_GIVEN
                and given_flag not in ("v", "p", "c", "u", "uj", "ul", "d", "m", "q", "f", "r")
                # 向经济困难家庭, 向小明学习: 向 is a preposition there, and what follows a
                # word or a name of its own (a given name unknown as a word still counts)
                and not (flag == "p" and len(given) == 2 and (common or given_flag in _NAME_FLAGS))
                and not (len(given) == 2 and common >= VERY_COMMON)
            ):
                names.append(word + given)
    return names


def find_mentions(text: str) -> list[Mention]:
    """Each sentence of `text` that names a pupil and holds a sensitive word.

    A pupil: a name in a paragraph about pupils (学生, 同学, 年级 …), or "王同学" itself.
    """
    found = []
    if not text or not _ANY_WORD.search(text):
        return found
    for paragraph in text.splitlines():
        about_pupils = any(w in paragraph for w in PUPIL)
        for m in _SENTENCE.finditer(paragraph):
            sentence = m.group().strip()
            hits = [h.group() for h in _ANY_WORD.finditer(sentence)]
            if not hits:
                continue
            word = next((h for h in hits if h not in GENERIC), hits[0])
            names = [
                n
                for n in _names(sentence)
                if not any(h in n for h in hits) and (about_pupils or n.endswith("同学"))
            ]
            if names:
                found.append(Mention(names[0], word, _KIND[word], sentence))
    return found


HINT = (
    "患病、残疾、家庭困难、受处分等属于敏感个人信息，涉及未成年学生更不能公开："
    "请删去姓名（可写“某同学”“一名学生”），或删去这部分描述"
)


def check_sensitive(project: Project, settings: Settings, findings: Findings) -> None:
    """A warning, with file and line, for each sentence that names a person next to a sensitive word."""
    reported: set[tuple] = set()
    for item in public_texts(project):
        for mention in find_mentions(item.text):
            line = locate(item.file, mention.sentence, None) or locate(
                item.file, mention.name, item.line
            )
            key = (item.file, line, mention.name, mention.kind)
            if key in reported:
                continue
            reported.add(key)
            findings.warning(
                f"公开的文字点名提到“{mention.name}”，同一句里有“{mention.word}”（{mention.kind}）",
                file=item.file,
                line=line,
                field=item.field,
                hint=HINT,
            )
