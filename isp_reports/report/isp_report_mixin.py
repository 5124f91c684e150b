import io
from datetime import datetime, time

import xlsxwriter

from odoo import fields, models


class IspReportMixin(models.AbstractModel):
    """What the ISP report models share for the management pack: which columns to export,
    how a period, branch and region filter them, and the XLSX rendering of their rows."""

    _name = "isp.report.mixin"
    _description = "ISP Report Export Helpers"

    # the datetime field a period filters on; False for snapshots (stock on hand)
    _isp_period_field = "date"
    # the columns of the XLSX export, in order
    _isp_export_fields = ()

    def _isp_export_domain(self, date_from=None, date_to=None, warehouse=None, region=None):
        """Rows of a period (dates included) for a branch and/or region."""
        domain = []
        if self._isp_period_field and date_from:
            domain.append((self._isp_period_field, ">=", datetime.combine(date_from, time.min)))
        if self._isp_period_field and date_to:
            domain.append((self._isp_period_field, "<=", datetime.combine(date_to, time.max)))
        if warehouse:
            domain.append(("warehouse_id", "=", warehouse.id))
        if region:
            domain.append(("region_id", "=", region.id))
        return domain

    def _isp_export_cell(self, record, name):
        field = self._fields[name]
        value = record[name]
        if field.type in ("many2one", "many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        if field.type == "datetime":
            return (
                fields.Datetime.context_timestamp(record, value).strftime("%Y-%m-%d %H:%M")
                if value
                else ""
            )
        if field.type == "date":
            return value.isoformat() if value else ""
        return value

    def _isp_export_xlsx(self, domain, subtitle=""):
        """XLSX bytes: a title, the filter line, a header and one line per row, with
        totals of the summed columns."""
        names = list(self._isp_export_fields)
        records = self.search(domain)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self._description[:31])
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        number = workbook.add_format({"num_format": "#,##0.00"})
        total = workbook.add_format({"bold": True, "num_format": "#,##0.00", "top": 1})
        sheet.write(0, 0, self._description, title)
        sheet.write(1, 0, subtitle)
        for col, name in enumerate(names):
            sheet.write(3, col, self._fields[name]._description_string(self.env), header)
            sheet.set_column(
                col, col, 14 if self._fields[name].type in ("float", "monetary") else 22
            )
        row = 4
        for record in records:
            for col, name in enumerate(names):
                value = self._isp_export_cell(record, name)
                if self._fields[name].type in ("float", "monetary"):
                    sheet.write_number(row, col, value or 0.0, number)
                else:
                    sheet.write(row, col, value)
            row += 1
        sheet.write(row, 0, self.env._("Total"), bold)
        for col, name in enumerate(names):
            field = self._fields[name]
            if field.type in ("float", "monetary", "integer") and field.aggregator == "sum":
                sheet.write_number(row, col, sum(records.mapped(name)), total)
        workbook.close()
        return output.getvalue()
