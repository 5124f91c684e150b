import base64

from odoo.tests import Form, tagged

from .common import IspFieldServiceCommon

PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestSerialRecordJob(IspFieldServiceCommon):
    """Issue 13, point 6: a serial installed by a job shows the job and its photos in
    the install block, for the office and for the technician."""

    def _complete(self):
        self.job_as_tech.action_isp_complete(
            self._complete_values(self.job, lots=[self.ont_lot_1.id])
        )

    def _photo(self, name, record, raw=PIXEL):
        return self.env["ir.attachment"].create(
            {"name": name, "raw": raw, "res_model": record._name, "res_id": record.id}
        )

    def test_job_and_its_photos_on_the_serial(self):
        self._complete()
        site = self._photo("site.png", self.job)
        self._photo("report.txt", self.job, raw=b"text, not a photo")
        label = self._photo("label.png", self.ont_lot_1)
        other_job = self._create_job(name="Another job")
        self._photo("elsewhere.png", other_job)
        self.assertEqual(self.ont_lot_1.isp_task_id, self.job)
        self.assertEqual(self.ont_lot_1.isp_photo_ids, site | label)
        # the technician who did the job sees the same on his phone
        as_tech = self.ont_lot_1.with_user(self.technician_user)
        self.assertEqual(as_tech.isp_photo_ids, (site | label).with_user(self.technician_user))
        form = Form(self.ont_lot_1.with_user(self.storekeeper_user))
        self.assertFalse(form._get_modifier("isp_task_id", "invisible"))
        self.assertFalse(form._get_modifier("isp_photo_ids", "invisible"))

    def test_taken_back_serial_keeps_only_its_own_photos(self):
        self._complete()
        self._photo("site.png", self.job)
        label = self._photo("label.png", self.ont_lot_1)
        follow_up = self._create_job(name="Test follow-up")
        follow_up.with_user(self.technician_user).action_isp_complete(
            {
                "lines": [],
                "removed": [{"lot": self.ont_lot_1.id, "faulty": True}],
                "no_serial_reason": "Faulty unit removed; the new one comes next visit",
            }
        )
        self.assertFalse(self.ont_lot_1.isp_task_id)
        self.assertEqual(self.ont_lot_1.isp_photo_ids, label)
        form = Form(self.ont_lot_1.with_user(self.storekeeper_user))
        self.assertTrue(form._get_modifier("isp_task_id", "invisible"))
