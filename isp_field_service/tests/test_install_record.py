from odoo.exceptions import UserError, ValidationError
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

    # ------------------------------------------------------------------
    # A reading per serial: two ONTs on one job keep their own
    def test_two_onts_keep_their_own_reading(self):
        self.job_as_tech.action_isp_complete(
            self._complete_values(
                self.job,
                lots=[
                    {"lot": self.ont_lot_1.id, "rx_power_dbm": -18.5, "olt_port": "OLT-A 0/1/1"},
                    {"lot": self.ont_lot_2.name, "rx_power_dbm": -24.25},
                ],
                rx_power_dbm=-20.0,
                olt_port="OLT-A 0/1/9",
            )
        )
        self.assertRecordValues(
            self.ont_lot_1 | self.ont_lot_2,
            [
                {
                    "isp_state": "installed",
                    "isp_task_id": self.job.id,
                    "isp_rx_power_dbm": -18.5,
                    "isp_olt_port": "OLT-A 0/1/1",
                },
                {
                    # its own rx power; the job's port, none given for it
                    "isp_state": "installed",
                    "isp_task_id": self.job.id,
                    "isp_rx_power_dbm": -24.25,
                    "isp_olt_port": "OLT-A 0/1/9",
                },
            ],
        )

    def test_job_reading_applies_to_serials_without_their_own(self):
        self.job_as_tech.action_isp_complete(
            self._complete_values(
                self.job,
                lots=[self.ont_lot_1.id, {"lot": self.ont_lot_2.id, "olt_port": "OLT-A 0/2/2"}],
                rx_power_dbm=-21.0,
                olt_port="OLT-A 0/2/1",
            )
        )
        self.assertRecordValues(
            self.ont_lot_1 | self.ont_lot_2,
            [
                {"isp_rx_power_dbm": -21.0, "isp_olt_port": "OLT-A 0/2/1"},
                {"isp_rx_power_dbm": -21.0, "isp_olt_port": "OLT-A 0/2/2"},
            ],
        )

    def _assert_nothing_installed(self, pickings_before):
        self.env.invalidate_all()
        self.assertEqual(self._qty(self.patch_cord, self.van), 5.0)
        for lot in self.ont_lot_1 | self.ont_lot_2:
            self.assertEqual(self._qty(self.ont, self.van, lot), 1.0)
        self.assertRecordValues(
            self.ont_lot_1 | self.ont_lot_2,
            [{"isp_customer_id": False, "isp_rx_power_dbm": 0.0, "isp_olt_port": False}] * 2,
        )
        self.assertEqual(self.job.isp_job_state, "scheduled")
        self.assertEqual(self.job.isp_picking_ids, pickings_before)

    def test_bad_reading_per_serial_refused_nothing_changed(self):
        pickings_before = self.job.isp_picking_ids
        bad = [
            (ValidationError, {"lot": self.ont_lot_2.id, "rx_power_dbm": 12.0}),
            (ValidationError, {"lot": self.ont_lot_2.id, "rx_power_dbm": -45}),
            (UserError, {"lot": self.ont_lot_2.id, "rx_power_dbm": "strong"}),
            (UserError, {"lot": self.ont_lot_2.id, "rx_power": -20.0}),
            (UserError, {"rx_power_dbm": -20.0}),
        ]
        for exception, item in bad:
            with self.subTest(item=item), self.assertRaises(exception):
                self.job_as_tech.action_isp_complete(
                    self._complete_values(
                        self.job,
                        lots=[{"lot": self.ont_lot_1.id, "rx_power_dbm": -19.0}, item],
                        rx_power_dbm=-20.0,
                    )
                )
            self._assert_nothing_installed(pickings_before)

    def test_stock_layer_refuses_bad_reading_per_serial(self):
        """The per-serial readings reach the stock layer in ``isp_install_values``
        (``by_lot``) and are checked there too."""
        MoveLine = self.env["stock.move.line"]
        given = MoveLine.with_context(
            isp_install_values={"by_lot": {str(self.ont_lot_1.id): {"rx_power_dbm": "-19.5"}}}
        )._isp_given_install_values()
        self.assertEqual(
            given["by_lot"], {self.ont_lot_1.id: {"rx_power_dbm": -19.5, "olt_port": False}}
        )
        for exception, by_lot in (
            (ValidationError, {self.ont_lot_1.id: {"rx_power_dbm": 9.0}}),
            (UserError, {self.ont_lot_1.id: {"rx_power_dbm": "strong"}}),
            (UserError, [1]),
            (UserError, {1: "x"}),
        ):
            with self.subTest(by_lot=by_lot), self.assertRaises(exception):
                MoveLine.with_context(
                    isp_install_values={"by_lot": by_lot}
                )._isp_given_install_values()

    def test_wizard_reading_per_serial(self):
        action = self.job_as_tech.action_isp_open_complete_wizard()
        form = Form(
            self.env["isp.job.complete.wizard"]
            .with_user(self.technician_user)
            .with_context(**action["context"])
        )
        form.installed_lot_ids.add(self.ont_lot_1)
        self.assertFalse(form.several_serials)
        self.assertEqual(len(form.reading_ids), 0)
        form.olt_port = "OLT-W 0/3/2"  # typed with one serial: the second one starts from it
        form.installed_lot_ids.add(self.ont_lot_2)
        self.assertTrue(form.several_serials)
        self.assertEqual(len(form.reading_ids), 2)
        for index in range(2):
            with form.reading_ids.edit(index) as reading:
                if reading.lot_id == self.ont_lot_1:
                    reading.rx_power_dbm = -17.5
                    reading.olt_port = "OLT-W 0/3/1"
                else:
                    self.assertEqual(reading.olt_port, "OLT-W 0/3/2")
                    reading.rx_power_dbm = -26.0
        form.save().action_confirm()
        self.assertRecordValues(
            self.ont_lot_1 | self.ont_lot_2,
            [
                {
                    "isp_customer_id": self.customer.id,
                    "isp_rx_power_dbm": -17.5,
                    "isp_olt_port": "OLT-W 0/3/1",
                },
                {
                    "isp_customer_id": self.customer.id,
                    "isp_rx_power_dbm": -26.0,
                    "isp_olt_port": "OLT-W 0/3/2",
                },
            ],
        )
