from odoo.addons.isp_inventory.models.isp_done_lock_mixin import DONE_NOW_KEY
from odoo.fields import Command
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class IspInventoryCommon(TransactionCase):
    """A branch with one technician, ISP products of each class and users for each role.

    Higher addons' test bases subclass this one.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician_user = new_test_user(
            cls.env, login="isp_tech", groups="isp_inventory.group_isp_technician"
        )
        cls.storekeeper_user = new_test_user(
            cls.env, login="isp_store", groups="isp_inventory.group_isp_storekeeper"
        )
        cls.approver_user = new_test_user(
            cls.env, login="isp_approver", groups="isp_inventory.group_isp_approver"
        )
        cls.manager_user = new_test_user(
            cls.env, login="isp_manager", groups="isp_inventory.group_isp_manager"
        )
        cls.region = cls.env["isp.region"].create({"name": "Test Region", "code": "TRG"})
        cls.branch = cls.env["stock.warehouse"].create(
            {"name": "Test Branch", "code": "TBR", "isp_region_id": cls.region.id}
        )
        cls.technician = cls.env["isp.technician"].create(
            {"user_id": cls.technician_user.id, "warehouse_id": cls.branch.id}
        )
        cls.van = cls.technician.vehicle_location_id
        cls.kit = cls.technician.kit_location_id
        cls.branch_stock = cls.branch.lot_stock_id
        cls.ont = cls._create_product("Test ONT", "cpe", cost=45.0)
        cls.router = cls._create_product("Test Core Router", "network", cost=900.0)
        cls.splicer = cls._create_product("Test Fusion Splicer", "tool", cost=2500.0)
        cls.patch_cord = cls._create_product("Test SC/APC Patch Cord", "consumable", cost=1.5)
        cls.customer = cls.env["res.partner"].create({"name": "Test Customer"})
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer"})

    @classmethod
    def _create_product(cls, name, item_class, cost=1.0):
        return cls.env["product.product"].create(
            {
                "name": name,
                "categ_id": cls.env.ref(f"isp_inventory.product_category_{item_class}").id,
                "standard_price": cost,
            }
        )

    @classmethod
    def _put_in_stock(cls, product, location, quantity=1.0, lot_name=None):
        """Put stock in a location (as a receipt would); returns the lot if any."""
        lot = (
            cls.env["stock.lot"].create({"name": lot_name, "product_id": product.id})
            if lot_name
            else cls.env["stock.lot"]
        )
        cls.env["stock.quant"]._update_available_quantity(
            product, location, quantity, lot_id=lot or None
        )
        return lot

    @classmethod
    def _give_open_job(cls, technician, partner):
        """With isp_field_service installed (as in every test run), a technician takes
        equipment back from a customer or swaps it only on an open job of theirs there:
        give them one. Nothing to do without that addon."""
        if "isp_task_id" not in cls.env["stock.move"]._fields:
            return None
        project = cls.env["project.project"].create(
            {"name": "Test Service Calls", "isp_is_field_service": True}
        )
        return cls.env["project.task"].create(
            {
                "name": f"Service call {partner.name}",
                "project_id": project.id,
                "isp_technician_id": technician.id,
                "partner_id": partner.id,
            }
        )

    def _delivery(self, lots, source, partner=None, user=None, **picking_vals):
        """A plain Odoo delivery (no ISP operation) of the serials `lots` from `source`
        to the customers location, to `partner` (none if not given), created and
        confirmed by `user` (the storekeeper), each serial picked; not validated."""
        destination = self.env.ref("stock.stock_location_customers")
        picking = (
            self.env["stock.picking"]
            .with_user(user or self.storekeeper_user)
            .create(
                dict(
                    {
                        "picking_type_id": self.branch.out_type_id.id,
                        "partner_id": partner.id if partner else False,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    },
                    **picking_vals,
                )
            )
        )
        for product, product_lots in lots.grouped("product_id").items():
            picking.move_ids.create(
                {
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom_qty": len(product_lots),
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "move_line_ids": [
                        Command.create(
                            {
                                "picking_id": picking.id,
                                "product_id": product.id,
                                "lot_id": lot.id,
                                "quantity": 1.0,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                            }
                        )
                        for lot in product_lots
                    ],
                }
            )
        picking.action_confirm()
        picking.move_ids.picked = True
        return picking

    def _return_of(self, picking, user=None):
        """Odoo's return of everything `picking` moved (the `stock.return.picking`
        wizard, as `user`, the storekeeper by default), picked; not validated."""
        wizard = (
            self.env["stock.return.picking"]
            .with_user(user or self.storekeeper_user)
            .with_context(
                active_id=picking.id, active_ids=picking.ids, active_model="stock.picking"
            )
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = line.move_id.quantity
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.picked = True
        return returned.with_user(user or self.storekeeper_user)

    def _forget_done_now(self):
        """A test runs in one transaction: forget which records became done in it, as
        a later transaction would (moves done before are then locked)."""
        self.env.cr.cache.pop(DONE_NOW_KEY, None)

    def _quants(self, *products):
        """Every quant of `products`: (location, lot, quantity), to prove nothing moved."""
        self.env.invalidate_all()
        quants = self.env["stock.quant"].search([("product_id", "in", [p.id for p in products])])
        return sorted((q.location_id.id, q.lot_id.id, q.quantity) for q in quants)

    def _qty(self, product, location, lot=None):
        """On-hand quantity of product (and lot) exactly in location."""
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", location.id),
                ("lot_id", "=", lot.id if lot else False),
            ]
        )
        return sum(quants.mapped("quantity"))
