from odoo.tests import tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestSpoolOffcutReport(IspReportsCommon):
    """A spool offcut scrapped from a van (loss-free "Offcut" reason) is normal waste:
    the loss and variance report leaves it out; the same metres scrapped with another
    reason still show as a loss."""

    def setUp(self):
        super().setUp()
        self.cable = self.env["product.product"].create(
            {
                "name": "Report Drop Cable",
                "categ_id": self.env.ref("isp_inventory.product_category_consumable").id,
                "standard_price": 25.0,
                "uom_id": self.env.ref("uom.product_uom_meter").id,
                "tracking": "lot",
                "isp_is_spool": True,
            }
        )
        self.spool = self._put_in_stock(self.cable, self.van, 3.0, lot_name="RPT-SPOOL-1")

    def _rows(self):
        return self.env["isp.loss.variance.report"].search(
            [("technician_id", "=", self.technician.id), ("product_id", "=", self.cable.id)]
        )

    def test_offcut_is_not_a_loss(self):
        scrap = self.env["stock.scrap"].browse(
            self.spool.with_user(self.storekeeper_user).action_isp_scrap_offcut(self.van.id)
        )
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.scrap_location_id.isp_role, "loss")
        self.assertEqual(self._qty(self.cable, self.van, self.spool), 0.0)
        self.assertFalse(self._rows())

    def test_reported_loss_of_cable_still_counts(self):
        self._report_loss(self.technician, [(self.cable, 3.0, self.spool)])
        self.assertRecordValues(self._rows(), [{"kind": "loss", "quantity": -3.0}])
