import base64
import io

import openpyxl

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

    def _sheet(self, wizard):
        action = wizard.action_export_xlsx()
        self.assertIn(f"/web/content/isp.report.export.wizard/{wizard.id}/file_data", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        return [list(row) for row in book.active.iter_rows(values_only=True)]

    def test_loss_variance_xlsx_rows_and_totals(self):
        rows = self._sheet(self._wizard(report="loss_variance"))
        self.assertEqual(rows[0][0], "ISP Loss and Variance")
        header = rows[3]
        self.assertEqual(header[:3], ["Date", "Technician", "Kind"])
        body = rows[4:-1]
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
        self.assertEqual(len(rows[4:-1]), len(quants))
        quantity_col = rows[3].index("Quantity")
        self.assertEqual(rows[-1][quantity_col], sum(quants.mapped("quantity")))

    def test_period_filters_the_rows(self):
        rows = self._sheet(
            self._wizard(report="loss_variance", date_from="2001-01-01", date_to="2001-12-31")
        )
        self.assertEqual(rows[4:-1], [])

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
