from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestInstallRecord(IspFieldServiceCommon):
    """Job completion records the ONT's rx power and OLT/PON port on the serials."""

    def test_complete_records_rx_power_and_olt_port(self):
        self.job_as_tech.action_isp_complete(
            self._complete_values(
                self.job, lots=[self.ont_lot_1.id], rx_power_dbm=-20.4, olt_port="OLT-TBR-01 0/1/5"
            )
        )
        self.assertRecordValues(
            self.ont_lot_1,
            [
                {
                    "isp_state": "installed",
                    "isp_task_id": self.job.id,
                    "isp_rx_power_dbm": -20.4,
                    "isp_olt_port": "OLT-TBR-01 0/1/5",
                }
            ],
        )

    def test_wizard_records_rx_power_and_olt_port(self):
        action = self.job_as_tech.action_isp_open_complete_wizard()
        form = Form(
            self.env["isp.job.complete.wizard"]
            .with_user(self.technician_user)
            .with_context(**action["context"])
        )
        form.installed_lot_ids.add(self.ont_lot_2)
        form.rx_power_dbm = -23.75
        form.olt_port = "OLT-TBR-01 0/1/6"
        form.save().action_confirm()
        self.assertRecordValues(
            self.ont_lot_2,
            [
                {
                    "isp_customer_id": self.customer.id,
                    "isp_rx_power_dbm": -23.75,
                    "isp_olt_port": "OLT-TBR-01 0/1/6",
                }
            ],
        )

    def test_rx_power_out_of_range_refused_nothing_changed(self):
        pickings_before = self.job.isp_picking_ids
        with self.assertRaises(ValidationError):
            self.job_as_tech.action_isp_complete(
                self._complete_values(self.job, lots=[self.ont_lot_1.id], rx_power_dbm=-52.0)
            )
        self.env.invalidate_all()
        self.assertEqual(self._qty(self.patch_cord, self.van), 5.0)
        self.assertEqual(self._qty(self.ont, self.van, self.ont_lot_1), 1.0)
        self.assertRecordValues(
            self.ont_lot_1, [{"isp_customer_id": False, "isp_rx_power_dbm": 0.0}]
        )
        self.assertEqual(self.job.isp_job_state, "scheduled")
        self.assertEqual(self.job.isp_picking_ids, pickings_before)
