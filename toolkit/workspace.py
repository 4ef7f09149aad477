"""The working folder as one object: its stamdata, form definitions, Word templates, store and output
folder, and every step of the year on top of the pipeline's stages. The CLI and the web page call
this (through `toolkit`'s front door); tests call it directly.

Everything a run writes goes under `output` (default `<folder>/output/<år>/…`); every location can be
given explicitly. Nothing here prints: results are values the caller shows."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.definitions.load import Definitioner, bundled_definitions_dir, load_definitions
from toolkit.stamdata.examples import eksempel as bundled_example
from toolkit.stamdata.load import default_stamdata_path, load_stamdata
from toolkit.store.db import DB_FILE

if TYPE_CHECKING:  # the stages are imported where they are used: `skema --help` stays fast
    from toolkit.consolidate.status import ReturnStatus
    from toolkit.documents.produce import Written
    from toolkit.forms.generate import GeneratedForm, SkippedForm
    from toolkit.mail.send import SendReport
    from toolkit.returns.ingest import IngestItem, IngestReport
    from toolkit.rules.cycle import ActivityState
    from toolkit.rules.keyfigures import TilbudFigures
    from toolkit.rules.warnings import Signal
    from toolkit.stamdata.model import Stamdata
    from toolkit.stamdata.respondents import Respondent
    from toolkit.store import Store, StoredValue

STAMDATA_FILE = "stamdata.xlsx"


def default_year(today: dt.date | None = None) -> int:
    """The cycle year: forms go out in January, so from September on we prepare next year."""
    today = today or dt.date.today()
    return today.year + 1 if today.month >= 9 else today.year


def _timestamp(stored: str) -> float:
    """A time as the store keeps it (local ISO text, to the second) as a POSIX time; 0 for none."""
    try:
        return dt.datetime.fromisoformat(stored).timestamp() if stored else 0.0
    except ValueError:
        return 0.0


def resolve_stamdata(path: Path | None, cwd: Path | None = None) -> tuple[Path, bool]:
    """(path, is_example): the given file, ./stamdata.xlsx, or the bundled example."""
    if path:
        return Path(path), False
    local = (cwd or Path.cwd()) / STAMDATA_FILE
    if local.exists():
        return local, False
    return default_stamdata_path(), True


def resolve_definitions(path: Path | None, cwd: Path | None = None) -> Path:
    if path:
        return Path(path)
    local = (cwd or Path.cwd()) / "skabeloner" / "skemaer"
    return local if (local / "aarsrapport.yaml").exists() else bundled_definitions_dir()


def init_workspace(folder: Path, eksempel: str | None = None) -> list[tuple[Path, str]]:
    """Copy a bundled example's stamdata (`eksempel`: nordjylland, the standard, or sjaelland), the
    form definitions (with the example's own aarshjul.yaml), the Word templates and the mail texts
    into `folder` for editing.
    Existing files are left alone. Returns (path, 'kopieret' | 'findes allerede')."""
    folder = Path(folder)
    example = bundled_example(eksempel)
    folder.mkdir(parents=True, exist_ok=True)
    pairs = [(example.stamdata, folder / STAMDATA_FILE)]
    definitions = {p.name: p for p in sorted(bundled_definitions_dir().glob("*.yaml"))}
    if example.aarshjul:
        definitions["aarshjul.yaml"] = example.aarshjul  # the example's own cycle and bodies
    pairs += [(src, folder / "skabeloner" / "skemaer" / name) for name, src in definitions.items()]
    pairs += [(p, folder / "skabeloner" / p.name) for p in sorted(bundled_definitions_dir().parent.glob("*.docx"))]
    mail = bundled_definitions_dir().parent / "mail"
    pairs += [(p, folder / "skabeloner" / "mail" / p.name) for p in sorted(mail.glob("*.txt"))]
    done = []
    for src, dst in pairs:
        if dst.exists():
            done.append((dst, "findes allerede"))
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        done.append((dst, "kopieret"))
    return done


@dataclass(frozen=True)
class YearData:
    """A year as the store knows it: current values, who answered, key figures and signals."""

    aar: int
    values: list[StoredValue]
    statuses: list[ReturnStatus]
    figures: list[TilbudFigures]
    warnings: dict[str, list[Signal]]


@dataclass
class Workspace:
    """A working folder. `stamdata`, `definitions` and `templates` default to the folder's own copies
    (made by `init_workspace`), else the bundled example; `output` defaults to `<folder>/output`."""

    folder: Path = Path(".")
    stamdata: Path | None = None
    definitions: Path | None = None
    templates: Path | None = None
    output: Path | None = None
    workers: int = 2

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)

    # --- what the folder holds ---------------------------------------------------------------
    @cached_property
    def stamdata_source(self) -> tuple[Path, bool]:
        """(stamdata file, whether it is the bundled example)."""
        return resolve_stamdata(self.stamdata, self.folder)

    @property
    def uses_example(self) -> bool:
        return self.stamdata_source[1]

    @cached_property
    def sd(self) -> Stamdata:
        return load_stamdata(self.stamdata_source[0])

    @cached_property
    def definitions_dir(self) -> Path:
        return resolve_definitions(self.definitions, self.folder)

    @cached_property
    def defs(self) -> Definitioner:
        return load_definitions(self.definitions_dir)

    @property
    def templates_dir(self) -> Path | None:
        if self.templates:
            return Path(self.templates)
        local = self.folder / "skabeloner"
        return local if any(local.glob("*.docx")) else None

    def out(self, aar: int) -> Path:
        """The year's output folder."""
        return (Path(self.output) if self.output else self.folder / "output") / str(aar)

    def overview_path(self, aar: int) -> Path:
        """The year's consolidated workbook."""
        return self.out(aar) / f"{aar}_samlet.xlsx"

    def forms_dir(self, aar: int) -> Path:
        return self.out(aar) / "skemaer"

    @property
    def store_file(self) -> Path:
        """The database file (SQLite, with its write-ahead log `<file>-wal` beside it while in use)."""
        return self.folder / DB_FILE

    @property
    def has_store(self) -> bool:
        return self.store_file.exists()

    @contextmanager
    def store(self) -> Iterator[Store]:
        from toolkit.store import Store

        with Store(self.folder) as store:
            yield store

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The store to read from. A folder without one gets none: an empty store in a temporary
        folder answers instead, so that reading never leaves a database behind."""
        if self.has_store:
            with self.store() as store:
                yield store
            return
        import tempfile

        from toolkit.store import Store

        with tempfile.TemporaryDirectory(prefix="skema_tom_") as tmp, Store(Path(tmp)) as store:
            yield store

    def data_years(self) -> list[int]:
        """The years the store holds returned forms for (none without a store)."""
        if not self.has_store:
            return []
        with self.store() as store:
            return sorted({s.aar for s in store.submissions() if s.aar})

    @contextmanager
    def writing(self, on_wait: Callable[[], None] | None = None) -> Iterator[Store]:
        """The store, with the folder's lock held: one writing run at a time."""
        from toolkit.store.lock import workspace_lock

        with workspace_lock(self.folder, on_wait=on_wait), self.store() as store:
            yield store

    # --- send-out ----------------------------------------------------------------------------
    def planned_forms(
        self, aar: int, skemaer: Iterable[str] | None = None, klynge: str | None = None
    ) -> tuple[list, list[SkippedForm]]:
        from toolkit.forms.generate import planned_forms

        return planned_forms(self.sd, aar, skemaer, self.definitions_dir, klynge)

    def generate(
        self,
        aar: int,
        skemaer: Iterable[str] | None = None,
        out_dir: Path | None = None,
        overwrite: bool = False,
        progress: Callable[[GeneratedForm], None] | None = None,
        frist: dt.date | None = None,
        klynge: str | None = None,
    ) -> tuple[list[GeneratedForm], list[SkippedForm], Path]:
        """Write the year's forms (prefilled with earlier years' answers when the store has them).
        `frist`: the deadline the forms state instead of the Frister sheet's. `klynge`: only a
        cluster's forms (its municipalities, driftsherrer and tilbud), named after the cluster."""
        from toolkit.forms.generate import generate_forms, history_prefill
        from toolkit.rules.cycle import aarshjul

        aarshjul(self.sd, self.defs.aarshjul, aar)  # the forms state the year's deadlines: its order is checked
        out = Path(out_dir) if out_dir else self.forms_dir(aar)
        prefill = None
        if self.has_store:
            with self.store() as store:
                prefill = history_prefill(store, aar)
        sager = self.panel_cases(aar) if skemaer and "panel" in skemaer else None
        results, skipped = generate_forms(
            self.sd,
            aar,
            out,
            skemaer,
            overwrite,
            self.definitions_dir,
            progress=progress,
            prefill=prefill,
            sager=sager,
            frist=frist,
            klynge=klynge,
        )
        if results:  # remembered in the store: a returned file identical to a sent form is not an answer
            with self.store() as store:
                store.record_sent(
                    (r.path, r.skema, aar, r.modtager_id, r.modtager) for r in results if r.path.is_file()
                )
        return results, skipped, out

    def panel_cases(self, aar: int) -> list:
        """The blocks of the panel's form, with their locked context, from the year's returns."""
        from toolkit.consolidate.panel import panel_cases

        year = self.year_data(aar)
        return panel_cases(self.sd, aar, year.values, year.figures, year.warnings, self.defs.kriterier)

    # --- returns -----------------------------------------------------------------------------
    def collect(self, paths: Iterable[Path]) -> list[Path]:
        from toolkit.returns.ingest import collect_files

        return collect_files(paths)[0]

    def check(self, paths: Iterable[Path], progress: Callable[[IngestItem], None] | None = None) -> IngestReport:
        """Guard, identify and validate files without storing anything (`skema tjek`)."""
        from toolkit.returns.ingest import check_returns

        return check_returns(paths, self.sd, self.defs, progress=progress, workers=self.workers)

    def ingest(
        self,
        paths: Iterable[Path],
        progress: Callable[[IngestItem], None] | None = None,
        years: Iterable[int] | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> tuple[IngestReport, list[Path]]:
        """Read, archive and store returned files, then rewrite the consolidated workbook of `years`
        (default: those the run made out of date, `_changed_years`; a run that stores nothing new
        rewrites at most the current year's). Returns the report and the workbooks written."""
        from toolkit.problems import SkemaError
        from toolkit.returns.ingest import ingest

        with self.writing(on_wait) as store:
            report = ingest(paths, store, self.sd, self.defs, progress=progress, workers=self.workers)
            todo = self._changed_years(store, report) if years is None else list(years)
            written = []
            for y in todo:
                try:  # the values are stored: a locked overview must not hide the per-file report
                    written.append(self._consolidate(store, y))
                except SkemaError as exc:
                    report.notes.append(
                        f"Det samlede overblik for {y} blev ikke skrevet: {exc} Kør 'skema samlet --aar {y}' bagefter."
                    )
        return report, written

    def _changed_years(self, store: Store, report: IngestReport) -> list[int]:
        """The years whose consolidated workbook is out of date after this ingest: those of the files
        it stored (a refused file that names no year shows in every year's list of errors), the
        cycle's current year (its deadlines and stamdata move), and any year whose workbook is missing
        or older than the store's last change for it (a write that failed, a correction since).
        Other years' workbooks are left as they are: a store with many years is not rewritten whole."""
        from toolkit.statuses import FileResult

        stored = {FileResult.NY, FileResult.ERSTATTER, FileResult.AELDRE, FileResult.AFVIST}
        submissions = store.submissions()
        in_store = {s.aar for s in submissions if s.aar}
        changed = [i.aar for i in report.items if i.status in stored]
        years = set(in_store) if None in changed else {y for y in changed if y}
        years |= in_store & {default_year()}
        last: dict[int | None, str] = {}
        for sub in submissions:
            last[sub.aar] = max(last.get(sub.aar, ""), sub.received_at)
        for c in store.corrections():
            last[c["aar"]] = max(last.get(c["aar"], ""), c["created_at"])
        for y in in_store - years:
            target = self.overview_path(y)
            latest = max(last.get(y, ""), last.get(None, ""))
            if not target.exists() or _timestamp(latest) > target.stat().st_mtime:
                years.add(y)
        return sorted(years)

    def correct(self, aar: int, respondent_id: str, felt: str, text: str, reason: str) -> Any:
        """Correct one value after talking to the respondent; validated like the form's cell."""
        from toolkit.returns.corrections import correct_value

        with self.writing() as store:
            return correct_value(store, self.sd, self.defs, aar, respondent_id, felt, text, reason)

    def remark(
        self, aar: int, part_id: str, tilbud_id: str, tekst: str, ydelser_matcher: str | None, reason: str
    ) -> dict[str, object]:
        """A hearing remark received by mail: validated like the hoeringssvar form's cells and stored
        with who (the part) and why (`reason`), as `correct` does. Returns {field key: value}."""
        from toolkit.returns.corrections import record_remark

        with self.writing() as store:
            return record_remark(store, self.sd, self.defs, aar, part_id, tilbud_id, tekst, ydelser_matcher, reason)

    # --- consolidation -----------------------------------------------------------------------
    def year_data(self, aar: int, today: dt.date | None = None) -> YearData:
        from toolkit.consolidate.year import year_data
        from toolkit.rules.warnings import early_warnings

        with self.reading() as store:
            values, statuses, figures = year_data(store, self.sd, self.defs, aar, today)
        return YearData(aar, values, statuses, figures, early_warnings(self.sd, aar, figures))

    def consolidate(self, aar: int, today: dt.date | None = None) -> Path:
        with self.reading() as store:
            return self._consolidate(store, aar, today)

    def _consolidate(self, store: Store, aar: int, today: dt.date | None = None) -> Path:
        from toolkit.consolidate.year import consolidate

        return consolidate(store, self.sd, self.defs, aar, self.overview_path(aar), today)

    def missing(self, aar: int, today: dt.date | None = None) -> list[ReturnStatus]:
        """The forms of `aar` not answered yet, each with its deadline and whether it has passed."""
        from toolkit.statuses import AnswerStatus

        return [s for s in self.year_data(aar, today).statuses if s.status == AnswerStatus.MANGLER]

    def reminder_list(self, aar: int, today: dt.date | None = None) -> tuple[Path, int]:
        from toolkit.consolidate.year import write_reminder_list

        return write_reminder_list(
            self.year_data(aar, today).statuses,
            self.out(aar) / f"{aar}_rykkerliste.xlsx",
            title=f"Rykkerliste {aar} – manglende skemaer",
            today=today,
            author=self.sd.setting("sekretariat") or "",
        )

    def rammeaftale(self, aar: int) -> Path:
        """The rammeaftale's list of tilbud covered from 1 January `aar`+1, with what changes (the
        panel's proposals as read from its form): output/<aar>/<aar+1>_rammeaftale_tilbud.xlsx."""
        from toolkit.consolidate.panel import panel_assessment
        from toolkit.consolidate.rammeaftale import rammeaftale_rows, write_rammeaftale

        year = self.year_data(aar)
        rows = rammeaftale_rows(
            self.sd, aar, year.values, year.figures, panel_assessment(year.values), self.defs.kriterier
        )
        return write_rammeaftale(
            self.out(aar) / f"{aar + 1}_rammeaftale_tilbud.xlsx", self.sd, aar, rows, self.defs.aarshjul
        )

    def export(self, fmt: str, target: Path | None = None, aar: int | None = None) -> bytes:
        from toolkit.store.export import export

        with self.reading() as store:
            return export(store.current_values(aar), fmt, target)

    def current_values(self, aar: int, skema: str | None = None) -> list[StoredValue]:
        """The year's current values (of one form), corrections applied, each with its source cell."""
        with self.reading() as store:
            return store.current_values(aar, skema)

    def find_respondents(self, text: str) -> list[Respondent]:
        """The respondents an id or a name (any case) names; UsageError with near matches if none."""
        from toolkit.stamdata.respondents import find_respondents, known_respondents

        stored: dict[str, str] = {}
        if self.has_store:
            with self.store() as store:
                stored = {s.respondent_id: s.respondent_navn or "" for s in store.submissions() if s.respondent_id}
        return find_respondents(text, known_respondents(self.sd, stored))

    def history(self, respondent_id: str) -> tuple[list, list]:
        """(submissions, corrections) for one respondent, oldest first."""
        with self.reading() as store:
            return store.history(respondent_id), store.corrections(respondent_id)

    # --- the cycle ---------------------------------------------------------------------------
    def cycle(self, aar: int, today: dt.date | None = None) -> list[ActivityState]:
        """The årshjul with today's state of each activity."""
        from toolkit.consolidate.cycle_state import year_cycle

        forms = self.forms_dir(aar)
        sent = {p.name.split("_")[1] for p in forms.glob(f"{aar}_*.xlsx")} if forms.exists() else set()
        with self.reading() as store:
            return year_cycle(store, self.sd, self.defs, aar, sent, today or dt.date.today())

    def calendar(self, aar: int, target: Path) -> Path:
        """The årshjul as an .ics file for Outlook."""
        from toolkit.documents.calendar import write_calendar

        return write_calendar(Path(target), [s.activity for s in self.cycle(aar)], self.sd.region)

    # --- documents ---------------------------------------------------------------------------
    def check_hearing_deadline(self, aar: int, frist: dt.date, today: dt.date | None = None) -> None:
        """UsageError when the hearing deadline is not before the DAS meeting, or is in the past."""
        from toolkit.rules.cycle import check_hearing_deadline

        check_hearing_deadline(self.sd, self.defs.aarshjul, aar, frist, today or dt.date.today())

    def hoering(
        self, aar: int, frist: dt.date, overwrite: bool = False, pdf: bool = False, today: dt.date | None = None
    ) -> list[Written]:
        """Hearing letters, material and one hearing-reply form per aftalepart (named in its letter, next
        to it); a deadline on or after the DAS meeting, or in the past, is refused."""
        from toolkit.documents.produce import Written, write_hoering
        from toolkit.fieldkeys import Hoeringssvar

        self.check_hearing_deadline(aar, frist, today)
        forms, _skipped, _out = self.generate(
            aar, [Hoeringssvar.SKEMA], self.out(aar) / "hoering", overwrite=overwrite, frist=frist
        )
        with self.reading() as store:
            written = write_hoering(
                store, self.sd, self.defs, aar, frist, self.out(aar), overwrite, templates=self.templates_dir
            )
        return self._pdf(written, pdf) + [Written(f.path, f.status) for f in forms]

    def rykkere(
        self, aar: int, overwrite: bool = False, pdf: bool = False, today: dt.date | None = None
    ) -> list[Written]:
        from toolkit.documents.produce import write_rykkere

        with self.reading() as store:
            written = write_rykkere(
                store, self.sd, self.defs, aar, self.out(aar), overwrite, today=today, templates=self.templates_dir
            )
        return self._pdf(written, pdf)

    def bilag(
        self,
        aar: int,
        moede: dt.date,
        overwrite: bool = False,
        pdf: bool = False,
        punkter: Iterable[str] = (),
        vedlaeg: Iterable[str] = (),
    ) -> Written:
        """The DAS appendix. `punkter`: `--punkt` values ('4', 'status=4'); `vedlaeg`: `--vedlaeg`
        values ('referat.docx', '2=sag.pdf'), see documents/compose.py."""
        from toolkit.documents.compose import merge_pdf, parse_punkter, read_attachments
        from toolkit.documents.produce import write_bilag
        from toolkit.statuses import WriteStatus

        plan, attachments = parse_punkter(list(punkter)), read_attachments(list(vedlaeg))  # checked first
        with self.reading() as store:
            written = write_bilag(
                store,
                self.sd,
                self.defs,
                aar,
                moede,
                self.out(aar),
                overwrite,
                templates=self.templates_dir,
                punkter=plan,
                attachments=attachments,
                reserve_pdf_pages=pdf,
            )
        written = self._pdf([written], pdf)[0]
        if pdf and written.status == WriteStatus.SKREVET:
            merge_pdf(written.path.with_suffix(".pdf"), attachments)
        return written

    # --- mail out (toolkit.mail) ---------------------------------------------------------------
    @property
    def mail_templates_dir(self) -> Path | None:
        """skabeloner/mail in the folder (or under --skabeloner) if it is there; else the bundled texts."""
        for d in ([Path(self.templates) / "mail"] if self.templates else []) + [self.folder / "skabeloner" / "mail"]:
            if d.is_dir():
                return d
        return None

    def udsend(
        self,
        aar: int,
        skemaer: Iterable[str] | None = None,
        send: bool = False,
        again: bool = False,
        env: dict[str, str] | None = None,
        today: dt.date | None = None,
    ) -> SendReport:
        """The January send-out: one mail per recipient with all its generated forms for `aar`, as
        .eml drafts in output/<år>/udsendelse/, or sent by SMTP with `send` (settings: `env`, then
        stamdata; each sent mail recorded, none sent twice unless `again`)."""
        import os

        from toolkit.mail.run import deliver, sendout_mails

        planned, _skipped = self.planned_forms(aar, skemaer)
        mails = sendout_mails(
            self.sd, planned, aar, self.forms_dir(aar), self.mail_templates_dir, today or dt.date.today()
        )
        with self._mail_store(send) as store:
            return deliver(
                mails, self.out(aar) / "udsendelse", self.sd, store, send, again, os.environ if env is None else env
            )

    def rykker_mails(
        self,
        aar: int,
        send: bool = False,
        again: bool = False,
        env: dict[str, str] | None = None,
        today: dt.date | None = None,
    ) -> SendReport:
        """Reminders as mails: the forms still missing attached again, drafts in output/<år>/rykkere/
        or sent like `udsend`."""
        import os

        from toolkit.mail.run import deliver, reminder_mails

        today = today or dt.date.today()
        statuses = self.year_data(aar, today).statuses
        folders = [self.forms_dir(aar), self.out(aar) / "hoering"]  # the hearing writes its forms there
        mails = reminder_mails(self.sd, statuses, aar, folders, self.mail_templates_dir, today)
        with self._mail_store(send) as store:
            return deliver(
                mails, self.out(aar) / "rykkere", self.sd, store, send, again, os.environ if env is None else env
            )

    @contextmanager
    def _mail_store(self, send: bool) -> Iterator[Store | None]:
        """Sending records in the store, with the folder's lock held (no two runs send at once)."""
        if not send:
            yield None
            return
        with self.writing() as store:
            yield store

    def _pdf(self, written: list[Written], pdf: bool) -> list[Written]:
        if pdf:
            from toolkit.documents.pdf import convert
            from toolkit.statuses import WriteStatus

            new = [w.path for w in written if w.status == WriteStatus.SKREVET]
            for d in sorted({p.parent for p in new}):
                convert([p for p in new if p.parent == d], "pdf", d)
        return written
