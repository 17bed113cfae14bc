"""`showcase cache prune`: delete cached images, unpacked zips and clones no project uses."""

from __future__ import annotations

from ..build import load_all
from ..core.settings import Settings
from ..core.textutil import human_size
from ..media.processor import MediaProcessor, image_items
from ..reading.sources import prune_sources


def run_prune(settings: Settings) -> int:
    """`showcase cache prune`: delete cached images that no project uses any more."""
    cache_dir = settings.images_cache
    projects, _ = load_all(settings)
    gone, gone_bytes = prune_sources(settings, [p.folder for p in projects])
    if gone:
        print(
            f"已清理来源缓存：删除 {gone} 份不再使用的解压/克隆副本，释放 {human_size(gone_bytes)}。"
        )
    if not cache_dir.is_dir():
        print(f"图片缓存为空（{cache_dir}），无需清理。")
        return 0
    items = image_items(projects)
    processor = MediaProcessor(cache_dir, jobs=settings.jobs, progress=False)
    keep = processor.keys_for(items)
    removed, freed = processor.prune(keep, sources={str(p) for p, _ in items})
    print(
        f"已清理图片缓存：删除 {removed} 个不再使用的文件，释放 {human_size(freed)}；"
        f"保留 {len(projects)} 个项目中 {len(keep)} 张图片的缓存。\n缓存位置：{cache_dir}"
    )
    return 0
