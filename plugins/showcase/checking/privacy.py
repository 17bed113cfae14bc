"""Appendix files whose hidden data we cannot remove: said in a finding, refused when strict.

Published images are derived without metadata; .docx/.xlsx/.pptx copies lose their
authors (`office/metadata.py`) and their pictures' EXIF/GPS (`office/officeimages.py`); PDFs lose
their document information. For the formats below there is no such step: an old
binary Office file keeps its author, company and "last saved by" in its summary
streams, a WPS file likewise, a video keeps the phone's GPS position in its metadata,
an archive holds files nobody has looked at. Each such appendix gets a warning saying
so; with `strict_privacy: true` it is not published at all, with an error naming it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["UNSTRIPPABLE", "unstrippable_finding"]

UNSTRIPPABLE: dict[str, str] = {
    ".doc": "旧版 Word 文档（.doc）",
    ".xls": "旧版 Excel 表格（.xls）",
    ".ppt": "旧版 PowerPoint 演示文稿（.ppt）",
    ".wps": "WPS 文字文档（.wps）",
    ".et": "WPS 表格（.et）",
    ".dps": "WPS 演示文稿（.dps）",
    ".rtf": "RTF 文档",
    ".mp4": "视频",
    ".mov": "视频",
    ".m4v": "视频",
    ".avi": "视频",
    ".wmv": "视频",
    ".3gp": "视频",
    ".mp3": "音频",
    ".m4a": "音频",
    ".wav": "音频",
    ".zip": "压缩包",
    ".rar": "压缩包",
    ".7z": "压缩包",
}
"""Extension → what a teacher calls it. Matched case-insensitively."""

_WHAT = {
    "视频": "视频里可能带有拍摄地点（GPS）和手机型号",
    "音频": "音频里可能带有录制设备和作者信息",
    "压缩包": "压缩包里的文件不会被逐一检查和清理",
}


def unstrippable_finding(path: Path, *, strict: bool = False) -> tuple[str, str, str] | None:
    """(level, message, hint) for an appendix whose metadata cannot be removed, else None.

    Level is "warning", or "error" when `strict` (the file is then not published)."""
    kind = UNSTRIPPABLE.get(Path(path).suffix.lower())
    if kind is None:
        return None
    why = _WHAT.get(kind, "文件里的作者、单位、最后保存人等信息无法自动清除")
    if strict:
        return (
            "error",
            f"附录是{kind}：{why}；已按 strict_privacy 设置不发布这个文件",
            "请另存为 .docx / .xlsx / .pptx 或 PDF 后再放入；视频请上传到学校的视频平台后附上链接",
        )
    return (
        "warning",
        f"附录是{kind}：{why}，会原样发布",
        "建议另存为 .docx / .xlsx / .pptx 或 PDF；设置 strict_privacy: true 可禁止发布这类文件",
    )
