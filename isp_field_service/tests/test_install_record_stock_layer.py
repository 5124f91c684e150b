from odoo.tests import Form, tagged

from .common import IspFieldServiceCommon

RECORD_FIELDS = [
    "isp_state",
    "isp_customer_id",
    "isp_installed_by_id",
    "isp_latitude",
    "isp_longitude",
    "isp_rx_power_dbm",
    "isp_olt_port",
    "isp_task_id",
]


@tagged("post_install", "-at_install")
class TestJobInstallRecordStockLayer(IspFieldServiceCommon):
    """A serial delivered on a job's transfer records the job in its install record
    (written where stock moves, stock.move.line._action_done), whoever validates the
    transfer; a return or a take-back clears it with the rest of the record."""

    def _install_line(self, lot):
        return lot.isp_move_line_ids.filtered(
            lambda line: line.location_dest_id.usage == "customer"
        )

    def test_job_install_matches_walk_in_install(self):
        self.job_as_tech.action_isp_complete(
            self._complete_values(
                self.job, lots=[self.ont_lot_1.id], rx_power_dbm=-20.4, olt_port="OLT-TBR-01 0/1/5"
            )
        )
        with Form(self.env["isp.install.wizard"].with_user(self.technician_user)) as form:
            form.technician_id = self.technician
            form.partner_id = self.customer
            form.lot_id = self.ont_lot_2
            form.latitude = -1.2921
            form.longitude = 36.8219
            form.rx_power_dbm = -20.4
            form.olt_port = "OLT-TBR-01 0/1/5"
        form.record.action_install()
        record = {
            "isp_state": "installed",
            "isp_customer_id": self.customer.id,
            "isp_installed_by_id": self.technician.id,
            "isp_latitude": -1.2921,
            "isp_longitude": 36.8219,
            "isp_rx_power_dbm": -20.4,
            "isp_olt_port": "OLT-TBR-01 0/1/5",
        }
        self.assertRecordValues(
            self.ont_lot_1 | self.ont_lot_2,
            [dict(record, isp_task_id=self.job.id), dict(record, isp_task_id=False)],
        )
        job_line = self._install_line(self.ont_lot_1)
        self.assertEqual(job_line.picking_id.isp_task_id, self.job)
        # the validation's time (Odoo stamps the line a moment later in the same call)
        self.assertLessEqual(
            abs((self.ont_lot_1.isp_installed_date - job_line.date).total_seconds()), 5
        )
        installs = self.ont_lot_1.message_ids.filtered(lambda m: "Installed at" in m.body)
        self.assertEqual(len(installs), 1, "one chatter line per serial")
        self.assertIn(job_line.picking_id.name, installs.body)

    def test_job_position_when_the_completion_gives_none(self):
        self.job.write({"isp_latitude": -4.05, "isp_longitude": 39.66})
        values = self._complete_values(self.job, lots=[self.ont_lot_1.id])
        del values["latitude"], values["longitude"]
        self.job_as_tech.action_isp_complete(values)
        self.assertRecordValues(
            self.ont_lot_1,
            [{"isp_task_id": self.job.id, "isp_latitude": -4.05, "isp_longitude": 39.66}],
        )

    def test_storekeeper_delivery_on_a_job_transfer_records_the_job(self):
        """A plain delivery filed on the job (no ISP operation) records the job too."""
        lot = self.env["stock.lot"].search([("name", "=", "BR-ONT-1")])
        picking = self._delivery(
            lot, self.branch_stock, partner=self.customer, isp_task_id=self.job.id
        )
        picking.button_validate()
        self.assertRecordValues(
            lot,
            [
                {
                    "isp_state": "installed",
                    "isp_customer_id": self.customer.id,
                    "isp_installed_by_id": False,
                    "isp_task_id": self.job.id,
                }
            ],
        )

    def test_return_of_a_job_install_clears_the_job(self):
        self.job_as_tech.action_isp_complete(
            self._complete_values(self.job, lots=[self.ont_lot_1.id])
        )
        self.assertEqual(self.ont_lot_1.isp_task_id, self.job)
        returned = self._return_of(self._install_line(self.ont_lot_1).picking_id)
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        self.assertRecordValues(
            self.ont_lot_1,
            [
                {
                    "isp_state": "in_stock",
                    "isp_customer_id": False,
                    "isp_installed_by_id": False,
                    "isp_latitude": 0.0,
                    "isp_longitude": 0.0,
                    "isp_task_id": False,
                }
            ],
        )

    def test_job_take_back_clears_the_job(self):
        self.job_as_tech.action_isp_complete(
            self._complete_values(self.job, lots=[self.ont_lot_1.id])
        )
        follow_up = self._create_job(name="Test follow-up")
        follow_up.with_user(self.technician_user).action_isp_complete(
            {
                "lines": [],
                "removed": [{"lot": self.ont_lot_1.id, "faulty": True}],
                "no_serial_reason": "Faulty unit removed; the new one comes next visit",
            }
        )
        self.assertRecordValues(
            self.ont_lot_1,
            [
                {
                    "isp_state": "faulty",
                    "isp_customer_id": False,
                    "isp_installed_by_id": False,
                    "isp_task_id": False,
                }
            ],
        )
