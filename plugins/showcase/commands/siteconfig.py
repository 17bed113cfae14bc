"""mkdocs.yml as the command line reads it: through MkDocs' own loading and validation.

So `showcase check` accepts exactly what `mkdocs build` accepts, and refuses the rest
with the same reasons (given in Chinese, with MkDocs' own words after them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import click

from ..config import default_settings, make_settings
from ..core.settings import Settings


@dataclass
class SiteConfig:
    settings: Settings
    site_dir: Path
    """Where `mkdocs build` writes the site (site_dir, relative to mkdocs.yml)."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_site(config_file: str | Path = "mkdocs.yml", sources: tuple[str, ...] = ()) -> SiteConfig:
    """The showcase settings of a site; `sources` (paths given on the command line) replace
    the configured ones. Raises click.ClickException in Chinese on an invalid mkdocs.yml."""
    from mkdocs import exceptions
    from mkdocs.config import load_config

    path = Path(config_file)
    if not path.is_file():
        settings = default_settings(base_dir=Path.cwd())
        result = SiteConfig(settings, Path.cwd() / "site")
    else:
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        propagate, logger.propagate = logger.propagate, False  # said once, below, in Chinese
        try:
            config = load_config(str(path))
        except (exceptions.ConfigurationError, exceptions.Abort) as exc:
            details = "；".join(collect.messages) or str(exc)
            raise click.ClickException(
                f"{config_file} 的设置有误，网站无法生成：{details}"
            ) from None
        except OSError as exc:
            raise click.ClickException(f"无法读取 {config_file}：{exc.strerror or exc}") from None
        finally:
            logger.removeHandler(collect)
            logger.propagate = propagate
        plugin = config.plugins.get("showcase")
        theme_dirs = list(config.theme.dirs)
        if plugin is None:
            settings = default_settings(
                base_dir=path.resolve().parent, site_url=config.site_url or ""
            )
        else:
            settings = make_settings(
                plugin.config,
                config_file=path,
                site_url=config.site_url or "",
                theme_dirs=theme_dirs,
            )
        result = SiteConfig(settings, Path(config.site_dir))
    if sources:
        result.settings = result.settings.replace(sources=[str(Path(p).resolve()) for p in sources])
    return result
