import base64
import io

import openpyxl

from odoo.tests import tagged

from .common import IspReportsCommon

FORMULA = '=HYPERLINK("http://x","y")'


@tagged("post_install", "-at_install")
class TestExportSafety(IspReportsCommon):
    """User data in exports stays data: no spreadsheet formula, no HTML."""

    def _sheet(self, report):
        wizard = (
            self.env["isp.report.export.wizard"]
            .with_user(self.manager_user)
            .create({"report": report, "warehouse_id": self.branch.id})
        )
        wizard.action_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        return book.active

    def test_xlsx_text_that_looks_like_a_formula_stays_text(self):
        """A serial and a product named like formulas (and the other prefixes a
        spreadsheet evaluates) are written as text cells, never as formulas."""
        names = [FORMULA, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1+1"]
        product = self._create_product(names[0], "cpe", cost=10.0)
        product.tracking = "serial"
        for index, name in enumerate(names):
            self._put_in_stock(product, self.branch_stock, 1.0, lot_name=f"{name} #{index}")
        sheet = self._sheet("aging")
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        self.assertFalse([cell.coordinate for cell in cells if cell.data_type == "f"])
        by_value = {cell.value: cell for cell in cells}
        expected = [names[0]] + [f"{name} #{index}" for index, name in enumerate(names)]
        for value in expected:
            self.assertIn(value, by_value, f"{value!r} is not in the export as text")
            self.assertEqual(by_value[value].data_type, "s")
            self.assertEqual(by_value[value].number_format, "@")
        # figures stay numbers
        header = [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))]
        quantity = header.index("Quantity")
        row = next(
            row
            for row in sheet.iter_rows(min_row=2)
            if row[header.index("Serial / Lot")].value == f"{FORMULA} #0"
        )
        self.assertEqual((row[quantity].data_type, row[quantity].value), ("n", 1.0))

    def test_pdf_escapes_user_text(self):
        """A product name with markup is printed as text in the QWeb (PDF) report."""
        product = self._create_product("<b>Bold</b><script>alert(1)</script>", "cpe")
        product.tracking = "serial"
        self._put_in_stock(product, self.branch_stock, 1.0, lot_name="<i>LOT</i>")
        rows = self.env["isp.stock.aging.report"].search([("product_id", "=", product.id)])
        self.assertEqual(len(rows), 1)
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager_user)
            ._render_qweb_html("isp_reports.report_isp_stock_aging", rows.ids)
        )
        html = html.decode()
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)
        self.assertIn("&lt;i&gt;LOT&lt;/i&gt;", html)
        self.assertNotIn("<script>alert(1)", html)
        self.assertNotIn("<i>LOT</i>", html)
