from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestJobOperation(IspFieldServiceCommon):
    """The job's stage is its state; its materials are the moves of one operation."""

    def _done_stage(self):
        return self.env.ref("isp_field_service.task_type_done")

    def test_dragging_a_job_with_planned_materials_to_done_is_refused(self):
        before = (self.job.stage_id, self.job.state, self.job.isp_material_ids.mapped("state"))
        for vals in ({"stage_id": self._done_stage().id}, {"state": "1_done"}):
            with self.assertRaises(UserError) as refusal:
                self.job.with_user(self.storekeeper_user).write(vals)
            self.assertIn("Test ONT", str(refusal.exception))
            self.env.invalidate_all()
            self.assertEqual(
                (self.job.stage_id, self.job.state, self.job.isp_material_ids.mapped("state")),
                before,
            )
            self.assertEqual(self.job.isp_job_state, "scheduled")

    def test_dragging_a_job_that_needs_nothing_to_done_completes_it(self):
        job = self._create_job(job_type=self.env["isp.job.type"].create({"name": "Survey"}))
        self.assertFalse(job.isp_material_ids)
        job.with_user(self.storekeeper_user).write({"stage_id": self._done_stage().id})
        self.assertRecordValues(
            job, [{"isp_job_state": "done", "state": "1_done", "stage_id": self._done_stage().id}]
        )
        self.assertTrue(job.isp_completed_date)
        # Done is done: it cannot be dragged back.
        with self.assertRaises(UserError):
            job.with_user(self.storekeeper_user).write(
                {"stage_id": self.env.ref("isp_field_service.task_type_scheduled").id}
            )

    def test_operation_link_completion_key_and_date_are_the_servers(self):
        """A job's operation (the transfer its completion validates), completion key and
        date are set by its operations: the office cannot point a job at another job's
        transfer, nor give a new job a completion date or key."""
        other = self._create_job(customer=self.other_customer)
        operation = self.job.isp_operation_id
        self.assertTrue(operation and other.isp_operation_id)
        for user in (self.storekeeper_user, self.manager_user):
            for vals in (
                {"isp_operation_id": other.isp_operation_id.id},
                {"isp_completed_date": "2030-01-01 09:00:00"},
                {"isp_completion_key": "forged"},
            ):
                with self.assertRaises(AccessError, msg=f"{user.login} {vals}") as refusal:
                    self.job.with_user(user).write(vals)
                self.assertIn("set by the system", str(refusal.exception))
            with self.assertRaises(AccessError):
                self.env["project.task"].with_user(user).create(
                    {
                        "name": "Forged job",
                        "project_id": self.project.id,
                        "isp_completed_date": "2030-01-01 09:00:00",
                    }
                )
        self.env.invalidate_all()
        self.assertRecordValues(
            self.job,
            [
                {
                    "isp_operation_id": operation.id,
                    "isp_completed_date": False,
                    "isp_completion_key": False,
                }
            ],
        )
        self.assertFalse(self.env["project.task"].search([("name", "=", "Forged job")]))
        # the completion sets them
        self.job_as_tech.action_isp_complete(self._complete_values(self.job, idempotency_key="k1"))
        self.assertRecordValues(
            self.job, [{"isp_operation_id": operation.id, "isp_completion_key": "k1"}]
        )
        self.assertTrue(self.job.isp_completed_date)

    def test_technician_cannot_drag_his_job_to_done(self):
        with self.assertRaises(AccessError):  # not an on-site field
            self.job.with_user(self.technician_user).write({"stage_id": self._done_stage().id})
        self.assertEqual(self.job.isp_job_state, "scheduled")

    def test_resent_completion_with_its_key_answers_the_first_result(self):
        values = self._complete_values(self.job, idempotency_key="phone-42-attempt")
        self.assertTrue(self.job_as_tech.action_isp_complete(values))
        van_cords = self._qty(self.patch_cord, self.van)
        moves = self.env["stock.move"].search_count([])
        self.assertTrue(self.job_as_tech.action_isp_complete(values))
        self.assertEqual(self._qty(self.patch_cord, self.van), van_cords)
        self.assertEqual(self.env["stock.move"].search_count([]), moves)
        # Another key (or none) is a second completion: refused.
        for key in ("another", None):
            with self.assertRaises(UserError):
                self.job_as_tech.action_isp_complete(
                    self._complete_values(self.job, idempotency_key=key)
                )
        # The key answers only the job's technician or the office.
        with self.assertRaises(AccessError):
            self.job.with_user(self.other_tech_user).action_isp_complete(values)

    def test_reassigning_moves_the_operation_to_the_new_van(self):
        self.job_as_tech.action_isp_issue_materials()
        self.assertEqual(
            self.patch_cord.with_context(location=self.van.id).free_qty, 3.0, "2 set aside"
        )
        self.job.isp_technician_id = self.other_technician
        other_van = self.other_technician.vehicle_location_id
        self.assertEqual(self.job.isp_operation_id.location_id, other_van)
        self.assertEqual(self.job.isp_material_ids.location_id, other_van)
        # What was set aside in the first van is released.
        self.assertEqual(self.patch_cord.with_context(location=self.van.id).free_qty, 5.0)

    def test_cancelling_a_job_releases_what_was_set_aside(self):
        self.job_as_tech.action_isp_issue_materials()
        self.job.with_user(self.storekeeper_user).write({"state": "1_canceled"})
        self.assertEqual(self.job.isp_material_ids.mapped("state"), ["cancel", "cancel"])
        self.assertEqual(self.patch_cord.with_context(location=self.van.id).free_qty, 5.0)

    def test_completion_is_one_operation_with_take_backs(self):
        old = self._put_in_stock(self.ont, self.van, 1.0, lot_name="OLD-ONT-2")
        old._isp_install(self.technician, self.customer)
        self.job_as_tech.action_isp_complete(
            self._complete_values(
                self.job, lots=[self.ont_lot_1.id], removed=[{"lot": old.id, "faulty": False}]
            )
        )
        operation = self.job.isp_operation_id
        self.assertEqual(self.job.isp_picking_ids, operation)
        self.assertEqual(operation.state, "done")
        self.assertEqual(
            sorted(
                (m.product_id.name, m.location_id.usage, m.quantity)
                for m in operation.move_ids
                if m.state == "done"
            ),
            sorted(
                [
                    ("Test ONT", "internal", 1.0),
                    ("Test ONT", "customer", 1.0),
                    ("Test SC/APC Patch Cord", "internal", 2.0),
                ]
            ),
        )
        self.assertEqual(self._qty(self.ont, self.van, old), 1.0)

    def test_unplanned_material_is_added_to_the_operation(self):
        job = self._create_job(job_type=self.env["isp.job.type"].create({"name": "Repair"}))
        job.with_user(self.technician_user).action_isp_complete(
            {"lines": [{"product_id": self.patch_cord.id, "qty_used": 1}]}
        )
        self.assertRecordValues(
            job.isp_material_ids,
            [{"product_id": self.patch_cord.id, "quantity": 1.0, "state": "done"}],
        )
        self.assertEqual(self._qty(self.patch_cord, self.van), 4.0)

    def test_units_set_aside_for_another_job_can_be_used_on_site(self):
        """The van holds 5 cords, all set aside for another job: the technician still
        uses 2 on this one; the other job's reservation shrinks to what is left."""
        other = self._create_job()
        self._material(other, self.patch_cord).product_uom_qty = 5.0
        other.with_user(self.technician_user).action_isp_issue_materials()
        self.assertEqual(self._material(other, self.patch_cord).quantity, 5.0)
        self.job_as_tech.action_isp_complete(self._complete_values(self.job, patch_cords=2.0))
        self.assertEqual(self._qty(self.patch_cord, self.van), 3.0)
        self.assertEqual(self._material(other, self.patch_cord).quantity, 3.0)
        with self.assertRaises(UserError):
            other.with_user(self.technician_user).action_isp_complete(
                self._complete_values(other, patch_cords=4.0)
            )

    def test_planned_serial_item_not_installed_needs_a_reason(self):
        values = self._complete_values(self.job, no_serial_reason="  ")
        before = (self._qty(self.patch_cord, self.van), self.job.isp_job_state)
        with self.assertRaises(UserError) as refusal:
            self.job_as_tech.action_isp_complete(values)
        self.assertIn("Test ONT", str(refusal.exception))
        self.env.invalidate_all()
        self.assertEqual((self._qty(self.patch_cord, self.van), self.job.isp_job_state), before)
        values["no_serial_reason"] = "Customer kept their own ONT"
        self.job_as_tech.action_isp_complete(values)
        self.assertEqual(self.job.isp_job_state, "done")
        bodies = "".join(self.job.message_ids.mapped("body"))
        self.assertIn("Completed without installing Test ONT: Customer kept their own ONT", bodies)
