"""Excel data-validation and input help per field type, in Danish."""

from __future__ import annotations

import datetime as dt
from typing import Any

from toolkit.danish import format_tal
from toolkit.definitions.model import Felt

_BIG = 1e15


def _num_txt(x: float) -> str:
    return format_tal(x, 0 if float(x).is_integer() else 2)


TITLE_MAX = 32  # Excel's limit for an input message's title


def input_title(label: str) -> str:
    """The label as an input-message title: whole words within Excel's 32 characters, an ellipsis
    when words had to be left out (never a word cut in the middle)."""
    label = " ".join(label.split())
    if len(label) <= TITLE_MAX:
        return label
    words, out = label.split(" "), ""
    for w in words:
        if len(out) + len(w) + (1 if out else 0) > TITLE_MAX - 1:
            break
        out = f"{out} {w}" if out else w
    return (out.rstrip(",;:–-") or label[: TITLE_MAX - 1]) + "…"


def validation_for(felt: Felt, top_left: str, list_ref: str | None, hjaelp: str | None = None) -> dict:
    """The xlsxwriter data_validation options for `felt`; `top_left` is the first cell (A1); `hjaelp`:
    the field's help with its placeholders filled in (default: as the definition has it)."""
    title = input_title(felt.etiket)
    help_ = felt.hjaelp if hjaelp is None else hjaelp
    t = felt.type
    lo = felt.min if felt.min is not None else -_BIG
    hi = felt.max if felt.max is not None else _BIG
    opts: dict[str, Any]
    if t in ("tal", "heltal", "beloeb", "procent"):
        rng = ""
        if felt.min is not None and felt.max is not None:
            rng = f" mellem {_num_txt(felt.min)} og {_num_txt(felt.max)}"
        elif felt.min is not None:
            rng = f" på mindst {_num_txt(felt.min)}"
        kind = "et helt tal" if t == "heltal" else "et tal"
        unit = {"procent": " (procent, fx 87,5)", "beloeb": " (kroner, uden 'kr.')"}.get(t, "")
        opts = {
            "validate": "integer" if t == "heltal" else "decimal",
            "criteria": "between",
            "minimum": lo,
            "maximum": hi,
            "error_message": f"Skriv {kind}{rng}{unit}.",
        }
        help_ = help_ or f"Skriv {kind}{rng}{unit}."
    elif t == "dato":
        opts = {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1990, 1, 1),
            "maximum": dt.date(2100, 12, 31),
            "error_message": "Skriv en dato, fx 1-3-2027.",
        }
        help_ = help_ or "Skriv en dato, fx 1-3-2027."
    elif t in ("ja_nej", "valg"):
        opts = {"validate": "list", "source": list_ref, "error_message": "Vælg en af mulighederne på listen."}
        help_ = help_ or "Vælg fra listen."
    elif t == "email":
        opts = {
            "validate": "custom",
            "value": f'=ISNUMBER(FIND("@",{top_left}))',
            "error_message": "Skriv en gyldig e-mailadresse (med @).",
        }
    else:
        opts = {
            "validate": "length",
            "criteria": "<=",
            "value": 32767,
            "error_message": "Teksten er for lang (højst 32.767 tegn).",
        }
        if t == "langtekst":
            help_ = help_ or "Skriv med dine egne ord. Alt+Enter giver en ny linje i cellen."
        elif t == "url":
            help_ = help_ or "Skriv hele adressen, fx https://www.eksempel.dk."
        else:
            help_ = help_ or "Skriv kort med dine egne ord."
    if t == "email":
        help_ = help_ or "Skriv e-mailadressen, fx navn@kommune.dk."
    if title != " ".join(felt.etiket.split()):  # shortened: the whole question opens the message
        help_ = f"{felt.etiket}\n{help_}" if help_ else felt.etiket
    opts.update({"input_title": title, "error_title": "Ugyldig værdi", "error_type": "stop", "ignore_blank": True})
    if help_:
        opts["input_message"] = help_ if len(help_) <= 255 else help_[:254].rsplit(" ", 1)[0] + "…"
    return opts
