"""Entity registry files: the organisations and people whose names are protected.

Two formats, told apart by the file name and first bytes:

* YAML: either a list of entities or a mapping with an ``entities:`` list;
* JSON Lines: one entity object a line.

An entity: ``id``, ``name``, ``kind`` (agency | media | organisation | person), ``aliases``,
``domains`` (official), ``accounts`` (``platform``, ``handle``, ``display_name``, ``url``) and
``logos`` (image paths, relative to the registry file).  A bad entity is reported with its file
and position and the others are kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from factwatch.models import Account, Entity
from factwatch.sources.base import RejectSink

KINDS = ("agency", "media", "organisation", "person")
_KIND_ALIASES = {
    "organization": "organisation",
    "org": "organisation",
    "newspaper": "media",
    "government": "agency",
}
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_STR = 500
MAX_LIST = 1000


class EntityError(ValueError):
    pass


def _str(obj: dict[str, Any], key: str, required: bool = False) -> str | None:
    v = obj.get(key)
    if v is None or (isinstance(v, str) and not v.strip()):
        if required:
            raise EntityError(f"'{key}' is required")
        return None
    if isinstance(v, bool) or not isinstance(v, str | int | float):
        raise EntityError(f"'{key}' must be a string, got {type(v).__name__}")
    s = str(v).strip()
    if len(s) > MAX_STR:
        raise EntityError(f"'{key}' is longer than {MAX_STR} characters")
    return s


def _str_list(obj: dict[str, Any], key: str) -> list[str]:
    v = obj.get(key)
    if v is None:
        return []
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list):
        raise EntityError(f"'{key}' must be a list of strings, got {type(v).__name__}")
    if len(v) > MAX_LIST:
        raise EntityError(f"'{key}' has more than {MAX_LIST} entries")
    out = []
    for x in v:
        if isinstance(x, bool) or not isinstance(x, str | int | float):
            raise EntityError(f"'{key}' must be a list of strings, found {type(x).__name__}")
        s = str(x).strip()
        if len(s) > MAX_STR:
            raise EntityError(f"an entry of '{key}' is longer than {MAX_STR} characters")
        if s:
            out.append(s)
    return out


def _domain(value: str) -> str:
    from factwatch.impersonation.domains import normalize_host

    host = normalize_host(value)
    if host is None:
        raise EntityError(f"'{value}' is not a domain name")
    return host


def parse_entity(obj: Any, base_dir: Path | None = None) -> Entity:
    """One registry record -> Entity; raises EntityError with a one-sentence reason."""
    if not isinstance(obj, dict):
        raise EntityError(f"expected an entity object, got {type(obj).__name__}")
    eid = _str(obj, "id", required=True)
    name = _str(obj, "name", required=True)
    assert eid is not None and name is not None
    kind = (_str(obj, "kind") or "organisation").lower()
    kind = _KIND_ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise EntityError(f"'kind' must be one of {', '.join(KINDS)}, got '{kind}'")
    accounts: list[Account] = []
    raw_acc = obj.get("accounts") or []
    if not isinstance(raw_acc, list):
        raise EntityError("'accounts' must be a list")
    for i, a in enumerate(raw_acc[:MAX_LIST]):
        if not isinstance(a, dict):
            raise EntityError(f"account {i + 1} must be an object with platform and handle")
        platform = _str(a, "platform", required=True)
        handle = _str(a, "handle", required=True)
        assert platform is not None and handle is not None
        accounts.append(
            Account(
                platform=platform.lower(),
                handle=handle.lstrip("@"),
                display_name=_str(a, "display_name"),
                url=_str(a, "url"),
            )
        )
    logos = []
    for p in _str_list(obj, "logos"):
        path = Path(p)
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        logos.append(str(path))
    return Entity(
        id=eid,
        name=name,
        kind=kind,
        aliases=_str_list(obj, "aliases"),
        domains=[_domain(d) for d in _str_list(obj, "domains")],
        accounts=accounts,
        logos=logos,
    )


def _looks_jsonl(name: str, head: bytes) -> bool:
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return True
    if name.endswith((".yaml", ".yml")):
        return False
    return head.lstrip().startswith(b"{")


def read_entities(path: str, rejections: RejectSink) -> Iterator[Entity]:
    """Entities of a YAML or JSONL registry file; bad records go to ``rejections``."""
    p = Path(path)
    if p.stat().st_size > MAX_FILE_BYTES:
        rejections.add(path, f"file larger than {MAX_FILE_BYTES} bytes")
        return
    yield from read_entities_bytes(p.read_bytes(), path, p.parent, rejections)


def read_entities_bytes(
    data: bytes, path: str, base: Path, rejections: RejectSink
) -> Iterator[Entity]:
    """Entities of registry content ``data`` named ``path``; logo paths are relative to ``base``."""
    if len(data) > MAX_FILE_BYTES:
        rejections.add(path, f"file larger than {MAX_FILE_BYTES} bytes")
        return
    if _looks_jsonl(Path(path).name, data[:4096]):
        for lineno, raw in enumerate(data.split(b"\n"), start=1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                obj = json.loads(raw.decode("utf-8"))
                yield parse_entity(obj, base)
            except UnicodeDecodeError as exc:
                rejections.add(where, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            except json.JSONDecodeError as exc:
                rejections.add(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            except RecursionError:
                rejections.add(where, "JSON nested too deeply")
            except EntityError as exc:
                rejections.add(where, str(exc))
        return
    try:
        doc = yaml.safe_load(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        rejections.add(path, f"not UTF-8 ({exc.reason} at byte {exc.start})")
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        rejections.add(where, f"invalid YAML ({getattr(exc, 'problem', None) or exc})")
        return
    except RecursionError:
        rejections.add(path, "YAML nested too deeply")
        return
    if isinstance(doc, dict) and "entities" in doc:
        doc = doc["entities"]
    if doc is None:
        return
    if not isinstance(doc, list):
        rejections.add(path, "expected a list of entities or a mapping with an 'entities' list")
        return
    for i, obj in enumerate(doc, start=1):
        try:
            yield parse_entity(obj, base)
        except EntityError as exc:
            name = obj.get("id") if isinstance(obj, dict) else None
            rejections.add(
                f"{path}:entity {i}" + (f" ({name})" if isinstance(name, str) else ""), str(exc)
            )
