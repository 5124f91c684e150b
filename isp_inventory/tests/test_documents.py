from lxml import html as lxml_html

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestCountStatement(IspInventoryCommon):
    """Issue 13, point 4: the signed count statement gives a reason only where there is
    a variance, adds quantities up per unit, and carries the company header."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.drop_cable = cls._create_product("Test Drop Cable", "consumable", cost=0.5)
        cls.drop_cable.uom_id = cls.env.ref("uom.product_uom_meter")
        cls._put_in_stock(cls.patch_cord, cls.van, 10)
        cls._put_in_stock(cls.drop_cable, cls.van, 300)
        cls.ont_lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="DOC-ONT-1")
        cls.count = (
            cls.env["isp.stock.count"]
            .with_user(cls.storekeeper_user)
            .create({"technician_id": cls.technician.id, "kind": "monthly"})
        )
        cls.count.action_start()
        lines = {line.product_id: line for line in cls.count.line_ids}
        # a shortage with its reason; a line counted right that still carries a reason
        # typed before the recount (never printed); metres counted short
        lines[cls.patch_cord].write({"counted_qty": 7, "reason": "lost", "note": "Bag torn"})
        lines[cls.ont].write({"counted_qty": 1, "reason": "damaged"})
        lines[cls.drop_cable].write({"counted_qty": 280, "reason": "unrecorded_use"})

    def _html(self, data=None):
        report = self.env.ref("isp_inventory.isp_stock_count_report_action")
        content = self.env["ir.actions.report"]._render_qweb_html(
            report.id, self.count.ids, data=data
        )[0]
        return lxml_html.fromstring(content)

    def _rows(self, tree, css_class):
        """The cells' text of the rows of `css_class` (Odoo's number widgets put a
        zero-width no-break space after a minus sign)."""
        return [
            [
                " ".join(cell.text_content().replace("\ufeff", "").split())
                for cell in row.xpath("./td")
            ]
            for row in tree.xpath(f"//tr[contains(@class, '{css_class}')]")
        ]

    def test_reason_only_on_variance_lines(self):
        tree = self._html()
        header = [
            " ".join(th.text_content().split())
            for th in tree.xpath("//table[@name='count_lines']/thead//th")
        ]
        reason, product = header.index("Reason"), header.index("Product")
        lines = self._rows(tree, "isp-variance-line") + self._rows(tree, "isp-line")
        by_product = {row[product]: row[reason] for row in lines}
        self.assertEqual(
            by_product,
            {
                "Test SC/APC Patch Cord": "Lost — Bag torn",
                "Test Drop Cable": "Used, not recorded",
                "Test ONT": "",
            },
        )
        # no placeholder text of the template reaches the paper
        self.assertNotIn("Damaged", tree.text_content())
        self.assertEqual(len(tree.xpath("//span[contains(@class, 'isp-reason')]")), 2)

    def test_totals_per_unit_never_summed_across_units(self):
        tree = self._html()
        totals = {row[1]: row[2:5] for row in self._rows(tree, "isp-unit-total")}
        units = self.env.ref("uom.product_uom_unit").name
        metres = self.env.ref("uom.product_uom_meter").name
        self.assertEqual(set(totals), {units, metres})
        # expected / counted / variance: 11 units (10 cords + 1 ONT), 300 m of cable
        self.assertEqual(totals[units], ["11.00", "8.00", "-3.00"])
        self.assertEqual(totals[metres], ["300.00", "280.00", "-20.00"])
        self.assertNotIn("311.00", tree.text_content())
        # one value total, in the company currency: 3 cords at 1.5 and 20 m at 0.5
        [value_row] = self._rows(tree, "isp-value-total")
        self.assertIn("14.50", value_row[-2].replace(",", ""))

    def test_company_header(self):
        company = self.env.company
        company.partner_id.write({"street": "Waiyaki Way 12", "city": "Nairobi"})
        tree = self._html()
        [header] = tree.xpath(f"//div[contains(@class, 'o_company_{company.id}_layout')][1]")
        text = " ".join(header.text_content().split())
        self.assertIn(company.name, text)
        self.assertIn("Waiyaki Way 12", text)
        # on screen the layout's header is enough
        self.assertFalse(tree.xpath("//div[@name='isp_company_header']"))

    def test_company_header_in_the_pdf_page_when_wkhtmltopdf_drops_headers(self):
        """The PDF is rendered from the same HTML, but wkhtmltopdf prints the layout's
        header only when built with patched Qt (Debian's is not): the statement then
        carries the company in its page."""
        company = self.env.company
        company.partner_id.write({"street": "Waiyaki Way 12", "city": "Nairobi"})
        tree = self._html(data={"report_type": "pdf"})
        blocks = tree.xpath("//div[@name='isp_company_header']")
        self.assertEqual(len(blocks), 0 if _wkhtml().is_patched_qt else 1)
        for block in blocks:
            self.assertTrue(block.xpath("ancestor::div[contains(@class, 'article')]"))
            text = " ".join(block.text_content().split())
            self.assertIn(company.name, text)
            self.assertIn("Waiyaki Way 12", text)


@tagged("post_install", "-at_install")
class TestDocumentLayout(IspInventoryCommon):
    """Issue 13, point 4: the company layout is set in data, so the first print of a
    report is the PDF, never Odoo's layout wizard."""

    def _print(self, company, records):
        """The action Odoo answers a print with, for an administrator (the one Odoo
        offers its layout wizard) working in `company`."""
        self.assertTrue(self.env.is_admin())
        report = self.env.ref("isp_inventory.isp_stock_count_report_action")
        return report.with_company(company).report_action(records)

    def test_installed_company_prints_at_once(self):
        self.assertEqual(
            self.env.company.external_report_layout_id,
            self.env.ref("web.external_layout_standard"),
        )
        count = (
            self.env["isp.stock.count"]
            .with_user(self.storekeeper_user)
            .create({"technician_id": self.technician.id, "kind": "monthly"})
        )
        action = self._print(self.env.company, count)
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "isp_inventory.isp_stock_count_report")
        self.assertEqual(action["context"]["active_ids"], count.ids)

    def test_fresh_company_prints_at_once(self):
        company = self.env["res.company"].create({"name": "Fresh ISP Ltd"})
        self.assertEqual(
            company.external_report_layout_id, self.env.ref("web.external_layout_standard")
        )
        action = self._print(company, self.env["isp.stock.count"])
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertNotEqual(action.get("res_model"), "base.document.layout")

    def test_data_gives_a_layout_and_keeps_a_chosen_one(self):
        bare = self.env["res.company"].create({"name": "Bare ISP Ltd"})
        bare.external_report_layout_id = False
        boxed = self.env.company
        boxed.external_report_layout_id = self.env.ref("web.external_layout_boxed")
        # without a layout, Odoo answers a print with its layout wizard
        no_records = self.env["isp.stock.count"]
        # without a layout, Odoo answers a print with its layout wizard
        self.assertEqual(self._print(bare, no_records)["res_model"], "base.document.layout")
        self.env["res.company"]._isp_set_default_report_layout()
        self.assertEqual(
            bare.external_report_layout_id, self.env.ref("web.external_layout_standard")
        )
        self.assertEqual(boxed.external_report_layout_id, self.env.ref("web.external_layout_boxed"))
        self.assertEqual(self._print(bare, no_records)["type"], "ir.actions.report")
