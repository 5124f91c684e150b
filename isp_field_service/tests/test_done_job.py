from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestDoneJob(IspFieldServiceCommon):
    """A completed job is done: only an Inventory Administrator changes or archives it,
    giving a reason. A technician takes equipment back or swaps it only on an open job
    of theirs at the customer."""

    def _complete(self):
        self.job_as_tech.action_isp_complete(
            self._complete_values(self.job, lots=[self.ont_lot_1.id])
        )
        self.assertEqual(self.job.isp_job_state, "done")
        self._forget_done_now()

    def _job_state(self):
        self.env.invalidate_all()
        return (
            self.job.read(["partner_id", "isp_job_state", "stage_id", "active", "isp_latitude"]),
            self.job.isp_material_ids.read(["product_uom_qty", "quantity", "state"]),
            self._quants(self.ont, self.patch_cord),
        )

    def _assert_refused(self, error, call, text=""):
        before = self._job_state()
        with self.assertRaises(error) as refusal:  # rolled back, as the RPC call would be
            call()
        self.assertIn(text, str(refusal.exception))
        self.assertEqual(self._job_state(), before)

    # -- done is done -----------------------------------------------------------------
    def test_completed_job_is_locked_for_the_office(self):
        self._complete()
        for user in (self.storekeeper_user, self.manager_user):
            job = self.job.with_user(user)
            self._assert_refused(UserError, lambda job=job: job.write({"partner_id": False}))
            self._assert_refused(UserError, lambda job=job: job.write({"isp_latitude": 1.0}))
            self._assert_refused(UserError, lambda job=job: job.write({"active": False}))
            self._assert_refused(
                UserError, lambda job=job: job.isp_material_ids.write({"quantity": 9})
            )
            self._assert_refused(UserError, job.unlink)
        self.job.with_user(self.storekeeper_user).description = "<p>Customer happy</p>"
        self.assertIn("Customer happy", self.job.description)

    def test_completed_jobs_materials_stay_with_the_job(self):
        """The done moves and operation of a completed job stay the job's (its cost and
        the stock-out report read them), and keep their customer."""
        self._complete()
        done = self.job.isp_material_ids.filtered(lambda move: move.state == "done")
        operation = done.picking_id
        self.assertTrue(done and operation)
        other_job = self._create_job()
        for user in (self.storekeeper_user, self.manager_user):
            moves, picking = done.with_user(user), operation.with_user(user)
            self._assert_refused(UserError, lambda m=moves: m.write({"isp_task_id": False}))
            self._assert_refused(
                UserError, lambda p=picking: p.write({"isp_task_id": other_job.id})
            )
            self._assert_refused(
                UserError, lambda p=picking: p.write({"partner_id": self.other_customer.id})
            )
        self.assertEqual(done.isp_task_id, self.job)
        self.assertEqual(operation.isp_task_id, self.job)
        self.assertEqual(self.job.isp_material_cost, sum(done.mapped("value")))

    def test_administrator_archives_a_completed_job_with_a_reason(self):
        self._complete()
        self._assert_refused(
            AccessError,
            lambda: self.job.with_user(self.storekeeper_user).action_isp_remove_done("Dup"),
        )
        self.job.with_user(self.manager_user).action_isp_remove_done("Entered twice")
        self.assertRecordValues(self.job, [{"active": False, "isp_job_state": "done"}])
        self.assertEqual(self.ont_lot_1.isp_task_id, self.job, "the install record stands")
        body = self.job.message_ids[0].body
        self.assertIn("Entered twice", body)
        self.assertIn(self.manager_user.name, body)

    def test_install_record_job_link_written_only_by_operations(self):
        self._complete()
        self.assertEqual(self.ont_lot_1.isp_task_id, self.job)
        other_job = self._create_job()
        with self.assertRaises(UserError):
            self.ont_lot_1.with_user(self.manager_user).isp_task_id = other_job
        self.assertEqual(self.ont_lot_1.isp_task_id, self.job)

    # -- take-back and swap need an open job ----------------------------------------------
    def _install_at_other_customer(self, lot):
        lot._isp_install(self.technician, self.other_customer)
        return lot

    def test_take_back_without_a_job_refused_to_a_technician(self):
        lot = self._install_at_other_customer(self.ont_lot_2)
        lot_as_tech = lot.with_user(self.technician_user)
        self._assert_refused(
            AccessError,
            lambda: lot_as_tech.action_isp_take_back(self.technician.id, self.other_customer.id),
            "no open job",
        )
        self._assert_refused(
            AccessError,
            lambda: lot_as_tech.action_isp_swap(self.ont_lot_1.id, self.technician.id),
            "no open job",
        )
        # the acting user decides, also when the stock part runs as the system
        self._assert_refused(
            AccessError,
            lambda: lot_as_tech.sudo()._isp_take_back(self.technician, self.other_customer),
            "no open job",
        )
        self.assertRecordValues(
            lot, [{"isp_state": "installed", "isp_customer_id": self.other_customer.id}]
        )

    def test_take_back_on_an_open_job_or_by_a_storekeeper(self):
        lot = self._install_at_other_customer(self.ont_lot_2)
        job = self._create_job(customer=self.other_customer)
        lot.with_user(self.technician_user).action_isp_take_back(
            self.technician.id, self.other_customer.id
        )
        self.assertEqual(self._qty(self.ont, self.van, lot), 1)
        # a completed job does not count; a storekeeper needs none
        job.sudo()._isp_set_job_state("done")
        lot = self._install_at_other_customer(lot)
        self._assert_refused(
            AccessError,
            lambda: lot.with_user(self.technician_user).action_isp_take_back(
                self.technician.id, self.other_customer.id
            ),
            "no open job",
        )
        lot.with_user(self.storekeeper_user).action_isp_take_back(
            self.technician.id, self.other_customer.id, faulty=True
        )
        self.assertEqual(lot.isp_state, "faulty")

    def test_another_technicians_job_does_not_count(self):
        lot = self._install_at_other_customer(self.ont_lot_2)
        self._create_job(technician=self.other_technician, customer=self.other_customer)
        self._assert_refused(
            AccessError,
            lambda: lot.with_user(self.technician_user).action_isp_take_back(
                self.technician.id, self.other_customer.id
            ),
            "no open job",
        )
