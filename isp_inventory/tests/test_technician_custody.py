"""A technician changes stock only through the ISP operations: Odoo's own entry points
(transfers, inventory mode, scrap, serial edits) refuse him, and the fields that decide
who sees what are set by the system. Each refusal is followed by proof nothing moved."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestTechnicianCustody(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.tracking = "serial"
        cls.colleague_user = new_test_user(
            cls.env, login="isp_tech_colleague", groups="isp_inventory.group_isp_technician"
        )
        cls.colleague = cls.env["isp.technician"].create(
            {"user_id": cls.colleague_user.id, "warehouse_id": cls.branch.id}
        )
        cls.colleague_van = cls.colleague.vehicle_location_id
        cls._put_in_stock(cls.patch_cord, cls.van, 10)
        cls._put_in_stock(cls.patch_cord, cls.colleague_van, 7)
        cls.my_ont = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="CUST-MINE-1")
        cls.colleague_ont = cls._put_in_stock(cls.ont, cls.colleague_van, 1, lot_name="CUST-COL-1")
        cls.colleague_ont._isp_install(cls.colleague, cls.customer)
        cls.env_tech = cls.env(user=cls.technician_user)

    def _stock(self):
        """Every quantity the attacks could change."""
        return (
            self._qty(self.patch_cord, self.van),
            self._qty(self.patch_cord, self.colleague_van),
            self._qty(self.ont, self.van, self.my_ont),
            self.colleague_ont.isp_customer_id,
            self.colleague_ont.name,
            self.env["stock.picking"].search_count([]),
            self.env["stock.scrap"].search_count([]),
        )

    def test_technician_holds_no_inventory_group(self):
        self.assertFalse(self.technician_user.has_group("stock.group_stock_user"))
        self.assertTrue(self.technician_user.has_group("base.group_user"))

    def test_cannot_take_stock_out_of_a_colleagues_van(self):
        """The first attack: a transfer colleague's van → own van, requested by himself."""
        before = self._stock()
        with self.assertRaises(AccessError):
            self.env_tech["stock.picking"].create(
                {
                    "picking_type_id": self.branch.int_type_id.id,
                    "location_id": self.colleague_van.id,
                    "location_dest_id": self.van.id,
                    "isp_requested_by_id": self.technician_user.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.patch_cord.id,
                                "product_uom_qty": 7,
                                "location_id": self.colleague_van.id,
                                "location_dest_id": self.van.id,
                            }
                        )
                    ],
                }
            )
        with self.assertRaises(AccessError):
            self.env_tech["stock.move"].create(
                {
                    "product_id": self.patch_cord.id,
                    "product_uom_qty": 7,
                    "location_id": self.colleague_van.id,
                    "location_dest_id": self.van.id,
                }
            )
        self.assertEqual(self._stock(), before)

    def test_cannot_request_into_a_colleagues_van_or_in_his_name(self):
        before = self._stock()
        with self.assertRaises(AccessError):
            self.colleague.with_user(self.technician_user)._isp_create_request(
                [(self.patch_cord, 1)]
            )
        with self.assertRaises(AccessError):
            self.env["stock.picking"].with_user(self.storekeeper_user).create(
                {
                    "picking_type_id": self.branch.int_type_id.id,
                    "location_id": self.branch_stock.id,
                    "location_dest_id": self.van.id,
                    "isp_requested_by_id": self.technician_user.id,
                }
            )
        self.assertEqual(self._stock(), before)

    def test_inventory_mode_and_scrap_refused(self):
        """The second attack: own van zeroed through inventory mode, or scrapped."""
        quant = self.env["stock.quant"].search(
            [("location_id", "=", self.van.id), ("product_id", "=", self.patch_cord.id)]
        )
        before = self._stock()
        with self.assertRaises(AccessError):
            quant.with_user(self.technician_user).write({"inventory_quantity": 0})
        with self.assertRaises(AccessError):
            quant.with_user(self.technician_user).action_apply_inventory()
        with self.assertRaises(AccessError):
            self.env_tech["stock.quant"].create(
                {
                    "product_id": self.patch_cord.id,
                    "location_id": self.van.id,
                    "inventory_quantity": 0,
                }
            )
        with self.assertRaises(AccessError):
            self.env_tech["stock.scrap"].create(
                {"product_id": self.patch_cord.id, "scrap_qty": 10, "location_id": self.van.id}
            )
        self.assertEqual(self._stock(), before)
        self.assertFalse(quant.inventory_quantity_set)

    def test_cannot_rename_or_relocate_a_serial(self):
        """The fifth attack: a colleague's installed CPE renamed."""
        before = self._stock()
        lots = self.env_tech["stock.lot"].browse((self.colleague_ont | self.my_ont).ids)
        for lot in lots:
            with self.assertRaises(AccessError):
                lot.name = "RENAMED"
            with self.assertRaises(AccessError):
                lot.isp_customer_id = self.other_customer
        with self.assertRaises(AccessError):
            self.env_tech["stock.lot"].create({"name": "NEW-1", "product_id": self.ont.id})
        self.assertEqual(self._stock(), before)

    def test_requester_is_set_by_the_system(self):
        """Record rules show a technician the transfers he requested: nobody may name
        another requester afterwards, not even a stock manager."""
        request = self.technician.with_user(self.technician_user)._isp_create_request(
            [(self.patch_cord, 2)]
        )
        self.assertEqual(request.isp_requested_by_id, self.technician_user)
        self.assertNotEqual(request.state, "draft")
        for user in (self.storekeeper_user, self.manager_user):
            with self.assertRaises(AccessError):
                request.with_user(user).isp_requested_by_id = self.colleague_user
        self.assertEqual(request.isp_requested_by_id, self.technician_user)

    def test_loss_report_cannot_be_repointed(self):
        """The third attack: a draft loss report re-pointed to a colleague."""
        report = (
            self.env["isp.loss.report"]
            .with_user(self.technician_user)
            .create(
                {
                    "description": "Dropped in a manhole",
                    "reporter_id": self.approver_user.id,
                    "line_ids": [Command.create({"product_id": self.patch_cord.id, "quantity": 1})],
                }
            )
        )
        self.assertRecordValues(
            report,
            [{"technician_id": self.technician.id, "reporter_id": self.technician_user.id}],
        )
        for user, target in (
            (self.technician_user, self.colleague),
            (self.storekeeper_user, self.colleague),
            (self.technician_user, self.technician),
        ):
            with self.assertRaises(AccessError):
                report.with_user(user).write(
                    {"technician_id": target.id, "reporter_id": self.storekeeper_user.id}
                )
        with self.assertRaises(AccessError):
            report.line_ids.with_user(self.technician_user).report_id = self.env[
                "isp.loss.report"
            ].create({"technician_id": self.colleague.id, "description": "x"})
        self.assertRecordValues(
            report,
            [{"technician_id": self.technician.id, "reporter_id": self.technician_user.id}],
        )
        self.assertEqual(len(report.line_ids), 1)

    def test_loss_report_only_for_himself(self):
        with self.assertRaises(AccessError):
            self.env["isp.loss.report"].with_user(self.technician_user).create(
                {"technician_id": self.colleague.id, "description": "Not mine"}
            )
        self.assertFalse(
            self.env["isp.loss.report"].search([("technician_id", "=", self.colleague.id)])
        )

    def test_count_people_are_set_by_the_system(self):
        count = (
            self.env["isp.stock.count"]
            .with_user(self.storekeeper_user)
            .create({"technician_id": self.technician.id, "counted_by_id": self.approver_user.id})
        )
        self.assertFalse(count.counted_by_id)
        count.with_user(self.storekeeper_user).action_start()
        self.assertEqual(count.counted_by_id, self.storekeeper_user)
        for vals in (
            {"technician_id": self.colleague.id},
            {"counted_by_id": self.manager_user.id},
            {"submitted_by_id": self.manager_user.id},
        ):
            with self.assertRaises(AccessError):
                count.with_user(self.storekeeper_user).write(vals)
        self.assertRecordValues(
            count,
            [
                {
                    "technician_id": self.technician.id,
                    "counted_by_id": self.storekeeper_user.id,
                    "submitted_by_id": False,
                }
            ],
        )
