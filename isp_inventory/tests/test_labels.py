from lxml import etree

from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import IspInventoryCommon

QR_SRC = 'src="data:image/png;base64,'


@tagged("post_install", "-at_install")
class TestLabels(IspInventoryCommon):
    """QR label sheets for serials, products and locations; van/kit barcodes; finding
    transfers and counts by what a scanner types."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot_a = cls._put_in_stock(cls.ont, cls.van, lot_name="LBL-ONT-0001")
        cls.lot_b = cls._put_in_stock(cls.ont, cls.branch_stock, lot_name="LBL-ONT-0002")

    def _html(self, report, records):
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(report, records.ids)
        self.assertEqual(report_type, "html")
        return html.decode()

    def _assert_labels(self, html, codes):
        """Each code is printed as text and as a QR image (Odoo's barcode widget)."""
        for code in codes:
            self.assertIn(f">{code}<", html)
            self.assertIn(f'alt="Barcode {code}"', html)
        self.assertEqual(html.count(QR_SRC), len(codes))

    # ------------------------------------------------------------------
    # van and kit barcodes
    # ------------------------------------------------------------------
    def test_van_and_kit_get_unique_barcodes(self):
        self.assertEqual(self.van.barcode, "VAN-ISP_TECH")
        self.assertEqual(self.kit.barcode, "KIT-ISP_TECH")
        # Another technician whose login would give a barcode already taken in the
        # company (unique per company) gets a numbered one.
        self.env["stock.location"].create(
            {"name": "Squatter", "location_id": self.branch_stock.id, "barcode": "VAN-ISP_TECH2"}
        )
        user = new_test_user(
            self.env, login="isp_tech2", groups="isp_inventory.group_isp_technician"
        )
        other = self.env["isp.technician"].create(
            {"user_id": user.id, "warehouse_id": self.branch.id}
        )
        self.assertEqual(other.vehicle_location_id.barcode, "VAN-ISP_TECH2-2")
        self.assertEqual(other.kit_location_id.barcode, "KIT-ISP_TECH2")
        barcodes = (
            self.env["stock.location"]
            .search(
                [("isp_role", "in", ("vehicle", "kit")), ("company_id", "=", self.env.company.id)]
            )
            .mapped("barcode")
        )
        self.assertTrue(all(barcodes))
        self.assertEqual(len(barcodes), len(set(barcodes)))

    def test_missing_van_barcodes_are_filled_on_update(self):
        """Vans and kits created before barcodes existed get one (module update)."""
        self.van.barcode = False
        self.env["isp.technician"]._isp_set_location_barcodes()
        self.assertEqual(self.van.barcode, "VAN-ISP_TECH")
        self.assertEqual(self.kit.barcode, "KIT-ISP_TECH")

    def test_branch_locations_have_odoo_barcodes(self):
        self.assertEqual(self.branch_stock.barcode, "TBRSTOCK")

    # ------------------------------------------------------------------
    # label sheets
    # ------------------------------------------------------------------
    def test_serial_labels(self):
        html = self._html("isp_inventory.isp_label_report_lot", self.lot_a | self.lot_b)
        self._assert_labels(html, ["LBL-ONT-0001", "LBL-ONT-0002"])
        self.assertIn("Test ONT", html)

    def test_product_labels(self):
        """Barcode, else internal reference, else ISP-P<id>; same on the template."""
        self.ont.barcode = "6901443101234"
        self.router.default_code = "RTR-CORE"
        html = self._html(
            "isp_inventory.isp_label_report_product", self.ont | self.router | self.splicer
        )
        self._assert_labels(html, ["6901443101234", "RTR-CORE", f"ISP-P{self.splicer.id}"])
        templates = (self.ont | self.router | self.splicer).product_tmpl_id
        html = self._html("isp_inventory.isp_label_report_product_template", templates)
        self._assert_labels(html, ["6901443101234", "RTR-CORE", f"ISP-P{self.splicer.id}"])

    def test_location_labels(self):
        html = self._html("isp_inventory.isp_label_report_location", self.van | self.kit)
        self._assert_labels(html, ["VAN-ISP_TECH", "KIT-ISP_TECH"])
        self.assertIn(self.van.complete_name, html)

    def test_labels_fill_several_sheets(self):
        """21 labels per A4 sheet: 23 serials make two sheets."""
        lots = self.env["stock.lot"].create(
            [{"name": f"LBL-MANY-{i:03d}", "product_id": self.ont.id} for i in range(23)]
        )
        html = self._html("isp_inventory.isp_label_report_lot", lots)
        self.assertEqual(html.count('class="o_isp_label_sheet"'), 2)
        self.assertEqual(html.count(QR_SRC), 23)

    def test_label_reports_in_print_menu(self):
        """Each report is bound to its model's Print menu (list views, many rows)."""
        for xmlid, model in (
            ("isp_inventory.isp_label_report_lot", "stock.lot"),
            ("isp_inventory.isp_label_report_product", "product.product"),
            ("isp_inventory.isp_label_report_product_template", "product.template"),
            ("isp_inventory.isp_label_report_location", "stock.location"),
        ):
            report = self.env.ref(xmlid)
            self.assertRecordValues(
                report,
                [{"model": model, "binding_type": "report", "report_type": "qweb-pdf"}],
            )
            self.assertEqual(report.binding_model_id.model, model)
            self.assertEqual(
                report.paperformat_id, self.env.ref("isp_inventory.paperformat_isp_label_3x7")
            )

    def test_label_pdf(self):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = report._render_qweb_pdf(
            "isp_inventory.isp_label_report_location", (self.van | self.kit).ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    # ------------------------------------------------------------------
    # transfers and counts found by what a scanner types
    # ------------------------------------------------------------------
    def _search_view_domain(self, model, view_xmlid, string, value):
        """The domain the search view applies when `value` is typed in its field
        `string` (its filter_domain, else Odoo's default `ilike` on the field)."""
        arch = self.env[model].get_view(self.env.ref(view_xmlid).id, "search")["arch"]
        node = etree.fromstring(arch).xpath(f"//field[@string='{string}']")
        node = node or etree.fromstring(arch).xpath(f"//field[@name='{string}']")
        self.assertTrue(node, f"no search field {string} on {model}")
        if node[0].get("filter_domain"):
            return safe_eval(node[0].get("filter_domain"), {"self": value})
        return [(node[0].get("name"), "ilike", value)]

    def test_picking_search_by_serial_and_location_barcode(self):
        picking = self.env["stock.picking"]._isp_create_done(
            self.branch.out_type_id,
            self.van,
            self.customer.property_stock_customer,
            [(self.ont, 1.0, self.lot_a)],
            partner_id=self.customer.id,  # a serial goes to a customer: name them
        )
        # a reserved (not yet validated) issuance to the kit
        other = self.env["stock.picking"]._isp_create_ready(
            self.branch.int_type_id,
            self.branch_stock,
            self.kit,
            [(self.ont, 1.0, self.lot_b)],
        )
        Picking = self.env["stock.picking"]
        view = "stock.view_picking_internal_search"
        found = Picking.search(
            self._search_view_domain("stock.picking", view, "Serial", "ONT-0001")
        )
        self.assertIn(picking, found)
        self.assertNotIn(other, found)
        domain = self._search_view_domain(
            "stock.picking", view, "Location (name or barcode)", "VAN-ISP_TECH"
        )
        found = Picking.search(domain)
        self.assertIn(picking, found)
        self.assertNotIn(other, found)
        found = Picking.search(
            self._search_view_domain(
                "stock.picking", view, "Location (name or barcode)", "KIT-ISP_TECH"
            )
        )
        self.assertIn(other, found)
        self.assertNotIn(picking, found)

    def test_quant_search_by_serial_and_location_barcode(self):
        """Odoo's count list (stock.quant) search already matches a location barcode
        (its Location field) and a serial (its Lot/Serial Number field)."""
        Quant = self.env["stock.quant"]
        view = "stock.quant_search_view"
        quants = Quant.search(
            self._search_view_domain("stock.quant", view, "location_id", "VAN-ISP_TECH")
        )
        self.assertEqual(quants.lot_id, self.lot_a)
        quants = Quant.search(
            self._search_view_domain("stock.quant", view, "lot_id", "LBL-ONT-0002")
        )
        self.assertEqual(quants.location_id, self.branch_stock)

    def test_wizards_scan_the_serial(self):
        """Install and return wizards: the serial field takes a scanner's or camera's code."""
        for model in ("isp.install.wizard", "isp.return.wizard"):
            arch = self.env[model].get_view(view_type="form")["arch"]
            field = etree.fromstring(arch).xpath("//field[@name='lot_id']")[0]
            self.assertEqual(field.get("widget"), "many2one_barcode")
