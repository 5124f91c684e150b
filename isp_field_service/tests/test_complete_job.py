from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestCompleteJob(IspFieldServiceCommon):
    def _snapshot(self):
        return {
            "van_cords": self._qty(self.patch_cord, self.van),
            "customer_cords": self._qty(self.patch_cord, self.customer_location),
            "van_ont_1": self._qty(self.ont, self.van, self.ont_lot_1),
            "van_ont_2": self._qty(self.ont, self.van, self.ont_lot_2),
            "lot_1": (self.ont_lot_1.isp_customer_id, self.ont_lot_1.isp_task_id),
            "state": self.job.isp_job_state,
            "materials": [(m.state, m.quantity) for m in self.job.isp_material_ids],
            "pickings": self.job.isp_picking_ids,
        }

    def test_complete_carry(self):
        self.job_as_tech.action_isp_issue_materials()
        self.job_as_tech.action_isp_complete(self._complete_values(self.job, lots=["VAN-ONT-1"]))
        self.assertEqual(self._qty(self.patch_cord, self.van), 3.0)
        self.assertEqual(self._qty(self.patch_cord, self.customer_location), 2.0)
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot_1), 0.0)
        self.assertEqual(self._qty(self.ont, self.customer_location, self.ont_lot_1), 1.0)
        self.assertRecordValues(
            self.ont_lot_1,
            [
                {
                    "isp_state": "installed",
                    "isp_customer_id": self.customer.id,
                    "isp_task_id": self.job.id,
                    "isp_installed_by_id": self.technician.id,
                    "isp_latitude": -1.2921,
                    "isp_longitude": 36.8219,
                }
            ],
        )
        self.assertRecordValues(
            self.job,
            [{"isp_job_state": "done", "state": "1_done", "isp_latitude": -1.2921}],
        )
        # The materials are the job's moves: used = done quantity and serials.
        self.assertRecordValues(
            self._material(self.job, self.ont) | self._material(self.job, self.patch_cord),
            [
                {"state": "done", "quantity": 1.0, "lot_ids": self.ont_lot_1.ids},
                {"state": "done", "quantity": 2.0, "lot_ids": []},
            ],
        )
        # One visit, one done operation; carry: nothing goes back to the branch.
        self.assertEqual(self.job.isp_picking_ids, self.job.isp_operation_id)
        self.assertEqual(self.job.isp_operation_id.state, "done")
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 20.0)

    def test_complete_return_leftovers(self):
        self._material(self.job, self.patch_cord).product_uom_qty = 4.0
        self._put_in_stock(self.patch_cord, self.van, 1.0)  # 6 in the van, 4 set aside
        self.job_as_tech.action_isp_issue_materials()
        self.job_as_tech.action_isp_complete(
            self._complete_values(self.job, patch_cords=1.0, leftover="return")
        )
        back = self.job.isp_picking_ids.filtered(lambda p: p.location_dest_id == self.branch_stock)
        self.assertRecordValues(back, [{"state": "assigned", "location_id": self.van.id}])
        # 4 set aside for the job, 1 used: 3 go back, the ONT (set aside, not installed) too.
        self.assertEqual(
            {m.product_id: m.product_uom_qty for m in back.move_ids},
            {self.patch_cord: 3.0, self.ont: 1.0},
        )
        # The visit is one done operation, the leftovers one more transfer.
        self.assertEqual(self.job.isp_picking_ids, self.job.isp_operation_id | back)
        back.button_validate()
        self.assertEqual(self._qty(self.patch_cord, self.van), 2.0)
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 23.0)

    def test_removed_equipment_back_to_van_or_quarantine(self):
        quarantine = self.branch._isp_get_quarantine_location()  # created by the office
        old = self._put_in_stock(self.ont, self.van, 1.0, lot_name="OLD-ONT")
        old._isp_install(self.technician, self.customer)
        self.job_as_tech.action_isp_complete(
            self._complete_values(
                self.job, lots=[self.ont_lot_1.id], removed=[{"lot": "OLD-ONT", "faulty": True}]
            )
        )
        self.assertEqual(self._qty(self.ont, quarantine, old), 1.0)
        self.assertRecordValues(old, [{"isp_state": "faulty", "isp_customer_id": False}])

    def test_wizard(self):
        action = self.job_as_tech.action_isp_open_complete_wizard()
        form = Form(
            self.env["isp.job.complete.wizard"]
            .with_user(self.technician_user)
            .with_context(**action["context"])
        )

        def used():
            """{product: used quantity} of the form's lines"""
            result = {}
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    result[line.product_id] = line.qty_used
            return result

        self.assertEqual(used()[self.ont], 0.0)
        form.installed_lot_ids.add(self.ont_lot_2)
        # the ONT's line now says one is used (its serial scanned); the cords keep theirs
        self.assertEqual(used()[self.ont], 1.0)
        self.assertEqual(
            used()[self.patch_cord], self._material(self.job, self.patch_cord).product_uom_qty
        )
        form.latitude = -4.05
        form.longitude = 39.66
        form.save().action_confirm()
        self.assertEqual(self.ont_lot_2.isp_customer_id, self.customer)
        self.assertEqual(self._qty(self.patch_cord, self.van), 3.0)
        self.assertEqual(self.job.isp_longitude, 39.66)

    # -- bad input: clear error, nothing changed --------------------------------------
    def _assert_refused(self, values, error=UserError, user=None):
        before = self._snapshot()
        with self.assertRaises(error):
            self.job.with_user(user or self.technician_user).action_isp_complete(values)
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(), before)

    def test_used_more_than_the_van_holds(self):
        self._assert_refused(self._complete_values(self.job, patch_cords=6.0))

    def test_failing_serial_in_the_middle_rolls_back(self):
        other = self._put_in_stock(
            self.ont, self.other_technician.vehicle_location_id, 1.0, lot_name="OTHER-ONT"
        )
        self._assert_refused(self._complete_values(self.job, lots=[self.ont_lot_1.id, other.id]))

    def test_core_refusal_after_stock_moved_rolls_back(self):
        # The upfront checks pass (the lot claims this customer) but the take-back service
        # refuses it (it is in the van, not installed) after the cords were consumed and
        # the ONT installed: all of that is undone.
        self.ont_lot_2.isp_customer_id = self.customer
        values = self._complete_values(self.job, lots=[self.ont_lot_1.id])
        values["removed"] = [{"lot": self.ont_lot_2.name}]
        self._assert_refused(values)

    def test_serial_of_wrong_product(self):
        cord_lot = self.env["stock.lot"].create(
            {"name": "CORD-1", "product_id": self.patch_cord.id}
        )
        self._assert_refused(self._complete_values(self.job, lots=[cord_lot.id]))

    def test_serial_already_installed(self):
        self.ont_lot_2._isp_install(self.technician, self.other_customer)
        self._assert_refused(self._complete_values(self.job, lots=["VAN-ONT-2"]))

    def test_negative_quantity(self):
        self._assert_refused(self._complete_values(self.job, patch_cords=-1.0))

    def test_removed_serial_of_another_customer(self):
        self.ont_lot_2._isp_install(self.technician, self.other_customer)
        self._assert_refused(self._complete_values(self.job, removed=[{"lot": self.ont_lot_2.id}]))

    def test_someone_elses_job(self):
        self._assert_refused(
            self._complete_values(self.job), error=AccessError, user=self.other_tech_user
        )

    def test_bad_leftover_policy(self):
        self._assert_refused(self._complete_values(self.job, leftover="keep"))

    def test_malformed_values_refused_in_words(self):
        """A completion of the wrong shape (an RPC client's mistake) is a UserError
        naming what is wrong, not a server error; nothing changes."""
        good = self._complete_values(self.job)
        line = dict(good["lines"][0])
        for values, text in (
            ([good], "must be a dictionary"),
            (dict(good, lines="all"), "lines must be a list of dictionaries"),
            (dict(good, lines=["cords"]), "lines must be a list of dictionaries"),
            (dict(good, removed={"lot": 1}), "removed must be a list of dictionaries"),
            (dict(good, lines=[dict(line, lots="VAN-ONT-1")]), "must be a list"),
            (dict(good, lines=[dict(line, qty_used="two")]), "must be a number"),
            (dict(good, latitude="north"), "latitude must be a number"),
        ):
            before = self._snapshot()
            with self.assertRaisesRegex(UserError, text):
                self.job_as_tech.action_isp_complete(values)
            self.env.invalidate_all()
            self.assertEqual(self._snapshot(), before)
        # a number written as text is read as the number
        lines = [dict(good["lines"][0], qty_used="2"), good["lines"][1]]
        self.job_as_tech.action_isp_complete(dict(good, lines=lines))
        self.assertEqual(self._material(self.job, self.patch_cord).quantity, 2.0)
        self.assertEqual(self.job.isp_job_state, "done")

    def test_completing_twice(self):
        self.job_as_tech.action_isp_complete(self._complete_values(self.job))
        before = self._qty(self.patch_cord, self.van)
        with self.assertRaises(UserError):
            self.job_as_tech.action_isp_complete(self._complete_values(self.job))
        self.assertEqual(self._qty(self.patch_cord, self.van), before)
