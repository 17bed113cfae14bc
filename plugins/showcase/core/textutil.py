"""Text helpers for Chinese documents: Word's 字数, encodings, pinyin slugs, captions, months."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from pathlib import Path
from typing import Any

from . import safetext

# East Asian characters and full-width punctuation count one each in Word's 字数;
# any other run of non-space characters counts as one word.
ASIAN_CHARS = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
    "\U00020000-\U0003134f"
)
_WORD_TOKEN = re.compile(rf"[{ASIAN_CHARS}]|[^\s{ASIAN_CHARS}]+")


def word_count(text: str) -> int:
    """Count like Word's 字数: each CJK character or full-width mark is one, an ASCII word is one."""
    return sum(1 for m in _WORD_TOKEN.finditer(text or "") if not m.group().isspace())


class DecodeError(ValueError):
    pass


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a file written on Windows: UTF-8 (with or without BOM) or GBK/GB18030.

    Returns (text, encoding name). Anything else is a DecodeError with a Chinese message.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 BOM"
        except UnicodeDecodeError as exc:
            raise DecodeError("文件以 UTF-8 BOM 开头，但内容不是合法的 UTF-8") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError("文件是 UTF-16 编码，请另存为 UTF-8 或 GBK")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DecodeError("无法识别文件编码：请另存为 UTF-8 或 GBK") from exc
    if "\x00" in text:
        raise DecodeError("文件含有二进制内容，不是文本文件")
    return text, "GBK"


_jieba = None


def _segment(text: str) -> list[str]:
    global _jieba
    if _jieba is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return [w for w in _jieba.cut(text) if w.strip()]


def slugify(text: str, fallback: str = "item") -> str:
    """An ASCII URL name; Chinese words become pinyin, one hyphen between words."""
    from pypinyin import Style, lazy_pinyin

    text = unicodedata.normalize("NFKC", text)
    parts: list[str] = []
    for word in _segment(text) if re.search(r"[\u4e00-\u9fff]", text) else [text]:
        if re.search(r"[\u4e00-\u9fff]", word):
            parts.append("".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore")))
        else:
            parts.append(word)
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    if (
        len(slug) > SLUG_MAX
    ):  # a URL segment is a folder name: file systems refuse names over 255 bytes
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0] if "-" in slug[:SLUG_MAX] else slug[:SLUG_MAX]
    return slug or fallback


SLUG_MAX = 80


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_ORDINAL = re.compile(r"^[\s\d０-９]+[\s._\-—、，,．)）]*")


def caption_from_filename(name: str) -> str:
    """`03-名师工作室揭牌仪式.jpg` → `名师工作室揭牌仪式` (leading ordinals and separators dropped)."""
    stem = Path(safetext.clean_name(name)).stem
    caption = _ORDINAL.sub("", stem)
    caption = caption.replace("_", " ").strip(" -_.")
    return caption or stem


_DATE_PREFIX = re.compile(r"^(\d{4})[-._年/](\d{1,2})[-._月/](\d{1,2})日?[\s_\-—]*")


def split_dated_name(name: str) -> tuple[_dt.date | None, str]:
    """`2015-09-10 教师节表彰` → (date(2015, 9, 10), '教师节表彰')."""
    name = safetext.clean_name(name)
    m = _DATE_PREFIX.match(name)
    if not m:
        return None, name.strip()
    try:
        date = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None, name.strip()
    return date, name[m.end() :].strip() or name.strip()


def chinese_date(value: _dt.date | None) -> str:
    """2015年2月28日"""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def as_date(value: object) -> _dt.date | None:
    """A date from YAML (date, datetime or a string like 2025-03-10 / 2025年3月10日)."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*", value)
        if m:
            try:
                return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_EN_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
CHINESE_MONTHS = (
    "一月",
    "二月",
    "三月",
    "四月",
    "五月",
    "六月",
    "七月",
    "八月",
    "九月",
    "十月",
    "十一月",
    "十二月",
)


def parse_month(value: object) -> int | None:
    """A month number from `3`, `"3月"`, `三月`, `十二月`, `March`; None when it is none of these."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= 12 else None
    text = unicodedata.normalize("NFKC", str(value)).strip().lower().rstrip(".")
    text = text.removesuffix("份")
    if text.endswith("月"):
        text = text[:-1].strip()  # "3 月" as typed with a space
    if text.isdigit():
        n = int(text)
        return n if 1 <= n <= 12 else None
    if text in _EN_MONTHS:
        return _EN_MONTHS[text]
    if text and all(c in _CN_DIGITS for c in text):
        if text == "十":
            return 10
        if text.startswith("十"):
            n = 10 + _CN_DIGITS[text[1]] if len(text) == 2 else None
        elif len(text) == 1:
            n = _CN_DIGITS[text]
        else:
            n = None
        return n if n and 1 <= n <= 12 else None
    return None


OWN_NUMBERING = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|\d{1,3}\s*[、.．)）](?!\d)|[①-⑳])"
)
"""Text that starts with its author's own numbering: 1、 1. 2） （一） 一、 ①."""


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def short(value: Any, limit: int = 40) -> str:
    """A value as it appears in a message: one line, cut to `limit` characters.

    Control characters (a YAML "\\e" escape …) become "?": messages go to terminals.
    """
    text = re.sub(r"\s+", " ", str(value)).strip()
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
