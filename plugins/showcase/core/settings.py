"""The options of one site as the library reads them (no MkDocs here).

The options and their defaults are declared once, in the plugin's config class
(`showcase.config.ShowcaseConfig`); the plugin and the command line both turn a
validated config into a `Settings` (see `showcase.config.make_settings`). This class
only adds where the site lives (`base_dir`, `site_url`) and what follows from the
options (absolute paths, the cache folders).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


class Settings:
    """Read-only view of the showcase options: `settings.url_prefix`, `settings.sources` …"""

    def __init__(
        self,
        options: Mapping[str, Any],
        *,
        base_dir: Path | str = ".",
        site_url: str = "",
        theme_dirs: tuple[str, ...] = (),
    ) -> None:
        self.__dict__["_options"] = dict(options)
        self.__dict__["base_dir"] = Path(base_dir)
        """Relative sources and cache_dir are taken from here (the mkdocs.yml folder)."""
        self.__dict__["site_url"] = site_url or ""
        """The site's `site_url` (absolute homepage addresses in the registry)."""
        self.__dict__["theme_dirs"] = tuple(theme_dirs)
        """The theme's template folders (custom_dir first), for templates rendered outside MkDocs."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_options"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Settings are read-only: use replace()")

    def __repr__(self) -> str:
        return f"Settings({self._options!r}, base_dir={str(self.base_dir)!r})"

    def as_dict(self) -> dict[str, Any]:
        """Every option, and where the site lives."""
        return {**self._options, "base_dir": self.base_dir, "site_url": self.site_url}

    def replace(self, **changes: Any) -> Settings:
        """A copy with some options (or base_dir, site_url, theme_dirs) changed."""
        place = {k: changes.pop(k) for k in ("base_dir", "site_url", "theme_dirs") if k in changes}
        unknown = set(changes) - set(self._options)
        if unknown:
            raise AttributeError(f"unknown options: {sorted(unknown)}")
        return Settings(
            {**self._options, **changes},
            base_dir=place.get("base_dir", self.base_dir),
            site_url=place.get("site_url", self.site_url),
            theme_dirs=place.get("theme_dirs", self.theme_dirs),
        )

    def resolve(self, path: str | Path) -> Path:
        path = Path(path)
        return path if path.is_absolute() else (self.base_dir / path)

    # one place derives the cache folders from cache_dir
    @property
    def cache_root(self) -> Path:
        return self.resolve(self._options["cache_dir"])

    @property
    def images_cache(self) -> Path:
        """Derived images, by content hash."""
        return self.cache_root / "images"

    @property
    def files_cache(self) -> Path:
        """Appendix files with their authors' metadata removed."""
        return self.cache_root / "files"

    @property
    def sources_cache(self) -> Path:
        """Unpacked zip submissions and git clones."""
        return self.cache_root / "sources"
