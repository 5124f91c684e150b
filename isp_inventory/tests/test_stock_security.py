from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestStockSecurity(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_user = new_test_user(
            cls.env, login="isp_tech_other", groups="isp_inventory.group_isp_technician"
        )
        cls.other = cls.env["isp.technician"].create(
            {"user_id": cls.other_user.id, "warehouse_id": cls.branch.id}
        )
        cls._put_in_stock(cls.patch_cord, cls.van, 10)
        cls._put_in_stock(cls.patch_cord, cls.other.vehicle_location_id, 7)
        cls._put_in_stock(cls.patch_cord, cls.branch_stock, 100)
        cls.my_request = cls.technician._isp_create_request([(cls.patch_cord, 5)])
        cls.other_request = cls.other._isp_create_request([(cls.patch_cord, 3)])

    def test_every_role_opens_the_technician_form(self):
        """The form shows the stock held and its total value; the per-quant valuation
        column is Odoo's inventory administrators' only."""
        total = self.technician.stock_value  # as the superuser
        self.assertGreater(total, 0)
        for user in (self.technician_user, self.storekeeper_user, self.approver_user):
            form = Form(self.technician.with_user(user))
            self.assertEqual(form.stock_value, total, user.login)
            self.assertEqual(len(form.quant_ids), 1, user.login)

    def test_technician_sees_only_own_stock_and_transfers(self):
        env = self.env(user=self.technician_user)
        quants = env["stock.quant"].search([("product_id", "=", self.patch_cord.id)])
        self.assertEqual(quants.location_id, self.van)
        pickings = env["stock.picking"].search(
            [("id", "in", (self.my_request | self.other_request).ids)]
        )
        self.assertEqual(pickings, self.my_request)
        self.assertEqual(env["isp.technician"].search([]), self.technician)
        moves = env["stock.move"].search([("product_id", "=", self.patch_cord.id)])
        self.assertEqual(moves, self.my_request.move_ids)
        with self.assertRaises(AccessError):
            self.other_request.with_user(self.technician_user).read(["name"])
        with self.assertRaises(AccessError):
            self.other.with_user(self.technician_user).read(["name"])

    def test_technician_cannot_touch_any_transfer(self):
        """Neither a colleague's request nor his own: technicians change stock only
        through the ISP operations."""
        for request in (self.other_request, self.my_request):
            state = request.state
            picking = request.with_user(self.technician_user)
            for action in ("action_cancel", "button_validate", "do_unreserve", "unlink"):
                with self.assertRaises(AccessError, msg=action):
                    getattr(picking, action)()
            with self.assertRaises(AccessError):
                picking.move_ids.with_user(self.technician_user).write({"product_uom_qty": 50})
            self.assertEqual(request.state, state)
            expected = 5 if request == self.my_request else 3
            self.assertEqual(request.move_ids.product_uom_qty, expected)

    def test_office_roles_see_everything(self):
        for user in (self.storekeeper_user, self.approver_user, self.manager_user):
            pickings = (
                self.env["stock.picking"]
                .with_user(user)
                .search([("id", "in", (self.my_request | self.other_request).ids)])
            )
            self.assertEqual(len(pickings), 2)

    def test_storekeeper_and_approver_cannot_configure(self):
        for user in (self.storekeeper_user, self.approver_user, self.technician_user):
            with self.assertRaises(AccessError):
                self.technician.with_user(user).kit_template_id = False
            with self.assertRaises(AccessError):
                self.region.with_user(user).name = "Renamed"
            with self.assertRaises(AccessError):
                self.env["isp.kit.template"].with_user(user).create({"name": "Mine"})
        self.assertEqual(self.region.name, "Test Region")
        self.assertFalse(self.env["isp.kit.template"].search([("name", "=", "Mine")]))

    def test_technician_request_validated_by_storekeeper(self):
        picking = self.technician.with_user(self.technician_user)._isp_create_request(
            [(self.patch_cord, 4)]
        )
        picking = picking.with_user(self.storekeeper_user)
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(self._qty(self.patch_cord, self.van), 14)

    def test_region_and_branch_on_stock_and_transfers(self):
        quant = self.env["stock.quant"].search(
            [("location_id", "=", self.van.id), ("product_id", "=", self.patch_cord.id)]
        )
        self.assertRecordValues(
            quant, [{"isp_region_id": self.region.id, "isp_warehouse_id": self.branch.id}]
        )
        self.assertRecordValues(
            self.my_request, [{"isp_region_id": self.region.id, "isp_warehouse_id": self.branch.id}]
        )
        groups = self.env["stock.quant"]._read_group(
            [("product_id", "=", self.patch_cord.id)], ["isp_region_id"], ["quantity:sum"]
        )
        self.assertIn((self.region, 117.0), groups)
