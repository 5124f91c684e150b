from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestLossReport(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tool_lot = cls._put_in_stock(cls.splicer, cls.kit, 1, lot_name="SPL-L-1")
        cls._put_in_stock(cls.patch_cord, cls.van, 10)

    def _report(self, user=None):
        return (
            self.env["isp.loss.report"]
            .with_user(user or self.technician_user)
            .create(
                {
                    "technician_id": self.technician.id,
                    "loss_type": "stolen",
                    "description": "Van broken into at Kangemi market.",
                    "line_ids": [
                        (0, 0, {"product_id": self.splicer.id, "lot_id": self.tool_lot.id}),
                        (0, 0, {"product_id": self.patch_cord.id, "quantity": 4}),
                    ],
                }
            )
        )

    def test_approved_report_scraps_into_losses_at_cost(self):
        report = self._report()
        self.assertEqual(report.line_ids.location_id, self.kit | self.van)
        self.assertEqual(report.amount, 2500.0 + 4 * 1.5)
        report.action_submit()
        report.with_user(self.approver_user).action_approve()
        self.assertRecordValues(
            report,
            [
                {
                    "state": "done",
                    "isp_approval_state": "approved",
                    "isp_approved_by_id": self.approver_user.id,
                }
            ],
        )
        losses = self.branch._isp_get_loss_location()
        self.assertRecordValues(losses, [{"usage": "inventory", "isp_role": "loss"}])
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool_lot), 0)
        self.assertEqual(self._qty(self.patch_cord, self.van), 6)
        self.assertEqual(self.tool_lot.isp_state, "disposed")
        self.assertEqual(report.scrap_ids.mapped("state"), ["done", "done"])
        self.assertEqual(self.technician.loss_count, 1)
        self.assertEqual(self.technician.loss_value, 2506.0)

    def test_rejected_report_changes_no_stock(self):
        report = self._report()
        report.action_submit()
        action = report.with_user(self.approver_user).action_open_reject_wizard()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.approver_user)
            .with_context(**action["context"])
        ) as form:
            form.reason = "Splicer found at the branch."
        form.record.action_reject()
        self.assertRecordValues(
            report,
            [
                {
                    "state": "rejected",
                    "isp_approval_state": "rejected",
                    "isp_rejected_by_id": self.approver_user.id,
                    "isp_rejection_reason": "Splicer found at the branch.",
                }
            ],
        )
        self.assertFalse(report.scrap_ids)
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool_lot), 1)
        self.assertEqual(self._qty(self.patch_cord, self.van), 10)
        self.assertEqual(self.technician.loss_count, 0)

    def test_own_report_approval_refused(self):
        # An approver who reports a loss (for the technician) cannot approve it.
        report = self._report(user=self.manager_user)
        report.action_submit()
        with self.assertRaises(AccessError):
            report.with_user(self.manager_user).action_approve()
        with self.assertRaises(AccessError):
            report.with_user(self.technician_user).action_approve()
        self.assertEqual(report.state, "submitted")
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool_lot), 1)

    def test_more_than_held_refused(self):
        """Submitting more than the van holds (also over two lines of one product) is
        refused at once, the report stays a draft; stock that left the van after the
        submission refuses the approval. Nothing is scrapped."""
        report = self._report()
        report.line_ids[1].quantity = 40
        with self.assertRaisesRegex(UserError, "holds only 10.0"):
            report.action_submit()
        report.line_ids[1].quantity = 6
        report.write({"line_ids": [(0, 0, {"product_id": self.patch_cord.id, "quantity": 5})]})
        with self.assertRaisesRegex(UserError, "holds only 10.0"):
            report.action_submit()
        self.assertEqual(report.state, "draft")
        report.line_ids[2].unlink()
        report.action_submit()
        self.env["stock.quant"]._update_available_quantity(self.patch_cord, self.van, -8)
        with self.assertRaises(UserError) as refusal:  # rolled back, as the RPC call is
            report.with_user(self.approver_user).action_approve()
        self.assertIn("holds only 2.0", str(refusal.exception))
        self.assertEqual(report.state, "submitted")
        self.assertEqual(self._qty(self.splicer, self.kit, self.tool_lot), 1)
        self.assertFalse(self.env["stock.scrap"].search([("isp_loss_report_id", "=", report.id)]))

    def test_bad_lines_refused(self):
        with self.assertRaises(ValidationError):
            self.env["isp.loss.report"].create(
                {
                    "technician_id": self.technician.id,
                    "description": "?",
                    "line_ids": [(0, 0, {"product_id": self.patch_cord.id, "quantity": -1})],
                }
            )
        with self.assertRaises(ValidationError):
            self.env["isp.loss.report"].create(
                {
                    "technician_id": self.technician.id,
                    "description": "?",
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.patch_cord.id,
                                "location_id": self.branch_stock.id,
                            },
                        )
                    ],
                }
            )

    def test_technicians_see_only_their_reports(self):
        other_user = self.env["res.users"].create(
            {
                "name": "Other Tech",
                "login": "other_loss_tech",
                "group_ids": [(6, 0, [self.env.ref("isp_inventory.group_isp_technician").id])],
            }
        )
        self.env["isp.technician"].create(
            {"user_id": other_user.id, "warehouse_id": self.branch.id}
        )
        report = self._report()
        Report = self.env["isp.loss.report"]
        self.assertFalse(Report.with_user(other_user).search([("id", "=", report.id)]))
        self.assertEqual(Report.with_user(self.technician_user).search([]), report)
        report.action_submit()
        with self.assertRaises(AccessError):
            report.with_user(self.technician_user).write({"description": "Changed"})
