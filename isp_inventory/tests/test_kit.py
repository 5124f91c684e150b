from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestKit(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["isp.kit.template"].create(
            {
                "name": "Test FTTH Kit",
                "line_ids": [
                    Command.create({"product_id": cls.splicer.id, "quantity": 1}),
                    Command.create({"product_id": cls.ont.id, "quantity": 2}),
                    Command.create(
                        {"product_id": cls.patch_cord.id, "quantity": 20, "monthly_allowance": 30}
                    ),
                ],
            }
        )
        cls.technician.kit_template_id = cls.template
        cls._put_in_stock(cls.patch_cord, cls.branch_stock, 200)

    def _moves_to(self, pickings, location):
        return {
            m.product_id: m.product_uom_qty
            for m in pickings.move_ids
            if m.location_dest_id == location
        }

    def test_line_type_follows_item_class(self):
        self.assertEqual(
            self.template.line_ids.mapped("line_type"), ["tool", "equipment", "consumable"]
        )

    def test_issue_kit_tops_up_only_missing_quantities(self):
        self._put_in_stock(self.splicer, self.kit, 1, lot_name="SPL-KIT-1")
        self._put_in_stock(self.patch_cord, self.van, 5)
        ids = self.technician.with_user(self.storekeeper_user).action_issue_kit()
        pickings = self.env["stock.picking"].browse(ids)
        self.assertEqual(len(pickings), 1, "the tool is already there: only a van transfer")
        self.assertRecordValues(
            pickings,
            [
                {
                    "location_id": self.branch_stock.id,
                    "location_dest_id": self.van.id,
                    "isp_approval_state": "to_approve",  # contains CPE
                }
            ],
        )
        self.assertNotEqual(pickings.state, "draft")
        self.assertEqual(self._moves_to(pickings, self.van), {self.ont: 2, self.patch_cord: 15})
        # open requests count as present: issuing again creates nothing
        self.assertEqual(self.technician.action_issue_kit(), [])

    def test_issue_kit_sends_tools_to_the_kit(self):
        pickings = self.env["stock.picking"].browse(self.technician.action_issue_kit())
        self.assertEqual(len(pickings), 2)
        self.assertEqual(self._moves_to(pickings, self.kit), {self.splicer: 1})
        self.assertEqual(self.technician.open_request_count, 2)

    def test_issue_more_than_branch_holds_waits(self):
        pickings = self.env["stock.picking"].browse(self.technician.action_issue_kit())
        ont_move = pickings.move_ids.filtered(lambda m: m.product_id == self.ont)
        self.assertEqual(ont_move.state, "confirmed", "no ONT in the branch: it waits")
        self.assertEqual(self._qty(self.ont, self.branch_stock), 0)
        self.assertEqual(self._qty(self.ont, self.van), 0)

    def test_monthly_topup_and_allowance(self):
        self._put_in_stock(self.patch_cord, self.van, 40)
        self.env["stock.picking"]._isp_create_done(
            self.branch.out_type_id,
            self.van,
            self.customer.property_stock_customer,
            [(self.patch_cord, 35, False)],
        )
        self.technician.invalidate_recordset(["over_allowance", "consumption_summary"])
        self.assertTrue(self.technician.over_allowance)
        self.assertIn("35 / 30", self.technician.consumption_summary)
        pickings = self.env["isp.technician"]._cron_isp_monthly_consumable_topup()
        mine = pickings.filtered(lambda p: p.location_dest_id == self.van)
        self.assertEqual(self._moves_to(mine, self.van), {self.patch_cord: 25})
        self.assertEqual(mine.state, "assigned")

    def test_bad_lines_refused(self):
        Line = self.env["isp.kit.template.line"]
        with self.assertRaises(ValidationError):
            Line.create({"template_id": self.template.id, "product_id": self.ont.id, "quantity": 0})
        with self.assertRaises(ValidationError):
            Line.create(
                {"template_id": self.template.id, "product_id": self.ont.id, "quantity": -1}
            )
        with self.assertRaises(ValidationError):
            Line.create(
                {
                    "template_id": self.template.id,
                    "product_id": self.patch_cord.id,
                    "monthly_allowance": -5,
                }
            )
        archived = self._create_product("Old Splicer", "tool")
        archived.action_archive()
        with self.assertRaises(ValidationError):
            Line.create({"template_id": self.template.id, "product_id": archived.id})
        self.assertEqual(len(self.template.line_ids), 3)

    def test_only_managers_write_templates(self):
        with self.assertRaises(AccessError):
            self.template.with_user(self.storekeeper_user).name = "Changed"
        self.assertEqual(self.template.with_user(self.storekeeper_user).name, "Test FTTH Kit")
        self.template.with_user(self.manager_user).name = "Changed"
        self.assertEqual(self.template.name, "Changed")
