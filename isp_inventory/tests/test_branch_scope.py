from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestBranchScope(IspInventoryCommon):
    """Branch-scoped storekeepers and approvers (issue 12, point 6): a user with branches
    (res.users.isp_warehouse_ids) sees, and is told about, only those branches'
    technicians, stock, transfers, counts and loss reports; without branches, or as an
    ISP manager, all of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch_b = cls.env["stock.warehouse"].create(
            {"name": "Other Branch", "code": "OBR", "isp_region_id": cls.region.id}
        )
        cls.tech_b_user = new_test_user(
            cls.env, login="isp_tech_b", groups="isp_inventory.group_isp_technician"
        )
        cls.technician_b = cls.env["isp.technician"].create(
            {"user_id": cls.tech_b_user.id, "warehouse_id": cls.branch_b.id}
        )
        cls.van_b = cls.technician_b.vehicle_location_id
        cls.store_a = cls._scoped_user("isp_store_a", "storekeeper", cls.branch)
        cls.store_b = cls._scoped_user("isp_store_b", "storekeeper", cls.branch_b)
        cls.approver_a = cls._scoped_user("isp_approver_a", "approver", cls.branch)
        cls.approver_b = cls._scoped_user("isp_approver_b", "approver", cls.branch_b)
        # a manager with a branch still sees every branch
        cls.manager_user.isp_warehouse_ids = cls.branch

        for location, quantity in (
            (cls.branch_stock, 3),
            (cls.van, 1),
            (cls.branch_b.lot_stock_id, 2),
            (cls.van_b, 1),
        ):
            cls._put_in_stock(cls.patch_cord, location, quantity)
        cls.quants_a = cls._quants_in(cls.branch_stock | cls.van)
        cls.quants_b = cls._quants_in(cls.branch_b.lot_stock_id | cls.van_b)
        cls.picking_a = cls._picking(cls.branch, cls.van)
        cls.picking_b = cls._picking(cls.branch_b, cls.van_b)
        Count = cls.env["isp.stock.count"]
        cls.count_a = Count.create({"technician_id": cls.technician.id, "kind": "audit"})
        cls.count_b = Count.create({"technician_id": cls.technician_b.id, "kind": "audit"})
        cls.loss_a = cls._loss_report(cls.technician_user)
        cls.loss_b = cls._loss_report(cls.tech_b_user)

    @classmethod
    def _scoped_user(cls, login, role, branches):
        user = new_test_user(cls.env, login=login, groups=f"isp_inventory.group_isp_{role}")
        user.isp_warehouse_ids = branches
        return user

    @classmethod
    def _quants_in(cls, locations):
        return cls.env["stock.quant"].search(
            [("location_id", "in", locations.ids), ("product_id", "=", cls.patch_cord.id)]
        )

    @classmethod
    def _picking(cls, branch, destination):
        return cls.env["stock.picking"].create(
            {
                "picking_type_id": branch.int_type_id.id,
                "location_id": branch.lot_stock_id.id,
                "location_dest_id": destination.id,
                "origin": "Branch scope test",
            }
        )

    @classmethod
    def _loss_report(cls, technician_user):
        return (
            cls.env["isp.loss.report"]
            .with_user(technician_user)
            .create(
                {
                    "technician_id": cls.env["isp.technician"]
                    .search([("user_id", "=", technician_user.id)])
                    .id,
                    "loss_type": "lost",
                    "description": "Dropped off the ladder.",
                    "line_ids": [(0, 0, {"product_id": cls.patch_cord.id, "quantity": 1})],
                }
            )
        )

    def _visible(self, user, records):
        """The records among `records` that `user` finds by searching."""
        return records.with_user(user).search([("id", "in", records.ids)])

    # ------------------------------------------------------------------
    # What each user sees
    # ------------------------------------------------------------------
    def _assert_sees(self, user, branch_a, branch_b):
        pairs = [
            (self.technician, self.technician_b),
            (self.quants_a, self.quants_b),
            (self.picking_a, self.picking_b),
            (self.count_a, self.count_b),
            (self.count_a.line_ids, self.count_b.line_ids),
            (self.loss_a, self.loss_b),
            (self.loss_a.line_ids, self.loss_b.line_ids),
        ]
        for record_a, record_b in pairs:
            expected = (record_a if branch_a else record_a.browse()) | (
                record_b if branch_b else record_b.browse()
            )
            self.assertEqual(
                self._visible(user, record_a | record_b), expected.with_user(user), record_a._name
            )

    def test_scoped_storekeeper_sees_only_own_branch(self):
        self.assertTrue(self.quants_a and self.quants_b and self.loss_a.line_ids)
        self._assert_sees(self.store_a, True, False)
        self._assert_sees(self.store_b, False, True)
        # the search counts of the screens differ the same way
        Quant = self.env["stock.quant"]
        domain = [("product_id", "=", self.patch_cord.id), ("location_id.usage", "=", "internal")]
        self.assertEqual(Quant.with_user(self.store_a).search_count(domain), len(self.quants_a))
        self.assertEqual(Quant.with_user(self.store_b).search_count(domain), len(self.quants_b))

    def test_scoped_approver_sees_only_own_branch(self):
        self._assert_sees(self.approver_a, True, False)
        self._assert_sees(self.approver_b, False, True)

    def test_unscoped_storekeeper_and_manager_see_all(self):
        self._assert_sees(self.storekeeper_user, True, True)
        self._assert_sees(self.approver_user, True, True)
        self.assertEqual(self.manager_user.isp_warehouse_ids, self.branch)
        self._assert_sees(self.manager_user, True, True)

    def test_other_branch_records_refused_by_id(self):
        self.env.invalidate_all()  # as a new request: nothing read yet
        for record in (
            self.technician_b,
            self.quants_b[0],
            self.picking_b,
            self.count_b,
            self.loss_b,
        ):
            with self.assertRaises(AccessError, msg=record._name):
                record.with_user(self.store_a).read(["display_name"])
        with self.assertRaises(AccessError):
            self.picking_b.with_user(self.store_a).write({"origin": "Taken over"})
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.count_b.with_user(self.store_a).action_start()
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.picking_b.with_user(self.store_a).action_cancel()
        self.env.invalidate_all()
        self.assertRecordValues(self.picking_b, [{"origin": "Branch scope test", "state": "draft"}])
        self.assertRecordValues(self.count_b, [{"state": "draft", "counted_by_id": False}])
        # his own branch's works as before
        self.picking_a.with_user(self.store_a).write({"origin": "Van top-up"})
        self.assertEqual(self.picking_a.origin, "Van top-up")

    def test_scoped_storekeeper_cannot_create_in_other_branch(self):
        with self.assertRaises(AccessError):
            self.env["stock.picking"].with_user(self.store_a).create(
                {
                    "picking_type_id": self.branch_b.int_type_id.id,
                    "location_id": self.branch_b.lot_stock_id.id,
                    "location_dest_id": self.van_b.id,
                }
            )
        self.assertEqual(
            self.env["stock.picking"].search_count(
                [("picking_type_id", "=", self.branch_b.int_type_id.id)]
            ),
            1,
        )

    # ------------------------------------------------------------------
    # What each user may move: the stock layer, not only the screens
    # ------------------------------------------------------------------
    def _own_type_transfer(self, user, source, destination, quantity=1.0):
        """A transfer of ``user``'s own branch operation type from ``source`` to
        ``destination``, confirmed and validated as ``user``."""
        picking = (
            self.env["stock.picking"]
            .with_user(user)
            .create(
                {
                    "picking_type_id": self.branch.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.patch_cord.id,
                                "product_uom_qty": quantity,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking.button_validate()
        return picking

    def _on_hand(self, location):
        return sum(self._quants_in(location).mapped("quantity"))

    def test_scoped_storekeeper_cannot_move_another_branchs_stock(self):
        """A transfer of his own branch's operation type cannot take stock out of
        another branch's store, nor put it into another branch's van: refused when
        validated, and nothing moves."""
        before = {
            loc: self._on_hand(loc)
            for loc in (self.branch_stock, self.branch_b.lot_stock_id, self.van_b)
        }
        for source, destination in (
            (self.branch_b.lot_stock_id, self.branch_stock),
            (self.branch_stock, self.van_b),
        ):
            with self.assertRaisesRegex(AccessError, "belongs to Other Branch"):
                with self.cr.savepoint():
                    self._own_type_transfer(self.store_a, source, destination)
        self.env.invalidate_all()
        self.assertEqual({loc: self._on_hand(loc) for loc in before}, before)
        self.assertEqual(before[self.branch_b.lot_stock_id], 2)
        self.assertFalse(
            self.env["stock.move"].search(
                [
                    ("state", "=", "done"),
                    ("location_dest_id", "in", (self.branch_stock | self.van_b).ids),
                    ("picking_id.picking_type_id", "=", self.branch.int_type_id.id),
                ]
            )
        )

    def _draft_transfer(self, user, branch, source, destination):
        """A draft transfer of ``branch``'s internal type of 2 patch cords, by ``user``."""
        return (
            self.env["stock.picking"]
            .with_user(user)
            .create(
                {
                    "picking_type_id": branch.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.patch_cord.id,
                                "product_uom_qty": 2,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                            }
                        )
                    ],
                }
            )
        )

    def _reserved_and_counted(self):
        self.env.invalidate_all()
        quants = self._quants_in(self.branch_b.lot_stock_id)
        lines = self.env["stock.move.line"].search_count(
            [("location_id", "=", self.branch_b.lot_stock_id.id), ("state", "!=", "done")]
        )
        return [
            (q.quantity, q.reserved_quantity, q.inventory_quantity, q.inventory_quantity_set)
            for q in quants
        ], lines

    def test_scoped_storekeeper_cannot_reserve_or_count_another_branchs_stock(self):
        """Reserving another branch's stock for a transfer of his own branch, and
        counting that stock in Physical Inventory (Odoo finds the quant in sudo), are
        refused: nothing is reserved or counted there."""
        before = self._reserved_and_counted()
        self.assertEqual(before[0][0][:2], (2.0, 0.0))
        picking = self._draft_transfer(
            self.store_a, self.branch, self.branch_b.lot_stock_id, self.branch_stock
        )
        # assertRaises rolls back to a savepoint: what was written before the refusal
        # (the confirmation, the lines) is undone as the RPC call's transaction would be
        with self.assertRaises(AccessError) as reservation:
            picking.action_confirm()
            picking.action_assign()
        self.assertIn("belongs to Other Branch", str(reservation.exception))
        with self.assertRaises(AccessError) as count:
            self.env["stock.quant"].with_user(self.store_a).with_context(
                inventory_mode=True
            ).create(
                {
                    "product_id": self.patch_cord.id,
                    "location_id": self.branch_b.lot_stock_id.id,
                    "inventory_quantity": 0,
                }
            )
        self.assertIn("belongs to Other Branch", str(count.exception))
        self.assertEqual(self._reserved_and_counted(), before)
        # the branch's own storekeeper reserves and counts it
        picking_b = self._draft_transfer(
            self.store_b, self.branch_b, self.branch_b.lot_stock_id, self.van_b
        )
        picking_b.action_confirm()
        picking_b.action_assign()
        self.assertEqual(picking_b.move_ids.quantity, 2)
        quant = (
            self.env["stock.quant"]
            .with_user(self.store_b)
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.patch_cord.id,
                    "location_id": self.branch_b.lot_stock_id.id,
                    "inventory_quantity": 1,
                }
            )
        )
        self.assertEqual(quant.inventory_quantity, 1)

    def test_scoped_storekeepers_resupply_through_transit(self):
        """Within his branch he moves stock as before; another branch gets it through
        the transit location, received by its own storekeeper. A manager with a branch
        moves any branch's stock."""
        transit = self.env.company.internal_transit_location_id
        self.assertTrue(transit and not transit.warehouse_id)
        self._own_type_transfer(self.store_a, self.branch_stock, self.van)
        self._own_type_transfer(self.store_a, self.branch_stock, transit)
        received = (
            self.env["stock.picking"]
            .with_user(self.store_b)
            .create(
                {
                    "picking_type_id": self.branch_b.in_type_id.id,
                    "location_id": transit.id,
                    "location_dest_id": self.branch_b.lot_stock_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.patch_cord.id,
                                "product_uom_qty": 1.0,
                                "location_id": transit.id,
                                "location_dest_id": self.branch_b.lot_stock_id.id,
                            }
                        )
                    ],
                }
            )
        )
        received.action_confirm()
        received.move_ids.quantity = 1.0
        received.move_ids.picked = True
        received.button_validate()
        self._own_type_transfer(self.manager_user, self.branch_b.lot_stock_id, self.branch_stock)
        self.env.invalidate_all()
        self.assertEqual(
            [
                self._on_hand(loc)
                for loc in (self.branch_stock, self.van, self.branch_b.lot_stock_id)
            ],
            [3 - 2 + 1, 1 + 1, 2 + 1 - 1],
        )
        self.assertEqual(received.state, "done")

    def test_user_cannot_change_own_branches(self):
        self.assertNotIn("isp_warehouse_ids", self.env["res.users"].SELF_WRITEABLE_FIELDS)
        everything = [Command.set((self.branch | self.branch_b).ids)]
        with self.assertRaises(AccessError):
            self.store_a.with_user(self.store_a).write({"isp_warehouse_ids": everything})
        with self.assertRaises(AccessError):
            self.store_a.with_user(self.store_a).read(["isp_warehouse_ids"])
        with self.assertRaises(AccessError):
            self.branch_b.with_user(self.store_a).write(
                {"isp_user_ids": [Command.link(self.store_a.id)]}
            )
        # nor may an unscoped storekeeper or an approver give branches
        with self.assertRaises(AccessError):
            self.store_a.with_user(self.storekeeper_user).write({"isp_warehouse_ids": everything})
        self.env.invalidate_all()
        self.assertEqual(self.store_a.isp_warehouse_ids, self.branch)
        self.assertEqual(self.branch_b.isp_user_ids, self.store_b | self.approver_b)
        self._assert_sees(self.store_a, True, False)

    def test_manager_changes_branches_and_scope_follows(self):
        self.store_a.with_user(self.manager_user).write(
            {"isp_warehouse_ids": [Command.link(self.branch_b.id)]}
        )
        self._assert_sees(self.store_a, True, True)
        # from the branch's side: taking Kevin off branch A
        self.branch.with_user(self.manager_user).write(
            {"isp_user_ids": [Command.unlink(self.store_a.id)]}
        )
        self.assertEqual(self.store_a.isp_warehouse_ids, self.branch_b)
        self._assert_sees(self.store_a, False, True)
        # no branches: all again
        self.store_a.with_user(self.manager_user).isp_warehouse_ids = False
        self._assert_sees(self.store_a, True, True)

    def test_branches_of_another_company_refused(self):
        other_company = self.env["res.company"].create({"name": "Other ISP"})
        foreign = self.env["stock.warehouse"].search([("company_id", "=", other_company.id)])
        self.assertTrue(foreign)
        with self.assertRaises(ValidationError):
            self.store_a.with_user(self.manager_user).write(
                {"isp_warehouse_ids": [Command.link(foreign[0].id)]}
            )
        self.env.invalidate_all()
        self.assertEqual(self.store_a.isp_warehouse_ids, self.branch)

    # ------------------------------------------------------------------
    # Who is told
    # ------------------------------------------------------------------
    def _activity_users(self, record, summary_start=None):
        activities = record.sudo().activity_ids
        if summary_start:
            activities = activities.filtered(lambda a: (a.summary or "").startswith(summary_start))
        return activities.user_id

    def test_approval_activities_go_to_the_branch_approvers(self):
        self.loss_a.action_submit()
        users = self._activity_users(self.loss_a)
        self.assertIn(self.approver_a, users)
        self.assertIn(self.approver_user, users)  # unscoped
        self.assertNotIn(self.approver_b, users)
        # the other branch's approver cannot decide on it either
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.loss_a.with_user(self.approver_b).action_approve()
        self.env.invalidate_all()
        self.assertRecordValues(
            self.loss_a, [{"state": "submitted", "isp_approval_state": "to_approve"}]
        )
        self.loss_a.with_user(self.approver_a).action_approve()
        self.assertEqual(self.loss_a.state, "done")

    def test_approval_branches_hook(self):
        self.assertEqual(self.picking_b._isp_approval_branches(), self.branch_b)
        self.assertEqual(self.count_b._isp_approval_branches(), self.branch_b)
        self.assertEqual(self.loss_b._isp_approval_branches(), self.branch_b)
        deciders = self.picking_b._isp_approval_deciders()
        self.assertIn(self.approver_b, deciders)
        self.assertIn(self.approver_user, deciders)
        self.assertNotIn(self.approver_a, deciders)

    def test_audit_activities_go_to_the_branch_storekeepers(self):
        (self.count_a | self.count_b)._isp_schedule_audit_activities()
        users_a = self._activity_users(self.count_a)
        users_b = self._activity_users(self.count_b)
        self.assertIn(self.store_a, users_a)
        self.assertNotIn(self.store_b, users_a)
        self.assertIn(self.store_b, users_b)
        self.assertNotIn(self.store_a, users_b)
        self.assertIn(self.storekeeper_user, users_a & users_b)

    def test_below_minimum_alerts_go_to_the_branch_storekeepers(self):
        self.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": self.branch_b.id,
                "location_id": self.branch_b.lot_stock_id.id,
                "product_id": self.patch_cord.id,
                "product_min_qty": 50,
                "product_max_qty": 100,
                "trigger": "manual",
            }
        )
        self.env["stock.warehouse.orderpoint"]._isp_alert_below_minimum()
        template = self.patch_cord.product_tmpl_id
        summary = f"Below minimum in {self.branch_b.lot_stock_id.display_name}"
        users = self._activity_users(template, summary)
        self.assertIn(self.store_b, users)
        self.assertIn(self.storekeeper_user, users)
        self.assertNotIn(self.store_a, users)
