"""Load form definitions from YAML; every problem is an `Issue` with file and line."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from toolkit.definitions.aarshjul import Aarshjul
from toolkit.definitions.aarshjul import cross_check as check_aarshjul
from toolkit.definitions.kriterier import Kriteriesaet, cross_check
from toolkit.definitions.model import Skemadefinition
from toolkit.definitions.required import require_keys
from toolkit.definitions.tekster import check_texts
from toolkit.fieldkeys import FORMS
from toolkit.problems import DefinitionError, Issue

KRITERIER_FIL = "kriterier.yaml"
AARSHJUL_FIL = "aarshjul.yaml"


class Definitioner(dict[str, Skemadefinition]):
    """The form definitions by form key, and the criteria set (`kriterier`) and the annual cycle
    (`aarshjul`) of the same folder."""

    kriterier: Kriteriesaet
    aarshjul: Aarshjul


def bundled_definitions_dir() -> Path:
    import toolkit.skabeloner

    return Path(toolkit.skabeloner.__file__).resolve().parent / "skemaer"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping and sequence item."""

    lines: dict[int, int]  # id(node) -> line
    item_lines: dict[int, list[int]]  # id(list) -> line of each item
    key_lines: dict[int, dict[str, int]]  # id(dict) -> line of each key


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    loader.lines[id(mapping)] = node.start_mark.line + 1
    loader.key_lines[id(mapping)] = {
        k.value: k.start_mark.line + 1 for k, _v in node.value if isinstance(k, yaml.ScalarNode)
    }
    return mapping


def _construct_seq(loader, node, deep=False):
    seq = yaml.SafeLoader.construct_sequence(loader, node, deep=True)
    loader.item_lines[id(seq)] = [n.start_mark.line + 1 for n in node.value]
    return seq


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def _line_of(data, loc, lines, item_lines, key_lines) -> int | None:
    """Walk `loc` into the parsed data; the deepest node with a known line wins."""
    line = lines.get(id(data))
    node = data
    for part in loc:
        try:
            if isinstance(node, list) and isinstance(part, int):
                line = item_lines.get(id(node), [line] * (part + 1))[part]
            elif isinstance(node, dict):
                line = key_lines.get(id(node), {}).get(part, line)
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        line = lines.get(id(node), line)
    return line


def _parse_yaml(text: str, source: str) -> tuple[object, _LineLoader]:
    loader = _LineLoader(text)
    loader.lines, loader.item_lines, loader.key_lines = {}, {}, {}
    try:
        return loader.get_single_data(), loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DefinitionError(
            source,
            [
                Issue(
                    "definition-ugyldig-yaml",
                    f"ugyldig YAML ({getattr(exc, 'problem', exc)})",
                    file=source,
                    line=mark.line + 1 if mark else None,
                )
            ],
        ) from None
    finally:
        loader.dispose()


def _validation_issues(exc: ValidationError, data, loader: _LineLoader, source: str) -> list[Issue]:
    problems: list[Issue] = []
    errors = exc.errors()
    for err in errors:
        if err["type"] == "too_short" and any(
            len(o["loc"]) > len(err["loc"]) and o["loc"][: len(err["loc"])] == err["loc"] for o in errors
        ):
            continue  # a consequence of an error inside the list, which is reported itself
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        line = _line_of(data, loc, loader.lines, loader.item_lines, loader.key_lines)
        path = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "mangler"
        elif err["type"] == "extra_forbidden":
            msg = "ukendt nøgle (stavefejl?)"
        elif err["type"] == "literal_error":
            msg = f"ugyldig værdi, forventet {err['ctx'].get('expected', '').replace(' or ', ' eller ')}"
        problems.append(Issue("definition-ugyldig", f"{path}: {msg}" if path else msg, file=source, line=line))
    return problems


def parse_definition(text: str, source: str) -> Skemadefinition:
    data, loader = _parse_yaml(text, source)
    if not isinstance(data, dict):
        raise DefinitionError(
            source,
            [
                Issue(
                    "definition-ugyldig",
                    "filen skal indeholde en skemadefinition (nøgler som skema, navn, version, ark)",
                    file=source,
                )
            ],
        )
    try:
        return Skemadefinition.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(source, _validation_issues(exc, data, loader, source)) from None


def _parse_checked(text: str, source: str, model, what: str, check):
    """A YAML file holding one `model` (`what`: the keys it must have, for the message), validated,
    then cross-checked by `check` (-> [(location, message)]); every problem is an `Issue` with file
    and line. Returns (the model, the parsed data, the loader) for later positions."""
    data, loader = _parse_yaml(text, source)
    if not isinstance(data, dict):
        raise DefinitionError(source, [Issue("definition-ugyldig", f"filen skal indeholde {what}", file=source)])
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(source, _validation_issues(exc, data, loader, source)) from None
    problems = [
        Issue(
            "definition-ugyldig",
            f"{'.'.join(str(p) for p in loc)}: {msg}",
            file=source,
            line=_line_of(data, list(loc), loader.lines, loader.item_lines, loader.key_lines),
        )
        for loc, msg in check(obj)
    ]
    if problems:
        raise DefinitionError(source, problems)
    return obj, data, loader


