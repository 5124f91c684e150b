from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestStoreWriteOff(IspInventoryCommon):
    """Stock leaves a branch's shelves for a loss, a scrap or a count difference only
    when an Inventory Approver applies it, whatever Odoo path is used (Physical
    Inventory, a scrap, a plain transfer into the Losses location). A storekeeper, a
    plain Inventory user and an Inventory Administrator who is not an approver are
    refused with nothing changed; gains and the approver pass."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = new_test_user(
            cls.env, login="isp_plain_stock_user", groups="stock.group_stock_user"
        )
        cls.inventory_admin = new_test_user(
            cls.env, login="isp_plain_stock_admin", groups="stock.group_stock_manager"
        )
        cls.refusable = (cls.storekeeper_user, cls.stock_user, cls.inventory_admin)
        cls._put_in_stock(cls.patch_cord, cls.branch_stock, 20)
        cls.losses = cls.branch._isp_get_loss_location()

    def _inventory_moves(self):
        return self.env["stock.move"].search_count(
            [("product_id", "=", self.patch_cord.id), ("location_dest_id.usage", "=", "inventory")]
        )

    def _count(self, user, quantity):
        """The branch store's patch cords counted at ``quantity`` by ``user``."""
        return (
            self.env["stock.quant"]
            .with_user(user)
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.patch_cord.id,
                    "location_id": self.branch_stock.id,
                    "inventory_quantity": quantity,
                }
            )
        )

    def test_physical_inventory_below_on_hand_needs_an_approver(self):
        before = self._quants(self.patch_cord)
        for user in self.refusable:
            quant = self._count(user, 17)
            with self.assertRaises(AccessError, msg=user.login) as refusal:
                quant.with_user(user).action_apply_inventory()
            self.assertIn("only an Inventory Approver writes stock off", str(refusal.exception))
            self.assertEqual(self._quants(self.patch_cord), before)
            self.assertEqual(self._inventory_moves(), 0)
        # the storekeeper's count, applied by the approver
        quant = self._count(self.storekeeper_user, 17)
        quant.with_user(self.approver_user).action_apply_inventory()
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 17)
        self.assertEqual(self._inventory_moves(), 1)

    def test_gain_needs_no_approver(self):
        quant = self._count(self.storekeeper_user, 23)
        quant.with_user(self.storekeeper_user).action_apply_inventory()
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 23)

    def test_scrap_from_the_shelf_needs_an_approver(self):
        scrap = self.env["stock.scrap"].create(
            {"product_id": self.patch_cord.id, "scrap_qty": 2, "location_id": self.branch_stock.id}
        )
        before = self._quants(self.patch_cord)
        for user in self.refusable:
            with self.assertRaises(AccessError, msg=user.login):
                scrap.with_user(user).action_validate()
            self.assertEqual(self._quants(self.patch_cord), before)
            self.assertEqual(scrap.state, "draft")
            self.assertFalse(scrap.move_ids.filtered(lambda move: move.state == "done"))
        scrap.with_user(self.approver_user).action_validate()
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 18)

    def test_transfer_into_losses_needs_an_approver(self):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.branch.int_type_id.id,
                "location_id": self.branch_stock.id,
                "location_dest_id": self.losses.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.patch_cord.id,
                            "product_uom_qty": 3,
                            "location_id": self.branch_stock.id,
                            "location_dest_id": self.losses.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        before = self._quants(self.patch_cord)
        with self.assertRaises(AccessError):
            picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(self._quants(self.patch_cord), before)
        self.assertEqual(picking.state, "assigned")
        picking.with_user(self.manager_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.patch_cord, self.losses), 3)
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 17)
