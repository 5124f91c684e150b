from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestStockCountBlind(IspInventoryCommon):
    """A surprise audit is blind: the counter does not learn the expected quantities
    (nor the variances, which give them away) by any read path until the counted
    quantities are submitted; monthly counts are unchanged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.patch_cord, cls.van, 10)
        cls.ont_lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="BLIND-ONT-1")
        cls.Count = cls.env["isp.stock.count"]
        cls.Line = cls.env["isp.stock.count.line"]
        # may export: what export_data refuses below is the field, not exporting
        cls.storekeeper_user.group_ids += cls.env.ref("base.group_allow_export")

    def _started(self, kind="audit"):
        count = self.Count.with_user(self.storekeeper_user).create(
            {"technician_id": self.technician.id, "kind": kind}
        )
        count.action_start()
        return count

    def _cord_line(self, count):
        return count.line_ids.filtered(lambda line: line.product_id == self.patch_cord)

    def _assert_nothing_revealed(self, count, user):
        """What `user` can learn about `count`'s expected quantities: nothing."""
        Line = self.Line.with_user(user)
        domain = [("count_id", "=", count.id)]
        rows = Line.search_read(domain, ["expected_qty", "variance_qty", "variance_value"])
        self.assertTrue(rows)
        for row in rows:
            self.assertEqual(
                (row["expected_qty"], row["variance_qty"], row["variance_value"]), (0, 0, 0)
            )
        self.assertEqual(
            Line._read_group(domain, [], ["expected_qty:sum", "variance_qty:sum"]), [(0.0, 0.0)]
        )
        self.assertFalse(Line.search(domain + [("expected_qty", ">", 0)]))
        self.assertRecordValues(
            count.with_user(user), [{"variance_value": 0.0, "variance_abs_value": 0.0}]
        )
        # the hidden snapshot: every path refused
        line = Line.search(domain, limit=1)
        with self.assertRaises(AccessError):
            line.read(["snapshot_qty"])
        with self.assertRaises(AccessError):
            Line.search(domain + [("snapshot_qty", ">", 0)])
        with self.assertRaises(AccessError):
            Line.search(domain, order="snapshot_qty desc")
        with self.assertRaises(AccessError):
            Line._read_group(domain, [], ["snapshot_qty:sum"])
        with self.assertRaises(AccessError):
            Line.formatted_read_group(domain, ["product_id"], ["snapshot_qty:sum"])
        may_export = user.has_group("base.group_allow_export")
        with self.assertRaises(AccessError if may_export else UserError):
            line.export_data(["snapshot_qty"])
        with self.assertRaises(AccessError):
            Line.web_search_read(domain, {"snapshot_qty": {}})
        with self.assertRaises(AccessError):
            line.onchange({}, [], {"snapshot_qty": {}})

    # ------------------------------------------------------------------
    def test_audit_is_blind_until_submitted(self):
        count = self._started()
        self.assertTrue(count.is_blind)
        cord = self._cord_line(count)
        # the counter counts everything: nothing is pre-filled
        self.assertRecordValues(count.line_ids, [{"counted_qty": 0.0}] * len(count.line_ids))
        self._assert_nothing_revealed(count, self.storekeeper_user)
        self._assert_nothing_revealed(count, self.technician_user)
        # approvers and managers read the snapshot
        self.assertEqual(cord.with_user(self.approver_user).snapshot_qty, 10)
        self.assertEqual(cord.with_user(self.manager_user).snapshot_qty, 10)

        cord.with_user(self.storekeeper_user).write({"counted_qty": 8})
        ont = count.line_ids.filtered(lambda line: line.lot_id == self.ont_lot)
        ont.with_user(self.storekeeper_user).counted_qty = 1
        self._assert_nothing_revealed(count, self.storekeeper_user)

        # applying before submitting is refused, nothing changed
        with self.assertRaisesRegex(UserError, "blind audit: submit the counted quantities"):
            count.with_user(self.storekeeper_user).action_apply()
        self.assertRecordValues(count, [{"state": "counting", "date_counted": False}])
        self.assertEqual(self._qty(self.patch_cord, self.van), 10)

        count.with_user(self.storekeeper_user).action_submit_count()
        self.assertFalse(count.is_blind)
        self.assertTrue(count.date_counted)
        self.assertRecordValues(
            cord.with_user(self.storekeeper_user),
            [{"expected_qty": 10.0, "counted_qty": 8.0, "variance_qty": -2.0}],
        )
        self.assertAlmostEqual(count.variance_value, -3.0)  # 2 cords at 1.50
        self.assertEqual(
            self.Line.with_user(self.storekeeper_user).search_count(
                [("count_id", "=", count.id), ("expected_qty", ">", 0)]
            ),
            2,
        )
        # the counted quantities are final; the reasons are given now
        with self.assertRaisesRegex(UserError, "submitted blind and are final"):
            cord.with_user(self.storekeeper_user).counted_qty = 10
        with self.assertRaisesRegex(UserError, "submitted blind and are final"):
            count.with_user(self.storekeeper_user).write(
                {"line_ids": [(0, 0, {"product_id": self.router.id, "counted_qty": 1})]}
            )
        self.assertEqual(cord.counted_qty, 8)
        self.assertEqual(len(count.line_ids), 2)
        cord.with_user(self.storekeeper_user).write({"reason": "lost", "note": "Torn bag"})
        count.with_user(self.storekeeper_user).action_apply()
        self.assertEqual(count.state, "done")
        self.assertEqual(self._qty(self.patch_cord, self.van), 8)

    def test_blindness_cannot_be_lifted_by_the_counter(self):
        count = self._started()
        store_count = count.with_user(self.storekeeper_user)
        with self.assertRaises(AccessError):
            store_count.write({"date_counted": "2030-01-01 00:00:00"})
        with self.assertRaisesRegex(UserError, "cannot change once it is started"):
            store_count.write({"kind": "monthly"})
        with self.assertRaises(AccessError):
            self._cord_line(count).with_user(self.storekeeper_user).write({"snapshot_qty": 3})
        with self.assertRaises(AccessError):
            self.Line.with_user(self.storekeeper_user).create(
                {"count_id": count.id, "product_id": self.router.id, "snapshot_qty": 5}
            )
        self.assertRecordValues(count, [{"kind": "audit", "date_counted": False, "is_blind": True}])
        self.assertEqual(self._cord_line(count).sudo().snapshot_qty, 10)
        self._assert_nothing_revealed(count, self.storekeeper_user)
        # a cancelled audit stays blind; once submitted it is not restarted
        store_count.action_cancel()
        self.assertTrue(count.is_blind)
        self._assert_nothing_revealed(count, self.storekeeper_user)
        store_count.action_draft()
        store_count.action_start()
        store_count.action_submit_count()
        store_count.action_cancel()
        with self.assertRaisesRegex(UserError, "a new audit is a new count"):
            store_count.action_draft()
        self.assertEqual(count.state, "cancel")

    def test_found_item_added_during_blind_audit(self):
        count = self._started()
        found = self._put_in_stock(self.ont, self.kit, 1, lot_name="BLIND-ONT-KIT")
        count.with_user(self.storekeeper_user).write(
            {
                "line_ids": [
                    (0, 0, {"product_id": self.ont.id, "lot_id": found.id, "counted_qty": 1})
                ]
            }
        )
        line = count.line_ids.filtered(lambda line: line.lot_id == found)
        self.assertRecordValues(line, [{"expected_qty": 0.0, "variance_qty": 0.0}])
        self.assertEqual(line.with_user(self.approver_user).snapshot_qty, 1)
        count.with_user(self.storekeeper_user).action_submit_count()
        self.assertRecordValues(line, [{"expected_qty": 1.0, "variance_qty": 0.0}])

    def test_monthly_count_unchanged(self):
        count = self._started(kind="monthly")
        self.assertFalse(count.is_blind)
        cord = self._cord_line(count).with_user(self.storekeeper_user)
        self.assertRecordValues(cord, [{"expected_qty": 10.0, "counted_qty": 10.0}])
        with self.assertRaisesRegex(UserError, "not a blind audit"):
            count.with_user(self.storekeeper_user).action_submit_count()
        cord.write({"counted_qty": 9, "reason": "unrecorded_use"})
        self.assertEqual(cord.variance_qty, -1)
        cord.write({"counted_qty": 10, "reason": False})  # still editable
        cord.write({"counted_qty": 9, "reason": "unrecorded_use"})
        count.with_user(self.storekeeper_user).action_apply()
        self.assertRecordValues(count, [{"state": "done", "date_counted": False}])
        self.assertEqual(self._qty(self.patch_cord, self.van), 9)

    def test_monthly_cron_leaves_last_months_open_count_open(self):
        self.Count.search([("state", "in", ("draft", "counting"))]).state = "cancel"
        january = self.Count._cron_isp_monthly_counts(today=date(2030, 1, 1)).filtered(
            lambda c: c.technician_id == self.technician
        )
        january.with_user(self.storekeeper_user).action_start()
        self._cord_line(january).with_user(self.storekeeper_user).write(
            {"counted_qty": 9, "reason": "lost"}
        )
        february = self.Count._cron_isp_monthly_counts(today=date(2030, 2, 1)).filtered(
            lambda c: c.technician_id == self.technician
        )
        self.assertRecordValues(
            january,
            [{"state": "counting", "kind": "monthly", "date": date(2030, 1, 1)}],
        )
        self.assertEqual(self._cord_line(january).counted_qty, 9)
        self.assertRecordValues(
            february, [{"state": "draft", "kind": "monthly", "date": date(2030, 2, 1)}]
        )
        # January can still be applied (nothing moved)
        january.with_user(self.storekeeper_user).action_apply()
        self.assertEqual(january.state, "done")
        self.assertFalse(
            self.Count._cron_isp_monthly_counts(today=date(2030, 2, 15)).filtered(
                lambda c: c.technician_id == self.technician
            )
        )
