from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestApproval(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.ont, cls.branch_stock, 5, lot_name="ONT-APP-1")
        cls._put_in_stock(cls.patch_cord, cls.branch_stock, 100)
        cls.env.company.isp_approval_threshold = 0.0

    def _request(self, lines, user=None):
        """A technician's request (confirmed when created), read back as the system."""
        picking = self.technician.with_user(user or self.technician_user)._isp_create_request(lines)
        return picking.with_env(self.env)

    def test_cpe_request_waits_for_approval_then_validates(self):
        picking = self._request([(self.ont, 1)])
        self.assertEqual(picking.isp_approval_state, "to_approve")
        self.assertIn(self.approver_user, picking.activity_ids.user_id, "approvers get an activity")
        picking.move_ids.picked = True
        with self.assertRaises(UserError):
            picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self._qty(self.ont, self.van), 0)
        picking.with_user(self.approver_user).action_isp_approve()
        self.assertRecordValues(
            picking,
            [{"isp_approval_state": "approved", "isp_approved_by_id": self.approver_user.id}],
        )
        self.assertFalse(picking.activity_ids)
        self.env.cr.precommit.run()  # the chatter message carries the tracked changes
        self.env.invalidate_all()
        self.assertIn("Approved.", picking.message_ids[0].body)
        picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.ont, self.van, picking.move_line_ids.lot_id), 1)

    def _approved(self, lines):
        picking = self._request(lines)
        picking.with_user(self.approver_user).action_isp_approve()
        self.assertEqual(picking.isp_approval_state, "approved")
        return picking

    def test_more_after_approval_needs_a_new_approval(self):
        picking = self._approved([(self.ont, 1), (self.patch_cord, 10)])
        self.assertEqual(
            picking.isp_approved_quantities, {str(self.ont.id): 1.0, str(self.patch_cord.id): 10.0}
        )
        cord_move = picking.move_ids.filtered(lambda m: m.product_id == self.patch_cord)
        cord_move.with_user(self.storekeeper_user).product_uom_qty = 5  # less: still approved
        self.assertEqual(picking.isp_approval_state, "approved")
        cord_move.with_user(self.storekeeper_user).product_uom_qty = 30
        self.assertRecordValues(
            picking,
            [
                {
                    "isp_approval_state": "to_approve",
                    "isp_approved_by_id": False,
                    "isp_approved_quantities": False,
                }
            ],
        )
        self.assertIn(self.approver_user, picking.activity_ids.user_id)
        picking.action_assign()
        picking.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "must be\\s+approved"):
            picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(self._qty(self.patch_cord, self.van), 0)
        picking.with_user(self.approver_user).action_isp_approve()
        picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(self._qty(self.patch_cord, self.van), 30)

    def test_product_added_after_approval_needs_a_new_approval(self):
        picking = self._approved([(self.ont, 1)])
        self.env["stock.move"].with_user(self.storekeeper_user).create(
            {
                "picking_id": picking.id,
                "product_id": self.patch_cord.id,
                "product_uom_qty": 5,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            }
        )
        self.assertEqual(picking.isp_approval_state, "to_approve")

    def test_picking_more_than_approved_is_refused(self):
        self.env.company.isp_approval_threshold = 10.0  # 10 cords at 1.50 need approval
        picking = self._approved([(self.patch_cord, 10)])
        picking.move_ids.move_line_ids.with_user(self.storekeeper_user).quantity = 12
        self.assertEqual(picking.isp_approval_state, "to_approve")
        picking.move_ids.picked = True
        with self.assertRaises(UserError):
            picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(self._qty(self.patch_cord, self.van), 0)

    def test_cheap_consumables_need_no_approval(self):
        picking = self._request([(self.patch_cord, 10)])
        self.assertEqual(picking.isp_approval_state, "none")
        picking.move_ids.picked = True
        picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(self._qty(self.patch_cord, self.van), 10)

    def test_value_above_threshold_needs_approval(self):
        self.env.company.isp_approval_threshold = 20.0
        self.assertEqual(self._request([(self.patch_cord, 10)]).isp_approval_state, "none")
        self.assertEqual(self._request([(self.patch_cord, 20)]).isp_approval_state, "to_approve")

    def test_draft_controlled_transfer_cannot_be_validated(self):
        """A storekeeper's own draft transfer of CPE into a van, validated at once."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.branch.int_type_id.id,
                "location_id": self.branch_stock.id,
                "location_dest_id": self.van.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.ont.id,
                            "product_uom_qty": 1,
                            "location_id": self.branch_stock.id,
                            "location_dest_id": self.van.id,
                        },
                    )
                ],
            }
        )
        with self.assertRaises(UserError):
            picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(picking.state, "draft")
        self.assertEqual(self._qty(self.ont, self.van), 0)

    def test_storekeeper_cannot_approve(self):
        picking = self._request([(self.ont, 1)])
        with self.assertRaises(AccessError):
            picking.with_user(self.storekeeper_user).action_isp_approve()
        self.assertEqual(picking.isp_approval_state, "to_approve")

    def test_nobody_approves_own_request(self):
        picking = self._request([(self.ont, 1)], user=self.manager_user)
        self.assertEqual(picking.isp_requested_by_id, self.manager_user)
        self.assertNotIn(self.manager_user, picking.activity_ids.user_id)
        with self.assertRaises(AccessError):
            picking.with_user(self.manager_user).action_isp_approve()
        with self.assertRaises(AccessError):
            picking.with_user(self.manager_user).action_isp_reject("Not needed")
        self.assertRecordValues(
            picking, [{"isp_approval_state": "to_approve", "isp_approved_by_id": False}]
        )

    def test_preparer_cannot_approve(self):
        picking = self._request([(self.ont, 1)])
        picking.with_user(self.manager_user).do_unreserve()
        picking.with_user(self.manager_user).action_assign()  # reserves: prepares it
        with self.assertRaises(AccessError):
            picking.with_user(self.manager_user).action_isp_approve()
        self.assertEqual(picking.isp_approval_state, "to_approve")

    def test_reject_needs_reason_and_blocks_validation(self):
        picking = self._request([(self.ont, 1)])
        with self.assertRaises(UserError):
            picking.with_user(self.approver_user).action_isp_reject("  ")
        self.assertEqual(picking.isp_approval_state, "to_approve")
        action = picking.with_user(self.approver_user).action_open_reject_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.approver_user)
            .with_context(**action["context"])
        )
        wizard.reason = "Van already holds two spare ONTs"
        wizard.save().action_reject()
        self.assertRecordValues(
            picking,
            [
                {
                    "isp_approval_state": "rejected",
                    "isp_rejection_reason": "Van already holds two spare ONTs",
                    "state": "cancel",
                }
            ],
        )
        # what it reserved in the branch is free again, and nothing is coming to the van
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.ont.id), ("location_id", "=", self.branch_stock.id)]
        )
        self.assertEqual(sum(quants.mapped("reserved_quantity")), 0)
        self.assertEqual(self.ont.with_context(location=self.van.id).incoming_qty, 0)
        self.env.cr.precommit.run()  # the chatter message carries the tracked changes
        self.env.invalidate_all()
        self.assertIn("Van already holds two spare ONTs", picking.message_ids[0].body)
        with self.assertRaises(UserError):
            picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(self._qty(self.ont, self.van), 0)

    def test_returns_and_installs_are_not_controlled(self):
        lot = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-APP-VAN")
        install = lot.action_isp_install(self.technician.id, self.customer.id)
        take_back = lot.action_isp_take_back(self.technician.id, self.customer.id)
        pickings = self.env["stock.picking"].browse([install, take_back])
        self.assertEqual(pickings.mapped("isp_approval_state"), ["none", "none"])
        self.assertEqual(self._qty(self.ont, self.van, lot), 1)
