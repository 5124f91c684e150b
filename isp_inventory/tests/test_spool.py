from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestSpool(IspInventoryCommon):
    """Cable spools: a lot per spool in metres, lengths cut into a van, offcuts scrapped
    loss-free, spools counted by length."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.isp_approval_threshold = 0.0  # no approval unless a test sets one
        cls.cable = cls.env["product.product"].create(
            {
                "name": "Test Drop Cable 2-core",
                "categ_id": cls.env.ref("isp_inventory.product_category_consumable").id,
                "standard_price": 25.0,
                "uom_id": cls.env.ref("uom.product_uom_meter").id,
                "tracking": "lot",
                "isp_is_spool": True,
            }
        )
        cls.spool = cls._put_in_stock(cls.cable, cls.branch_stock, 500.0, lot_name="SP-T-0001")
        cls.spool_as_store = cls.spool.with_user(cls.storekeeper_user)

    def _issue(self, metres, spool=None):
        spool = spool or self.spool_as_store
        return self.env["stock.picking"].browse(
            spool.action_isp_issue_spool(self.technician.id, metres)
        )

    def _assert_spool(self, store, van):
        self.assertEqual(self._qty(self.cable, self.branch_stock, self.spool), store)
        self.assertEqual(self._qty(self.cable, self.van, self.spool), van)

    # ------------------------------------------------------------------
    def test_spool_product_needs_lots_and_metres(self):
        with self.assertRaisesRegex(ValidationError, "tracked by lots"):
            self.env["product.product"].create(
                {"name": "Bad Spool", "tracking": "none", "isp_is_spool": True}
            )
        with self.assertRaisesRegex(ValidationError, "metres"):
            self.env["product.product"].create(
                {
                    "name": "Bad Spool",
                    "tracking": "lot",
                    "uom_id": self.env.ref("uom.product_uom_unit").id,
                    "isp_is_spool": True,
                }
            )
        self.assertEqual(self.cable.uom_id, self.env.ref("uom.product_uom_meter"))
        self.assertTrue(self.cable.isp_is_spool)

    def test_issue_cuts_a_length_of_the_same_lot_into_the_van(self):
        picking = self._issue(120)
        self.assertRecordValues(
            picking,
            [
                {
                    "state": "done",
                    "location_id": self.branch_stock.id,
                    "location_dest_id": self.van.id,
                }
            ],
        )
        self.assertEqual(picking.move_line_ids.lot_id, self.spool)
        self.assertEqual(picking.move_line_ids.quantity, 120)
        self._assert_spool(store=380, van=120)
        self.assertRecordValues(
            self.spool,
            [{"isp_spool_remaining_qty": 500.0, "isp_cut_qty": 0.0, "isp_state": "in_stock"}],
        )
        self.assertEqual(
            {(q.location_id, q.quantity) for q in self.spool.isp_spool_quant_ids},
            {(self.branch_stock, 380.0), (self.van, 120.0)},
        )
        # the whole spool to the van: now only the technician holds it
        self._issue(380)
        self._assert_spool(store=0, van=500)
        self.assertEqual(self.spool.isp_state, "with_technician")

    def test_issue_refusals_leave_the_spool_unchanged(self):
        with self.assertRaisesRegex(UserError, "only 500"):
            self._issue(501)
        with self.assertRaisesRegex(UserError, "more than 0 m"):
            self._issue(0)
        with self.assertRaisesRegex(UserError, "more than 0 m"):
            self._issue(-5)
        ont_lot = self._put_in_stock(self.ont, self.branch_stock, 1.0, lot_name="SP-ONT-1")
        with self.assertRaisesRegex(UserError, "not a cable spool"):
            ont_lot.with_user(self.storekeeper_user).action_isp_issue_spool(self.technician.id, 1)
        with self.assertRaises(AccessError):
            self._issue(10, spool=self.spool.with_user(self.technician_user))
        self._assert_spool(store=500, van=0)
        self.assertFalse(
            self.env["stock.move.line"].search([("lot_id", "=", self.spool.id)]),
            "no transfer was left behind",
        )

    def test_issue_above_threshold_waits_for_approval(self):
        self.env.company.isp_approval_threshold = 1000.0  # 100 m × 25 = 2500
        picking = self._issue(100)
        self.assertRecordValues(
            picking, [{"state": "assigned", "isp_approval_state": "to_approve"}]
        )
        self._assert_spool(store=500, van=0)

    def test_offcut_scrapped_loss_free(self):
        self._issue(496)
        scrap = self.env["stock.scrap"].browse(
            self.spool_as_store.action_isp_scrap_offcut(self.branch_stock.id)
        )
        offcut = self.env.ref("isp_inventory.scrap_reason_offcut")
        self.assertTrue(offcut.isp_loss_free)
        self.assertRecordValues(
            scrap,
            [
                {
                    "state": "done",
                    "scrap_qty": 4.0,
                    "lot_id": self.spool.id,
                    "location_id": self.branch_stock.id,
                    "scrap_location_id": self.branch._isp_get_loss_location().id,
                }
            ],
        )
        self.assertEqual(scrap.scrap_reason_tag_ids, offcut)
        self._assert_spool(store=0, van=496)

    def test_offcut_refusals_leave_the_spool_unchanged(self):
        self._issue(495)  # 5 m left in the store: not shorter than the 5 m limit
        with self.assertRaisesRegex(UserError, "shorter than 5"):
            self.spool_as_store.action_isp_scrap_offcut(self.branch_stock.id)
        with self.assertRaisesRegex(UserError, "several places"):
            self.spool_as_store.action_isp_scrap_offcut()
        with self.assertRaises(AccessError):
            self.spool.with_user(self.technician_user).action_isp_scrap_offcut(self.branch_stock.id)
        self._assert_spool(store=5, van=495)
        self.assertFalse(self.env["stock.scrap"].search([("lot_id", "=", self.spool.id)]))
        # a longer offcut length (a company setting) makes the 5 m an offcut
        self.env.company.isp_spool_offcut_length = 10.0
        self.spool_as_store.action_isp_scrap_offcut(self.branch_stock.id)
        self._assert_spool(store=0, van=495)

    def test_view_cuts_opens_the_spool(self):
        action = self.spool_as_store.action_isp_view_cuts()
        self.assertEqual((action["res_model"], action["res_id"]), ("stock.lot", self.spool.id))
        self.assertEqual(
            action["views"][0][0],
            self.env.ref("isp_inventory.stock_lot_view_form_isp_spool_cuts").id,
        )

    def test_spool_counted_by_length(self):
        """A monthly count of the van lists the spool as one lot line in metres; a
        shortfall of 2.5 m is applied to that lot."""
        self._issue(40)
        count = (
            self.env["isp.stock.count"]
            .with_user(self.storekeeper_user)
            .create({"technician_id": self.technician.id, "kind": "monthly"})
        )
        count.action_start()
        line = count.line_ids.filtered(lambda line: line.product_id == self.cable)
        self.assertRecordValues(
            line,
            [
                {
                    "lot_id": self.spool.id,
                    "location_id": self.van.id,
                    "expected_qty": 40.0,
                    "counted_qty": 40.0,
                }
            ],
        )
        line.write({"counted_qty": 37.5, "reason": "unrecorded_use"})
        count.action_apply()
        self.assertEqual(count.state, "done")
        self._assert_spool(store=460, van=37.5)
