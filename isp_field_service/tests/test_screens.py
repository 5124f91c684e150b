from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestTechnicianHomeAction(IspFieldServiceCommon):
    """A technician lands on My Jobs after signing in: the home action is set by the
    server whenever a user becomes a technician, never over one of the user's own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.my_jobs = cls.env.ref("isp_field_service.project_task_action_my_isp_jobs")
        cls.technician_group = cls.env.ref("isp_inventory.group_isp_technician")

    def test_created_as_technician(self):
        self.assertEqual(self.technician_user.action_id.id, self.my_jobs.id)
        self.assertFalse(self.storekeeper_user.action_id)

    def test_given_the_group_on_the_user(self):
        user = new_test_user(self.env, login="isp_home_later", groups="base.group_user")
        self.assertFalse(user.action_id)
        user.group_ids = [Command.link(self.technician_group.id)]
        self.assertEqual(user.action_id.id, self.my_jobs.id)

    def test_given_the_group_through_the_group(self):
        user = new_test_user(self.env, login="isp_home_group", groups="base.group_user")
        self.technician_group.user_ids = [Command.link(user.id)]
        self.assertEqual(user.action_id.id, self.my_jobs.id)

    def test_own_home_action_kept(self):
        own = self.env.ref("isp_field_service.project_task_action_isp_jobs")
        user = new_test_user(self.env, login="isp_home_own", groups="base.group_user")
        user.action_id = own.id
        user.group_ids = [Command.link(self.technician_group.id)]
        self.assertEqual(user.action_id.id, own.id)

    def test_existing_technicians_on_update(self):
        self.technician_user.action_id = False
        self.env["res.users"]._isp_set_technicians_home_action()
        self.assertEqual(self.technician_user.action_id.id, self.my_jobs.id)
        self.assertFalse(self.storekeeper_user.action_id)


@tagged("post_install", "-at_install")
class TestCompleteWizardMissingSerial(IspFieldServiceCommon):
    """The job's plan has an ONT (serial-tracked): completing it without a serial
    scanned needs a reason, recorded on the job; without one nothing changes."""

    def _wizard(self):
        action = self.job_as_tech.action_isp_open_complete_wizard()
        return (
            self.env["isp.job.complete.wizard"]
            .with_user(self.technician_user)
            .with_context(**action["context"])
            .create({})
        )

    def _snapshot(self):
        self.env.invalidate_all()
        return {
            "state": self.job.isp_job_state,
            "van_cords": self._qty(self.patch_cord, self.van),
            "van_onts": self._qty(self.ont, self.van, self.ont_lot_1)
            + self._qty(self.ont, self.van, self.ont_lot_2),
            "materials": [(m.state, m.quantity) for m in self.job.isp_material_ids],
            "messages": self.job.message_ids,
        }

    def test_no_serial_scanned_refused_without_reason(self):
        wizard = self._wizard()
        self.assertIn(self.ont.display_name, wizard.missing_serials)
        before = self._snapshot()
        with self.assertRaisesRegex(UserError, "Scan the serial"):
            wizard.action_confirm()
        self.assertEqual(self._snapshot(), before)
        wizard.missing_serial_reason = "   "
        with self.assertRaisesRegex(UserError, "Scan the serial"):
            wizard.action_confirm()
        self.assertEqual(self._snapshot(), before)

    def test_no_serial_scanned_with_reason_completes_and_records_it(self):
        wizard = self._wizard()
        wizard.missing_serial_reason = "Customer kept his own ONT"
        wizard.action_confirm()
        self.assertEqual(self.job.isp_job_state, "done")
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot_1), 1.0)
        self.assertEqual(self._material(self.job, self.patch_cord).quantity, 2.0)
        note = self.job.message_ids.filtered(
            lambda m: "Completed without installing" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Customer kept his own ONT", note.body)
        self.assertEqual(note.author_id, self.technician_user.partner_id)

    def test_serial_scanned_needs_no_reason(self):
        wizard = self._wizard()
        wizard.installed_lot_ids = self.ont_lot_1
        self.assertFalse(wizard.missing_serials)
        wizard.action_confirm()
        self.assertEqual(self.job.isp_job_state, "done")
        self.assertEqual(self.ont_lot_1.isp_customer_id, self.customer)
        self.assertFalse(self.job.message_ids.filtered(lambda m: "fewer serials" in (m.body or "")))
