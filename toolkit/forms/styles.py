"""Cell formats and column widths for generated forms (one place for the look)."""

from __future__ import annotations

from toolkit.danish import EXCEL_FORMATER

BLUE = "#1F4E79"
MID = "#D6E4F0"
GREY = "#EDEDED"
REQUIRED = "#FFF2CC"
BORDER = "#A6A6A6"

# input cells: a 'tal' shows what the respondent typed, with as many decimals as typed ("General")
NUM_FORMATS = {**EXCEL_FORMATER, "tal": "General"}
WIDTHS = {
    "langtekst": 46,
    "tekst": 28,
    "email": 30,
    "url": 40,
    "valg": 28,
    "ja_nej": 11,
    "dato": 17,
    "heltal": 13,
    "tal": 13,
    "beloeb": 15,
    "procent": 12,
}
LABEL_WIDTH = 46
CONTEXT_WIDTH = 12


class Styles:
    """All formats of one workbook, created once (xlsxwriter formats belong to a workbook)."""

    def __init__(self, wb):
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}

        def fmt(**kw):
            return wb.add_format({**base, **kw})

        self.title = fmt(bold=True, font_size=15, font_color=BLUE, valign="vcenter")
        self.subtitle = fmt(italic=True, font_color="#595959", valign="vcenter")
        self.missing = fmt(bold=True, font_color="#C00000", valign="vcenter")
        self.done = fmt(bold=True, font_color="#00733B", valign="vcenter")
        self.text = fmt(text_wrap=True)
        self.para_head = fmt(bold=True, font_size=11, font_color=BLUE)
        self.block = fmt(bold=True, font_size=12, font_color="white", bg_color=BLUE, valign="vcenter")
        self.section = fmt(
            bold=True, font_size=11, bg_color=MID, font_color=BLUE, valign="vcenter", bottom=1, bottom_color=BLUE
        )
        self.descr = fmt(italic=True, text_wrap=True, font_color="#404040")
        self.label = fmt(text_wrap=True, border=1, border_color=BORDER)
        self.label_bold = fmt(bold=True)
        self.help = fmt(italic=True, font_color="#7F7F7F", font_size=9)
        self.head = fmt(
            bold=True, text_wrap=True, bg_color=GREY, border=1, border_color=BORDER, align="center", valign="vcenter"
        )
        self.head_left = fmt(bold=True, text_wrap=True, bg_color=GREY, border=1, border_color=BORDER, valign="vcenter")
        self.context = fmt(bg_color=GREY, border=1, border_color=BORDER, text_wrap=True)
        self.context_value = fmt(bg_color=GREY, border=1, border_color=BORDER)  # unwrapped: runs on
        self.context_band = wb.add_format({"bg_color": GREY})
        # whole numbers without a decimal comma ("#,##0.##" shows "14," in Excel), fractions with up to two
        self.context_num = fmt(bg_color=GREY, border=1, border_color=BORDER, num_format="#,##0.0#")
        self.context_int = fmt(bg_color=GREY, border=1, border_color=BORDER, num_format="#,##0")
        self.link = fmt(font_color="#0563C1", underline=1, bg_color=GREY, border=1, border_color=BORDER)
        self.required = wb.add_format({"bg_color": REQUIRED})
        self.inputs = {}
        for t in WIDTHS:
            kw = {
                "locked": False,
                "border": 1,
                "border_color": BORDER,
                "text_wrap": t in ("langtekst", "tekst", "email", "url", "valg"),
                "num_format": NUM_FORMATS.get(t, "@"),
            }
            if t == "ja_nej":
                kw["align"] = "center"
            self.inputs[t] = fmt(**kw)
        self.meta_head = fmt(bold=True)
