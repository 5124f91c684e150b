from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestStockRegionReport(IspReportsCommon):
    @classmethod
    def setUpClass(cls):
        """A branch of its own, so the figures are exactly what this test put there."""
        super().setUpClass()
        cls.branch = cls.env["stock.warehouse"].create(
            {"name": "Report Branch", "code": "RPB", "isp_region_id": cls.region.id}
        )
        cls.branch_stock = cls.branch.lot_stock_id
        cls.technician = cls.env["isp.technician"].create(
            {
                "user_id": new_test_user(cls.env, login="isp_report_tech").id,
                "warehouse_id": cls.branch.id,
            }
        )
        cls.van = cls.technician.vehicle_location_id
        cls.kit = cls.technician.kit_location_id
        cls._put_in_stock(cls.patch_cord, cls.branch_stock, 100)
        cls._put_in_stock(cls.patch_cord, cls.van, 8)
        cls.kit_lot = cls._put_in_stock(cls.ont, cls.kit, 1, lot_name="ONT-RPT-1")
        cls.quarantine = cls.branch._isp_get_quarantine_location()
        cls._put_in_stock(cls.ont, cls.quarantine, 1, lot_name="ONT-RPT-2")
        cls.refurbishment = cls.branch._isp_get_refurbishment_location()
        cls._put_in_stock(cls.ont, cls.refurbishment, 1, lot_name="ONT-RPT-3")

    def _rows(self, **extra):
        return self.env["isp.stock.region.report"].search(
            [("warehouse_id", "=", self.branch.id)] + [(k, "=", v) for k, v in extra.items()]
        )

    def test_holders_quantities_and_values(self):
        totals = {
            holder: (quantity, value)
            for holder, quantity, value in self.env["isp.stock.region.report"]._read_group(
                [("warehouse_id", "=", self.branch.id)], ["holder"], ["quantity:sum", "value:sum"]
            )
        }
        self.assertEqual(
            totals,
            {
                "store": (100.0, 150.0),
                "vehicle": (8.0, 12.0),
                "kit": (1.0, 45.0),
                "quarantine": (1.0, 45.0),
                "refurbishment": (1.0, 45.0),
            },
        )

    def test_stock_outside_any_branch_is_reported_without_one(self):
        """An internal location that belongs to no warehouse still holds stock: it is
        reported with no branch or region, so the report's total is the quants' total
        (the KPIs read the stock value back from this report)."""
        shelf = self.env["stock.location"].create(
            {"name": "Loose Shelf", "usage": "internal", "location_id": False}
        )
        self.assertFalse(shelf.warehouse_id)
        self._put_in_stock(self.patch_cord, shelf, 4)
        Report = self.env["isp.stock.region.report"]
        [row] = Report.search([("location_id", "=", shelf.id)])
        self.assertRecordValues(
            row,
            [{"warehouse_id": False, "region_id": False, "holder": "store", "quantity": 4.0}],
        )
        self.assertAlmostEqual(row.value, 6.0)
        quants = self.env["stock.quant"].search([("location_id.usage", "=", "internal")])
        self.assertAlmostEqual(
            sum(Report.search([]).mapped("quantity")), sum(quants.mapped("quantity"))
        )

    def test_rows_carry_region_technician_and_class(self):
        kit_row = self._rows(holder="kit")
        self.assertRecordValues(
            kit_row,
            [
                {
                    "region_id": self.region.id,
                    "technician_id": self.technician.id,
                    "item_class": "cpe",
                    "lot_id": self.kit_lot.id,
                    "location_id": self.kit.id,
                }
            ],
        )

    def test_follows_stock_moves(self):
        """The report reads live quants: a transfer van → customer leaves the van row."""
        self.env["stock.picking"]._isp_create_done(
            self.branch.out_type_id,
            self.van,
            self.customer.property_stock_customer,
            [(self.patch_cord, 8.0, self.env["stock.lot"])],
        )
        self.assertFalse(self._rows(holder="vehicle"))

    def test_technicians_cannot_read_it(self):
        with self.assertRaises(AccessError):
            self.env["isp.stock.region.report"].with_user(self.technician_user).search([])
