from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestStockCount(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.patch_cord, cls.van, 10)
        cls.ont_lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="CNT-ONT-1")
        cls.splicer_lot = cls._put_in_stock(cls.splicer, cls.kit, 1, lot_name="CNT-SPL-1")
        cls.Count = cls.env["isp.stock.count"]

    def _count(self, **vals):
        return self.Count.with_user(self.storekeeper_user).create(
            dict({"technician_id": self.technician.id, "kind": "monthly"}, **vals)
        )

    def _started(self):
        count = self._count()
        count.action_start()
        return count

    def _line(self, count, product, lot=None):
        return count.line_ids.filtered(
            lambda line: line.product_id == product and line.lot_id == (lot or line.lot_id)
        )

    def _inventory_moves(self, count):
        return self.env["stock.move"].search([("inventory_name", "=", count.name)])

    def _assert_stock_unchanged(self):
        self.assertEqual(self._qty(self.patch_cord, self.van), 10)
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot), 1)
        self.assertEqual(self._qty(self.splicer, self.kit, self.splicer_lot), 1)

    @contextmanager
    def _refused(self, exception, pattern):
        """assertRaises (rolled back to a savepoint, so nothing is half-done) and the
        message matches `pattern`."""
        with self.assertRaises(exception) as refusal:
            yield
        self.assertRegex(str(refusal.exception), pattern)

    # ------------------------------------------------------------------
    def test_start_snapshots_van_and_kit(self):
        count = self._started()
        self.assertTrue(count.name.startswith("CNT/"))
        self.assertRecordValues(
            count, [{"state": "counting", "counted_by_id": self.storekeeper_user.id}]
        )
        self.assertEqual(count.warehouse_id, self.branch)
        self.assertRecordValues(
            count.line_ids.sorted(lambda line: line.product_id.name),
            [
                {
                    "product_id": self.splicer.id,
                    "lot_id": self.splicer_lot.id,
                    "location_id": self.kit.id,
                    "expected_qty": 1.0,
                    "counted_qty": 1.0,
                    "variance_qty": 0.0,
                },
                {
                    "product_id": self.ont.id,
                    "lot_id": self.ont_lot.id,
                    "location_id": self.van.id,
                    "expected_qty": 1.0,
                    "counted_qty": 1.0,
                    "variance_qty": 0.0,
                },
                {
                    "product_id": self.patch_cord.id,
                    "lot_id": False,
                    "location_id": self.van.id,
                    "expected_qty": 10.0,
                    "counted_qty": 10.0,
                    "variance_qty": 0.0,
                },
            ],
        )
        with self.assertRaises(UserError):
            count.action_start()

    def test_apply_shortage_and_surplus_through_inventory_mode(self):
        count = self._started()
        self._line(count, self.patch_cord).write({"counted_qty": 7, "reason": "unrecorded_use"})
        self._line(count, self.ont).write({"counted_qty": 0, "reason": "lost"})
        found_lot = self.env["stock.lot"].create({"name": "CNT-ONT-2", "product_id": self.ont.id})
        count.write(
            {
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.ont.id,
                            "lot_id": found_lot.id,
                            "counted_qty": 1,
                            "reason": "found",
                        },
                    )
                ]
            }
        )
        found = self._line(count, self.ont, found_lot)
        self.assertRecordValues(found, [{"location_id": self.van.id, "expected_qty": 0.0}])
        self.assertAlmostEqual(count.variance_value, -3 * 1.5 - 45.0 + 45.0)

        count.action_apply()

        self.assertRecordValues(count, [{"state": "done"}])
        self.assertTrue(count.date_done)
        self.assertEqual(self._qty(self.patch_cord, self.van), 7)
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot), 0)
        self.assertEqual(self._qty(self.ont, self.van, found_lot), 1)
        self.assertEqual(self._qty(self.splicer, self.kit, self.splicer_lot), 1)
        moves = self._inventory_moves(count)
        self.assertEqual(len(moves), 3)
        self.assertEqual(count.move_ids, moves)
        self.assertEqual(set(moves.mapped("is_inventory")), {True})
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(set(moves.mapped("reference")), {count.name})
        inventory_loss = self.patch_cord.property_stock_inventory
        shortage = moves.filtered(lambda m: m.product_id == self.patch_cord)
        self.assertRecordValues(
            shortage,
            [{"location_id": self.van.id, "location_dest_id": inventory_loss.id, "quantity": 3}],
        )
        surplus = moves.filtered(lambda m: m.move_line_ids.lot_id == found_lot)
        self.assertRecordValues(
            surplus, [{"location_id": inventory_loss.id, "location_dest_id": self.van.id}]
        )
        # The serial written off is not "in stock"; the one found is with the technician.
        self.assertEqual(self.ont_lot.isp_state, "disposed")
        self.assertEqual(found_lot.isp_state, "with_technician")

    def test_reason_required_for_a_variance(self):
        count = self._started()
        self._line(count, self.patch_cord).counted_qty = 8
        with self._refused(UserError, "Test SC/APC Patch Cord"):
            count.action_apply()
        self.assertEqual(count.state, "counting")
        self.assertFalse(self._inventory_moves(count))
        self._assert_stock_unchanged()

    def test_negative_count_refused_nothing_changed(self):
        count = self._started()
        line = self._line(count, self.patch_cord)
        with self._refused(ValidationError, "cannot be negative"):
            line.write({"counted_qty": -2, "reason": "other"})
        self.assertEqual(line.counted_qty, 10)
        count.action_apply()  # no variance: nothing moves
        self.assertFalse(self._inventory_moves(count))
        self._assert_stock_unchanged()

        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.patch_cord.id), ("location_id", "=", self.van.id)]
        )
        with self._refused(ValidationError, "cannot be negative"):
            quant.with_context(inventory_mode=True).inventory_quantity = -1
        self.assertEqual(quant.inventory_quantity, 0)
        self._assert_stock_unchanged()

    def test_serial_counted_more_than_once_refused(self):
        count = self._started()
        line = self._line(count, self.ont)
        with self._refused(ValidationError, "CNT-ONT-1 is one unit"):
            line.write({"counted_qty": 2, "reason": "miscount"})
        self.assertEqual(line.counted_qty, 1)

    def test_serial_recorded_elsewhere_refused(self):
        elsewhere = self._put_in_stock(self.ont, self.branch_stock, 1, lot_name="CNT-ONT-9")
        count = self._started()
        count.write(
            {
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.ont.id,
                            "lot_id": elsewhere.id,
                            "location_id": self.van.id,
                            "counted_qty": 1,
                            "reason": "found",
                        },
                    )
                ]
            }
        )
        self._line(count, self.patch_cord).write({"counted_qty": 9, "reason": "lost"})
        with self._refused(UserError, "CNT-ONT-9 is recorded in TBR/Stock"):
            count.action_apply()
        self.assertEqual(count.state, "counting")
        self.assertFalse(self._inventory_moves(count))
        self.assertEqual(self._qty(self.ont, self.branch_stock, elsewhere), 1)
        self.assertEqual(self._qty(self.ont, self.van, elsewhere), 0)
        self._assert_stock_unchanged()

    def test_variance_on_tracked_product_needs_its_serial(self):
        count = self._started()
        count.write(
            {"line_ids": [(0, 0, {"product_id": self.ont.id, "counted_qty": 1, "reason": "found"})]}
        )
        with self._refused(UserError, "Give the serial or lot number of: Test ONT"):
            count.action_apply()
        self.assertFalse(self._inventory_moves(count))
        self._assert_stock_unchanged()

    def test_serial_moved_between_van_and_kit_is_allowed(self):
        """Expected in the van, found in the kit: the van line zeroes it, so the serial
        is in one place after the count."""
        count = self._started()
        self._line(count, self.ont).write({"counted_qty": 0, "reason": "miscount"})
        count.write(
            {
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.ont.id,
                            "lot_id": self.ont_lot.id,
                            "location_id": self.kit.id,
                            "counted_qty": 1,
                            "reason": "miscount",
                        },
                    )
                ]
            }
        )
        count.action_apply()
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot), 0)
        self.assertEqual(self._qty(self.ont, self.kit, self.ont_lot), 1)
        self.assertEqual(self.ont_lot.isp_state, "with_technician")

    def test_stock_moved_since_start_refused(self):
        count = self._started()
        self._line(count, self.patch_cord).write({"counted_qty": 9, "reason": "lost"})
        self._put_in_stock(self.patch_cord, self.van, 5)
        with self._refused(UserError, "since .* started"):
            count.action_apply()
        self.assertFalse(self._inventory_moves(count))
        self.assertEqual(self._qty(self.patch_cord, self.van), 15)

    def test_cancel(self):
        count = self._started()
        count.action_cancel()
        self.assertEqual(count.state, "cancel")
        with self.assertRaises(UserError):
            count.action_apply()

    # ------------------------------------------------------------------
    def test_monthly_cron_is_idempotent(self):
        other_user = new_test_user(
            self.env, login="isp_tech_gone", groups="isp_inventory.group_isp_technician"
        )
        archived = self.env["isp.technician"].create(
            {"user_id": other_user.id, "warehouse_id": self.branch.id}
        )
        archived.active = False
        first = self.Count._cron_isp_monthly_counts()
        mine = self.Count.search([("technician_id", "=", self.technician.id)])
        self.assertRecordValues(mine, [{"kind": "monthly", "state": "draft"}])
        self.assertIn(mine, first)
        self.assertFalse(self.Count.search([("technician_id", "=", archived.id)]))
        second = self.Count._cron_isp_monthly_counts()
        self.assertFalse(second)
        self.assertEqual(self.Count.search_count([("technician_id", "=", self.technician.id)]), 1)

    def test_random_audits_respect_sample_size_and_counts_in_progress(self):
        company = self.env.company
        self.Count.search([("state", "in", ("draft", "counting"))]).state = "cancel"
        for login in ("isp_tech_audit_a", "isp_tech_audit_b"):
            user = new_test_user(self.env, login=login, groups="isp_inventory.group_isp_technician")
            self.env["isp.technician"].create({"user_id": user.id, "warehouse_id": self.branch.id})
        technicians = self.env["isp.technician"].search([("company_id", "=", company.id)])
        self._started()  # being counted: our technician is not a candidate

        company.isp_audit_sample_size = 1
        audits = self.Count._cron_isp_random_audits().filtered(lambda c: c.company_id == company)
        self.assertEqual(len(audits), 1)
        self.assertRecordValues(audits, [{"kind": "audit", "state": "draft"}])
        self.assertNotEqual(audits.technician_id, self.technician)
        activity = audits.activity_ids.filtered(lambda a: a.user_id == self.storekeeper_user)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))

        waiting = technicians - self.technician - audits.technician_id
        self._count(technician_id=waiting[0].id)  # a draft monthly count does not protect
        company.isp_audit_sample_size = 1000
        rest = self.Count._cron_isp_random_audits().filtered(lambda c: c.company_id == company)
        self.assertEqual(rest.technician_id, technicians - self.technician - audits.technician_id)

        company.isp_audit_sample_size = 0
        self.Count.search([("kind", "=", "audit")]).state = "cancel"
        self.assertFalse(
            self.Count._cron_isp_random_audits().filtered(lambda c: c.company_id == company)
        )

    # ------------------------------------------------------------------
    def test_technician_reads_own_count_only_and_cannot_apply(self):
        other_user = new_test_user(
            self.env, login="isp_tech_other", groups="isp_inventory.group_isp_technician"
        )
        other = self.env["isp.technician"].create(
            {"user_id": other_user.id, "warehouse_id": self.branch.id}
        )
        mine = self._started()
        theirs = self._count(technician_id=other.id)
        as_tech = self.Count.with_user(self.technician_user)
        self.assertEqual(as_tech.search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(len(mine.with_user(self.technician_user).line_ids), 3)
        with self.assertRaises(AccessError):
            theirs.with_user(self.technician_user).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.technician_user).action_apply()
        with self.assertRaises(AccessError):
            mine.line_ids[0].with_user(self.technician_user).counted_qty = 0
        with self.assertRaises(AccessError):
            as_tech.create({"technician_id": self.technician.id})
        self.assertEqual(mine.state, "counting")
        self._assert_stock_unchanged()

    def test_statement_html_and_pdf(self):
        count = self._started()
        self._line(count, self.patch_cord).write(
            {"counted_qty": 6, "reason": "lost", "note": "Bag torn"}
        )
        count.action_apply()
        report = self.env.ref("isp_inventory.isp_stock_count_report_action")
        self.assertEqual(report.binding_model_id.model, "isp.stock.count")
        html = self.env["ir.actions.report"]._render_qweb_html(report.id, count.ids)[0].decode()
        for text in (
            count.name,
            self.technician.name,
            "Test Branch",
            "Test SC/APC Patch Cord",
            "Test Fusion Splicer",
            "CNT-ONT-1",
            "Bag torn",
            "Technician",
            "Storekeeper",
            "Signature",
        ):
            self.assertIn(text, html)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report.id, count.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_scheduled_counts_do_not_run_at_install(self):
        """The monthly jobs start on the 1st of a month, the audits on a Monday; neither
        fires when the module is installed."""
        monthly = self.env.ref("isp_inventory.ir_cron_isp_monthly_counts") | self.env.ref(
            "isp_inventory.ir_cron_isp_monthly_consumable_topup"
        )
        for cron in monthly:
            self.assertEqual((cron.nextcall.day, cron.nextcall.hour), (1, 3), cron.name)
        audits = self.env.ref("isp_inventory.ir_cron_isp_random_audits")
        self.assertEqual((audits.nextcall.weekday(), audits.nextcall.hour), (0, 3))
        self.assertGreater(audits.nextcall, audits.create_date)
