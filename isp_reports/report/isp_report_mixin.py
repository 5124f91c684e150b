import io
from datetime import datetime, time

import pytz
import xlsxwriter

from odoo import api, fields, models
from odoo.tools import SQL


class IspReportMixin(models.AbstractModel):
    """What the ISP report models share for the management pack: which columns to export,
    how a period, branch and region filter them, and the XLSX rendering of their rows."""

    _name = "isp.report.mixin"
    _description = "ISP Report Export Helpers"

    # the datetime field a period filters on; False for snapshots (stock on hand)
    _isp_period_field = "date"
    # the columns of the XLSX export, in order
    _isp_export_fields = ()

    @api.model
    def _isp_period_bounds(self, date_from, date_to):
        """The naive UTC datetimes (as stored) of the first instant of ``date_from`` and
        the last instant of ``date_to``, both days taken in the user's timezone: a
        Nairobi manager's "today" starts at 21:00 UTC the day before. Either date may
        be None (open period); the matching bound is then None."""
        tz = self.env.tz

        def utc(day, moment):
            if not day:
                return None
            local = tz.localize(datetime.combine(day, moment))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_from, time.min), utc(date_to, time.max)

    @api.model
    def _isp_uom_factors(self):
        """SQL of a constant: every unit's factor by id (a jsonb of a few dozen
        entries), for `_isp_product_qty`. One query; read once per report query."""
        self.env["uom.uom"].flush_model(["factor"])
        self.env.cr.execute(SQL("SELECT jsonb_object_agg(id, factor)::text FROM uom_uom"))
        return SQL("%s::jsonb", self.env.cr.fetchone()[0] or "{}")

    @api.model
    def _isp_product_qty(self, quantity, move_uom, product_uom, factors=None):
        """SQL of ``quantity`` (in the unit ``move_uom``) in the product's unit
        ``product_uom``; the three are SQL. The units' factors (``factors``, from
        `_isp_uom_factors`; read here if None) are a constant of the query, used only
        where the two units differ.

        Why a constant: joined to uom_uom in the report's FROM, the two tiny tables
        misled the planner into cross joins of the period's moves (4M rows removed by
        a join filter for a month of 65k moves); read by a subquery, they made the
        query parallel-restricted (a full read of the flows 2.3 s -> 3.3 s)."""
        factors = factors or self._isp_uom_factors()
        return SQL(
            """CASE WHEN %(move_uom)s = %(product_uom)s THEN %(quantity)s
                    ELSE %(quantity)s * (%(factors)s ->> %(move_uom)s::text)::numeric
                         / (%(factors)s ->> %(product_uom)s::text)::numeric
               END""",
            quantity=quantity,
            move_uom=move_uom,
            product_uom=product_uom,
            factors=factors,
        )

    def _isp_export_domain(self, date_from=None, date_to=None, warehouse=None, region=None):
        """Rows of a period (dates included, in the user's timezone) for a branch
        and/or region."""
        domain = []
        start, end = self._isp_period_bounds(date_from, date_to)
        if self._isp_period_field and start:
            domain.append((self._isp_period_field, ">=", start))
        if self._isp_period_field and end:
            domain.append((self._isp_period_field, "<=", end))
        if warehouse:
            domain.append(("warehouse_id", "=", warehouse.id))
        if region:
            domain.append(("region_id", "=", region.id))
        return domain

    def _isp_export_cell(self, record, name):
        """The value of a cell: text for relations and selections, a naive datetime in
        the user's timezone for datetimes, a date for dates, else the raw value."""
        field = self._fields[name]
        value = record[name]
        if field.type in ("many2one", "many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        if field.type == "datetime":
            if not value:
                return False
            return fields.Datetime.context_timestamp(record, value).replace(tzinfo=None)
        return value

    def _isp_export_xlsx(self, domain, subtitle=""):
        """XLSX bytes: a sheet of the rows as a table (the header on row 1, frozen, with
        an autofilter over header and rows, then a line of totals of the summed columns)
        and a second sheet naming the report and its filters (also the printed page
        header and the workbook's title and subject).

        Dates and datetimes are real spreadsheet dates with a date format, so they sort
        and filter as dates. Text never becomes a formula or a link: every text cell
        (names, serials, notes typed by users) is written with `write_string` in a
        Text-formatted cell, so a value such as ``=HYPERLINK(...)`` or ``+cmd|...`` stays
        the text it is, also when the cell is edited in a spreadsheet. The workbook
        options switch off xlsxwriter's own string conversions as a second guard."""
        names = list(self._isp_export_fields)
        records = self.search(domain)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(
            output,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        workbook.set_properties({"title": self._description, "subject": subtitle or ""})
        sheet = workbook.add_worksheet(self._description[:31])
        text = workbook.add_format({"num_format": "@"})
        bold = workbook.add_format({"bold": True, "num_format": "@"})
        title = workbook.add_format({"bold": True, "font_size": 14, "num_format": "@"})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "num_format": "@"}
        )
        number = workbook.add_format({"num_format": "#,##0.00"})
        total = workbook.add_format({"bold": True, "num_format": "#,##0.00", "top": 1})
        date_formats = {
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        widths = {"float": 14, "monetary": 14, "integer": 10, "date": 12, "datetime": 17}
        for col, name in enumerate(names):
            sheet.write_string(0, col, self._fields[name]._description_string(self.env), header)
            sheet.set_column(col, col, widths.get(self._fields[name].type, 22))
        row = 1
        for record in records:
            for col, name in enumerate(names):
                field_type = self._fields[name].type
                value = self._isp_export_cell(record, name)
                if field_type in ("float", "monetary"):
                    sheet.write_number(row, col, value or 0.0, number)
                elif field_type == "integer":
                    sheet.write_number(row, col, value or 0)
                elif field_type in date_formats:
                    if value:
                        sheet.write_datetime(row, col, value, date_formats[field_type])
                    else:
                        sheet.write_blank(row, col, None, date_formats[field_type])
                else:
                    sheet.write_string(row, col, "" if value is False else str(value), text)
            row += 1
        # the header stays in view, filters cover the header and the rows (not the totals)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, row - 1, len(names) - 1)
        sheet.repeat_rows(0)
        # Excel's page header: "&L", "&R" align, "&B" bolds, "&&" is an ampersand
        sheet.set_header(
            "&L&B{}&R{}".format(
                *(part[:100].replace("&", "&&") for part in (self._description, subtitle or ""))
            )
        )
        sheet.write_string(row, 0, self.env._("Total"), bold)
        for col, name in enumerate(names):
            field = self._fields[name]
            if field.type in ("float", "monetary", "integer") and field.aggregator == "sum":
                sheet.write_number(row, col, sum(records.mapped(name)), total)
        about = workbook.add_worksheet(self.env._("Filters"))
        about.set_column(0, 0, 60)
        about.write_string(0, 0, self._description, title)
        about.write_string(1, 0, subtitle or "", text)
        workbook.close()
        return output.getvalue()
