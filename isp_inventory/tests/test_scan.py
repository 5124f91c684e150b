from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestScan(IspInventoryCommon):
    """isp.scan.isp_lookup: a scanned code → the serial, product or location."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Scan = cls.env["isp.scan"]
        cls.lot = cls._put_in_stock(cls.ont, cls.van, lot_name="SCAN-ONT-0001")
        cls.branch_lot = cls._put_in_stock(cls.ont, cls.branch_stock, lot_name="SCAN-ONT-0002")
        cls.ont.barcode = "6901443109999"
        cls.router.default_code = "SCAN-RTR"

    def _hit(self, record):
        return {"model": record._name, "id": record.id, "display_name": record.display_name}

    def test_lookup_serial(self):
        self.assertEqual(self.Scan.isp_lookup("SCAN-ONT-0001"), self._hit(self.lot))
        # surrounding whitespace (a scanner's suffix) is ignored
        self.assertEqual(self.Scan.isp_lookup(" SCAN-ONT-0001\n"), self._hit(self.lot))

    def test_lookup_product_by_barcode_then_reference(self):
        self.assertEqual(self.Scan.isp_lookup("6901443109999"), self._hit(self.ont))
        self.assertEqual(self.Scan.isp_lookup("SCAN-RTR"), self._hit(self.router))
        self.assertEqual(self.Scan.isp_lookup(f"ISP-P{self.splicer.id}"), self._hit(self.splicer))

    def test_lookup_location_by_barcode(self):
        self.assertEqual(self.Scan.isp_lookup("VAN-ISP_TECH"), self._hit(self.van))
        self.assertEqual(self.Scan.isp_lookup("TBRSTOCK"), self._hit(self.branch_stock))

    def test_serial_wins_over_product_and_location(self):
        """The order is serial, product, location."""
        self.patch_cord.default_code = "SCAN-ONT-0001"
        self.assertEqual(self.Scan.isp_lookup("SCAN-ONT-0001")["model"], "stock.lot")

    def test_unknown_code(self):
        lots_before = self.env["stock.lot"].search_count([])
        with self.assertRaisesRegex(UserError, "Nothing matches NO-SUCH-CODE"):
            self.Scan.isp_lookup("NO-SUCH-CODE")
        with self.assertRaises(UserError):
            self.Scan.isp_lookup("   ")
        self.assertEqual(self.env["stock.lot"].search_count([]), lots_before)

    def test_other_company_serial_not_found(self):
        other_company = self.env["res.company"].create({"name": "Other ISP"})
        self.env["stock.lot"].create(
            {"name": "SCAN-FOREIGN", "product_id": self.ont.id, "company_id": other_company.id}
        )
        with self.assertRaisesRegex(UserError, "Nothing matches"):
            self.Scan.isp_lookup("SCAN-FOREIGN")

    def test_technician_finds_only_what_they_can_read(self):
        Scan = self.Scan.with_user(self.technician_user)
        self.assertEqual(Scan.isp_lookup("SCAN-ONT-0001"), self._hit(self.lot))
        self.assertEqual(Scan.isp_lookup("VAN-ISP_TECH")["id"], self.van.id)
        # the serial in the branch store is not theirs to see
        with self.assertRaisesRegex(UserError, "Nothing matches SCAN-ONT-0002"):
            Scan.isp_lookup("SCAN-ONT-0002")
        # the storekeeper sees it
        self.assertEqual(
            self.Scan.with_user(self.storekeeper_user).isp_lookup("SCAN-ONT-0002"),
            self._hit(self.branch_lot),
        )
