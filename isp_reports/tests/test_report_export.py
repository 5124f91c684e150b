import base64
import io
from datetime import datetime

import openpyxl
from lxml import html as lxml_html

from odoo import fields
from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestReportExport(IspReportsCommon):
    def setUp(self):
        """A loss and a count in the van, for the loss and variance pack."""
        super().setUp()
        self.loss = self._report_loss(
            self.technician, [(self.patch_cord, 1.0, self.env["stock.lot"])]
        )
        self._count(self.patch_cord, self.van, 2.0)  # 4 left: 2 short

    def _wizard(self, **vals):
        return (
            self.env["isp.report.export.wizard"]
            .with_user(self.manager_user)
            .create(dict({"warehouse_id": self.branch.id}, **vals))
        )

    def _book(self, wizard):
        action = wizard.action_export_xlsx()
        self.assertIn(f"/web/content/isp.report.export.wizard/{wizard.id}/file_data", action["url"])
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))

    def _sheet(self, wizard):
        """The rows of the data sheet: the header, the rows, the totals."""
        return [list(row) for row in self._book(wizard).active.iter_rows(values_only=True)]

    def test_loss_variance_xlsx_rows_and_totals(self):
        rows = self._sheet(self._wizard(report="loss_variance"))
        header = rows[0]
        self.assertEqual(header[:3], ["Date", "Technician", "Kind"])
        body = rows[1:-1]
        by_kind = {row[2]: (row[3], row[-2], row[-1]) for row in body}
        self.assertEqual(
            by_kind,
            {
                "Loss": ("Test SC/APC Patch Cord", -1.0, -1.5),
                "Count Variance": ("Test SC/APC Patch Cord", -2.0, -3.0),
            },
        )
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][-2:], [-3.0, -4.5])

    def test_aging_xlsx_is_the_branch_stock_on_hand(self):
        wizard = self._wizard(report="aging")
        rows = self._sheet(wizard)
        self.assertTrue(wizard.file_name.startswith("aging_"))
        quants = self.env["stock.quant"].search(
            [("isp_warehouse_id", "=", self.branch.id), ("location_id.usage", "=", "internal")]
        )
        self.assertEqual(len(rows[1:-1]), len(quants))
        quantity_col = rows[0].index("Quantity")
        self.assertEqual(rows[-1][quantity_col], sum(quants.mapped("quantity")))

    def test_period_filters_the_rows(self):
        rows = self._sheet(
            self._wizard(report="loss_variance", date_from="2001-01-01", date_to="2001-12-31")
        )
        self.assertEqual(rows[1:-1], [])

    def test_xlsx_is_a_table_with_real_dates(self):
        """Issue 13, point 4: dates are spreadsheet dates (they sort and filter as
        dates), the header row stays in view, an autofilter covers header and rows (not
        the totals); the report's name and filters are on a second sheet."""
        wizard = self._wizard(report="loss_variance")
        book = self._book(wizard)
        sheet = book.active
        self.assertEqual(sheet.title, "ISP Loss and Variance")
        self.assertEqual(sheet.freeze_panes, "A2")
        rows = list(sheet.iter_rows())
        last_column = openpyxl.utils.get_column_letter(len(rows[0]))
        self.assertEqual(sheet.auto_filter.ref, f"A1:{last_column}{len(rows) - 1}")
        self.assertEqual(rows[-1][0].value, "Total")
        dates = [row[0] for row in rows[1:-1]]
        self.assertEqual(len(dates), 2)
        for cell in dates:
            self.assertTrue(cell.is_date, cell.value)
            self.assertIsInstance(cell.value, datetime)
            self.assertEqual(cell.number_format, "yyyy-mm-dd hh:mm")
        # the export's dates are the rows' dates, in the user's timezone
        rows_dates = {
            fields.Datetime.context_timestamp(wizard, record.date).replace(
                tzinfo=None, second=0, microsecond=0
            )
            for record in self.env["isp.loss.variance.report"].search(wizard._isp_domain())
        }
        self.assertEqual(
            {cell.value.replace(second=0, microsecond=0) for cell in dates}, rows_dates
        )
        about = book["Filters"]
        self.assertEqual(about["A1"].value, "ISP Loss and Variance")
        self.assertEqual(about["A2"].value, wizard._isp_subtitle())

    def test_xlsx_aging_incoming_dates_are_dates(self):
        sheet = self._book(self._wizard(report="aging")).active
        header = [cell.value for cell in sheet[1]]
        column = header.index("Incoming Date") + 1
        cells = [sheet.cell(row=row, column=column) for row in range(2, sheet.max_row)]
        self.assertTrue(cells)
        for cell in cells:
            self.assertTrue(cell.is_date, cell.value)
            self.assertIsInstance(cell.value, datetime)
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet.auto_filter.ref.startswith("A1:"))

    def test_pdf_of_loss_and_variance(self):
        wizard = self._wizard(report="loss_variance")
        action = wizard.action_print_pdf()
        self.assertEqual(action["report_name"], "isp_reports.report_isp_loss_variance")
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager_user)
            ._render_qweb_html(action["report_name"], action["context"]["active_ids"])
        )
        self.assertIn(self.loss.name, html.decode())
        self.assertEqual(len(action["context"]["active_ids"]), 2)

    def test_pdf_of_aging(self):
        action = self._wizard(report="aging").action_print_pdf()
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            action["report_name"], action["context"]["active_ids"]
        )
        self.assertIn("Stock Aging", html.decode())
        self.assertIn("Test ONT", html.decode())

    def test_pdf_pages_carry_the_company_when_wkhtmltopdf_drops_headers(self):
        """wkhtmltopdf built without patched Qt (Debian's) prints no layout header: the
        ISP PDFs then carry the company in their page."""
        for report in ("aging", "loss_variance"):
            action = self._wizard(report=report).action_print_pdf()
            html, _type = self.env["ir.actions.report"]._render_qweb_html(
                action["report_name"],
                action["context"]["active_ids"],
                data={"report_type": "pdf"},
            )
            blocks = lxml_html.fromstring(html).xpath("//div[@name='isp_company_header']")
            self.assertEqual(len(blocks), 0 if _wkhtml().is_patched_qt else 1, report)
            for block in blocks:
                self.assertIn(self.env.company.name, block.text_content())

    def test_refusals(self):
        with self.assertRaises(UserError):
            self._wizard(report="movement").action_print_pdf()
        with self.assertRaises(UserError):
            self._wizard(
                report="aging", date_from="2030-02-01", date_to="2030-01-01"
            ).action_export_xlsx()
        with self.assertRaises(UserError):
            self._wizard(
                report="loss_variance",
                warehouse_id=False,
                date_from="2001-01-01",
                date_to="2001-01-02",
            ).action_print_pdf()
