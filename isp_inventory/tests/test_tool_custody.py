from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestToolCustody(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.isp_approval_threshold = 0.0  # no approval unless a test sets one
        cls.tool = cls._put_in_stock(cls.splicer, cls.branch_stock, 1, lot_name="SPL-T-1")
        cls.equipment = cls.env["maintenance.equipment"].create(
            {"name": "Fusion splicer SPL-T-1", "isp_lot_id": cls.tool.id, "serial_no": "SPL-T-1"}
        )

    def _inspection(self, days_from_now):
        return self.env["maintenance.request"].create(
            {
                "name": "Quarterly splicer calibration",
                "equipment_id": self.equipment.id,
                "maintenance_type": "preventive",
                "schedule_date": fields.Datetime.now() + timedelta(days=days_from_now),
                "recurring_maintenance": True,
                "repeat_interval": 3,
                "repeat_unit": "month",
                "repeat_type": "forever",
            }
        )

    def test_sign_out_and_in_are_transfers(self):
        self._inspection(30)
        store = self.tool.with_user(self.storekeeper_user)
        picking = self.env["stock.picking"].browse(
            store.action_isp_sign_out_tool(self.technician.id)
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool), 1)
        self.assertEqual(self.tool.isp_state, "with_technician")
        store.action_isp_sign_in_tool(self.technician.id)
        self.assertEqual(self._qty(self.splicer, self.branch_stock, self.tool), 1)
        self.assertEqual(self.tool.isp_state, "in_stock")

    def test_valuable_tool_waits_for_approval(self):
        """Above the approval threshold, a sign-out is reserved and waits for an approver."""
        self._inspection(30)
        self.env.company.isp_approval_threshold = 1000.0  # the splicer costs 2500
        picking = self.env["stock.picking"].browse(
            self.tool.with_user(self.storekeeper_user).action_isp_sign_out_tool(self.technician.id)
        )
        self.assertRecordValues(
            picking, [{"state": "assigned", "isp_approval_state": "to_approve"}]
        )
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool), 0)
        picking.with_user(self.approver_user).action_isp_approve()
        picking.with_user(self.storekeeper_user)._isp_validate_now()
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool), 1)
        self.assertEqual(self.tool.isp_state, "with_technician")

    def test_overdue_inspection_blocks_sign_out_and_flags_technician(self):
        request = self._inspection(-2)
        self.assertTrue(self.equipment.isp_inspection_overdue)
        pickings_before = self.env["stock.picking"].search_count([])
        with self.assertRaisesRegex(UserError, "Inspection overdue"):
            self.tool.with_user(self.storekeeper_user).action_isp_sign_out_tool(self.technician.id)
        self.assertEqual(self._qty(self.splicer, self.branch_stock, self.tool), 1)
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool), 0)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings_before)
        # Any other transfer into the kit is refused when it is validated.
        with self.assertRaisesRegex(UserError, "Inspection overdue"):
            self.env["stock.picking"]._isp_create_done(
                self.branch.int_type_id, self.branch_stock, self.kit, [(self.splicer, 1, self.tool)]
            )
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool), 0)
        # Inspected: the request is done, the tool may go out.
        request.stage_id = self.env["maintenance.stage"].search([("done", "=", True)], limit=1)
        self.equipment.invalidate_recordset(["isp_inspection_overdue"])
        self.assertFalse(self.equipment.isp_inspection_overdue)
        self.tool.with_user(self.storekeeper_user).action_isp_sign_out_tool(self.technician.id)
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool), 1)
        self.assertFalse(self.technician.tool_inspection_overdue)
        # Falls due while in the technician's kit: the technician is flagged.
        self._inspection(-1)
        self.technician.invalidate_recordset(["tool_inspection_overdue"])
        self.assertTrue(self.technician.tool_inspection_overdue)
        self.assertIn(
            self.technician,
            self.env["isp.technician"].search([("tool_inspection_overdue", "=", True)]),
        )

    def test_sign_out_non_tool_refused(self):
        ont_lot = self._put_in_stock(self.ont, self.branch_stock, 1, lot_name="ONT-T-1")
        with self.assertRaises(UserError):
            ont_lot.with_user(self.storekeeper_user).action_isp_sign_out_tool(self.technician.id)
        self.assertEqual(self._qty(self.ont, self.branch_stock, ont_lot), 1)
