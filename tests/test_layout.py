"""The package's shape: imports flow one way along the data flow, modules stay small,
and every option is declared once."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
import yaml
from conftest import make_project, make_site, write

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "showcase"
MAX_LINES = 600
LAYERS = [
    "core",
    "reading",
    "checking",
    "media",
    "site",
    "office",
    "build",
    "config",
    "commands",
    "plugin",
]
"""The data flow, bottom to top: a module may import only from its own layer or below.
(`config` declares the options for MkDocs; `commands` and `plugin` are the two front doors.)"""
MKDOCS_FREE = ["core", "reading", "checking", "media", "site", "office", "build"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module of the package (and every outside top-level package) `path` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            for alias in node.names:  # `from . import charts` imports a module
                candidate = f"{module}.{alias.name}"
                if _path_of(candidate) is not None:
                    found.add(candidate)
    return found


def _path_of(module: str) -> Path | None:
    if not module.startswith("showcase"):
        return None
    rel = Path(*module.split(".")[1:])
    for candidate in (PACKAGE / rel.with_suffix(".py"), PACKAGE / rel / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        graph[_module_name(path)] = {m for m in _imports(path) if _path_of(m) is not None}
    return graph


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "plugin"


def test_import_graph_has_no_cycle() -> None:
    graph = _graph()
    visiting, done, cycles = set(), set(), []

    def visit(node: str, stack: list[str]) -> None:
        if node in done:
            return
        if node in visiting:
            cycles.append(stack[stack.index(node) :] + [node])
            return
        visiting.add(node)
        for target in sorted(graph.get(node, ())):
            if target != node and not target.endswith("__init__"):
                visit(target, [*stack, target])
        visiting.discard(node)
        done.add(node)

    for module in graph:
        visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_imports_flow_along_the_data_flow() -> None:
    upward = []
    for module, targets in _graph().items():
        if module == "showcase" or _layer(module) not in LAYERS:
            continue
        mine = LAYERS.index(_layer(module))
        for target in targets:
            if target == "showcase":
                continue
            if LAYERS.index(_layer(target)) > mine:
                upward.append(f"{module} → {target}")
    assert not upward, "imports against the data flow:\n" + "\n".join(sorted(upward))


def test_the_library_imports_nothing_of_mkdocs() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        if _layer(module) in MKDOCS_FREE:
            for target in _imports(path):
                if target.split(".")[0] in ("mkdocs", "material", "properdocs"):
                    offenders.append(f"{module} → {target}")
    assert not offenders, offenders


def test_no_module_is_longer_than_600_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


# --- options: declared once ----------------------------------------------------------


def _declared_options() -> list[str]:
    from showcase.config import ShowcaseConfig

    return [name for name, _ in ShowcaseConfig._schema]


def test_every_option_is_declared_once_and_documented() -> None:
    """The config class is the only list of options; each one carries its docstring."""
    from showcase import config

    names = _declared_options()
    assert len(names) == len(set(names))
    assert "enabled" in names
    source = inspect.getsource(config.ShowcaseConfig)
    for name in names:
        assert f"{name} = c." in source
        after = source.split(f"{name} = c.", 1)[1].split("\n", 2)
        assert after[1].strip().startswith('"""'), f"{name} has no docstring"
    # no other module of the package spells out the option list or its defaults
    for path in PACKAGE.rglob("*.py"):
        if path.name == "config.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "summary_max_chars: int = 200" not in text, path
        assert "nav_projects_max: int" not in text, path


def _plugin_settings(config_file: Path):
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    plugin = config.plugins["showcase"]
    plugin.on_config(config)
    return plugin.settings


def test_command_line_and_plugin_read_the_same_settings(tmp_path: Path) -> None:
    from showcase.commands.siteconfig import load_site

    make_project(tmp_path / "projects", "qinghe")
    options = {
        "sources": ["projects"],
        "cache_dir": str(tmp_path / ".cache"),
        "summary_max_chars": 150,
        "publish_personal": True,
        "nav_projects_max": 3,
        "url_prefix": "zhuanlan",
    }
    config_file = make_site(
        tmp_path, options, extra={"site_url": "https://example.edu.cn/dangjian/"}
    )
    from_cli = load_site(config_file).settings
    from_plugin = _plugin_settings(config_file)
    assert from_cli.as_dict() == from_plugin.as_dict()
    assert set(from_cli.as_dict()) == {*_declared_options(), "base_dir", "site_url"}
    assert from_cli.summary_max_chars == 150 and from_cli.url_prefix == "zhuanlan"
    assert from_cli.site_url == "https://example.edu.cn/dangjian/"
    assert from_cli.images_cache == tmp_path / ".cache" / "images"


@pytest.mark.parametrize(
    "options",
    [{"sources": "projects"}, {"summary_max_chars": "二百"}, {"no_such_option": 1}],
    ids=["sources-as-string", "wrong-type", "unknown-option"],
)
def test_a_rejected_option_is_rejected_by_both(tmp_path: Path, options: dict) -> None:
    import click
    from mkdocs import exceptions
    from mkdocs.config import load_config
    from showcase.commands.siteconfig import load_site

    config_file = make_site(tmp_path, options)
    data = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    if "no_such_option" in options:
        # MkDocs only warns about an unknown plugin option, and fails on it in strict mode
        write(config_file, yaml.safe_dump({**data, "strict": True}, allow_unicode=True))
    with pytest.raises(exceptions.Abort):
        load_config(str(config_file))
    with pytest.raises(click.ClickException) as caught:
        load_site(config_file)
    assert "mkdocs.yml 的设置有误" in caught.value.message


def test_enabled_false_turns_the_plugin_off(tmp_path: Path) -> None:
    from conftest import build

    make_project(tmp_path / "projects", "qinghe")
    write(tmp_path / "docs" / "index.md", "# 首页\n")
    site = build(make_site(tmp_path, {"enabled": False}))
    assert (site / "index.html").is_file()
    assert not (site / "projects").exists() and not (site / "registry").exists()


def test_command_line_reports_use_the_sites_template_overrides(tmp_path: Path) -> None:
    """`showcase check --format html` renders through the same loader chain as the site."""
    from click.testing import CliRunner
    from showcase.commands.cli import main

    make_project(tmp_path / "projects", "qinghe")
    config_file = make_site(
        tmp_path, extra={"theme": {"name": "material", "custom_dir": "overrides"}}
    )
    write(
        tmp_path / "overrides" / "showcase" / "review_report.html",
        "本区自定义审核表 {{ items|length }}",
    )
    result = CliRunner().invoke(
        main, ["check", "-f", str(config_file), "--format", "html"], catch_exceptions=False
    )
    assert "本区自定义审核表 1" in result.output
