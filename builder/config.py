"""Site settings the builder reads from ``mkdocs.yml``.

MkDocs owns ``mkdocs.yml``; the builder reads only ``site_name``, ``site_url``
and its own section ``extra.archive``. Every problem is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from builder.errors import ConfigError


class _MkDocsYamlLoader(yaml.SafeLoader):
    """Safe loading that tolerates MkDocs' ``!!python/name:`` and ``!ENV`` tags
    (the builder never needs their values)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_MkDocsYamlLoader.add_multi_constructor("!", _ignore_tag)

ARCHIVE_OPTIONS: dict[str, type] = {"taxonomy": str, "strict_tags": bool}


@dataclass(frozen=True)
class SiteConfig:
    config_file: Path
    site_name: str
    site_url: str | None
    taxonomy_file: Path | None = None
    strict_tags: bool = False


def load_site_config(config_file: Path) -> SiteConfig:
    try:
        text = config_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {config_file}: {exc.strerror}") from None
    try:
        data: Any = yaml.load(text, Loader=_MkDocsYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_file}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{config_file}: expected a mapping")
    errors: list[str] = []
    site_name = data.get("site_name")
    if not isinstance(site_name, str) or not site_name.strip():
        errors.append(f"{config_file}: 'site_name' must be set")
        site_name = ""
    site_url = data.get("site_url") or None
    if site_url is not None and not isinstance(site_url, str):
        errors.append(f"{config_file}: 'site_url' must be a URL")
        site_url = None
    extra = data.get("extra") or {}
    archive = extra.get("archive") or {} if isinstance(extra, dict) else {}
    if not isinstance(archive, dict):
        errors.append(f"{config_file}: 'extra.archive' must be a mapping")
        archive = {}
    for key, value in archive.items():
        expected = ARCHIVE_OPTIONS.get(key)
        if expected is None:
            errors.append(f"{config_file}: unknown option 'extra.archive.{key}' (known: {', '.join(ARCHIVE_OPTIONS)})")
        elif not isinstance(value, expected):
            errors.append(f"{config_file}: 'extra.archive.{key}' must be {expected.__name__}")
    if errors:
        raise ConfigError("\n".join(errors))
    taxonomy = archive.get("taxonomy")
    return SiteConfig(
        config_file=config_file,
        site_name=site_name,
        site_url=site_url,
        taxonomy_file=(config_file.parent / taxonomy) if isinstance(taxonomy, str) else None,
        strict_tags=bool(archive.get("strict_tags", False)),
    )