def parse_kriterier(text: str, source: str = KRITERIER_FIL) -> Kriteriesaet:
    """The criteria set; every problem (unknown rule, a category naming an unknown criterion, …) is an
    `Issue` with file and line."""
    saet, _data, _loader = _parse_checked(
        text, source, Kriteriesaet, "et kriteriesæt (nøglerne kriterier, kategorier)", cross_check
    )
    return saet


def parse_aarshjul(text: str, source: str = AARSHJUL_FIL) -> Aarshjul:
    """The annual cycle; every problem (an unknown body, a date that is not MM-DD, an order that goes
    in a circle, …) is an `Issue` with file and line."""
    aj, data, loader = _parse_checked(
        text, source, Aarshjul, "et årshjul (nøglerne organer, aktiviteter)", check_aarshjul
    )
    aj._kilde = source
    for i, a in enumerate(aj.aktiviteter):
        where = ["aktiviteter", i, "dato" if a.dato is not None else "uge"]
        line = _line_of(data, where, loader.lines, loader.item_lines, loader.key_lines)
        if line is not None:
            aj._linjer[a.noegle] = line
    return aj


def load_definition(path: Path) -> Skemadefinition:
    path = Path(path)
    return parse_definition(_read(path), path.name)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(
            path.name,
            [Issue("definition-ulaeselig", f"filen kan ikke læses ({exc.__class__.__name__})", file=path.name)],
        ) from None


LATER_FORMS = (
    "panel",
    "hoeringssvar",
)  # added after `skema init` first copied the definitions: the bundled one is used


def load_kriterier(directory: Path | None = None) -> Kriteriesaet:
    """The criteria set of a definitions folder (a copy made before kriterier.yaml existed: the bundled one)."""
    d = Path(directory or bundled_definitions_dir()).resolve()
    return _load_kriterier(str(d), _stamp(d))


def _stamp(directory: Path) -> tuple:
    """The folder's YAML files by name, time and size: an edited file is read again (a long-running
    `skema web`), an unchanged folder comes from the cache."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        st = path.stat()
        out.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


@lru_cache(maxsize=8)
def _load_kriterier(directory: str, stamp: tuple = ()) -> Kriteriesaet:
    path = Path(directory) / KRITERIER_FIL
    if not path.exists():
        path = bundled_definitions_dir() / KRITERIER_FIL
    return parse_kriterier(_read(path), path.name)


def load_aarshjul(directory: Path | None = None) -> Aarshjul:
    """The annual cycle of a definitions folder (a copy made before aarshjul.yaml existed: the bundled one)."""
    d = Path(directory or bundled_definitions_dir()).resolve()
    return _load_aarshjul(str(d), _stamp(d))


@lru_cache(maxsize=8)
def _load_aarshjul(directory: str, stamp: tuple = ()) -> Aarshjul:
    path = Path(directory) / AARSHJUL_FIL
    if not path.exists():
        path = bundled_definitions_dir() / AARSHJUL_FIL
    return parse_aarshjul(_read(path), path.name)


@lru_cache(maxsize=8)
def _load_all(directory: str, stamp: tuple = ()) -> Definitioner:
    out = Definitioner()
    for form in FORMS:
        path = Path(directory) / f"{form}.yaml"
        if not path.exists() and form in LATER_FORMS:  # a copy made before the form existed
            path = bundled_definitions_dir() / f"{form}.yaml"
        if not path.exists():
            raise DefinitionError(
                path.name,
                [Issue("definition-mangler", f"definitionen for '{form}' mangler i {directory}", file=path.name)],
            )
        defn = load_definition(path)
        if defn.skema != form:
            raise DefinitionError(
                path.name,
                [
                    Issue(
                        "definition-forkert-skema",
                        f"filen hedder {form}.yaml men definerer skema '{defn.skema}'",
                        file=path.name,
                    )
                ],
            )
        out[form] = defn
    out.kriterier = _load_kriterier(directory, stamp)
    out.aarshjul = _load_aarshjul(directory, stamp)
    check_texts(out, out.aarshjul, out.kriterier, Path(directory))  # the placeholders in the texts are known
    return out


def load_definitions(directory: Path | None = None) -> Definitioner:
    """All the form definitions, from `directory` (an edited copy) or the bundled ones, with the
    folder's criteria set as `.kriterier` and its annual cycle as `.aarshjul`."""
    d = Path(directory) if directory else bundled_definitions_dir()
    defs = _load_all(str(d.resolve()), _stamp(d.resolve()))
    require_keys(defs, d)
    return defs
