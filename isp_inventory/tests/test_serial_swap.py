from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import IspInventoryCommon

OLT_PORT = "OLT-TBR-01 0/1/3"


@tagged("post_install", "-at_install")
class TestSerialSwap(IspInventoryCommon):
    """One-step CPE swap (faulty unit out to quarantine, van unit in) and the install
    record (rx power, OLT port)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_location = cls.customer.property_stock_customer
        cls.quarantine = cls.branch._isp_get_quarantine_location()
        cls.old = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="ONT-SW-OLD")
        cls.new = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="ONT-SW-NEW")
        cls.old._isp_install(
            cls.technician,
            cls.customer,
            latitude=-1.2921,
            longitude=36.8219,
            rx_power_dbm=-18.2,
            olt_port=OLT_PORT,
        )
        cls.other_tech_user = cls.env["res.users"].create(
            {
                "name": "Other Swap Tech",
                "login": "isp_swap_other_tech",
                "group_ids": [(6, 0, [cls.env.ref("isp_inventory.group_isp_technician").id])],
            }
        )
        cls.other_technician = cls.env["isp.technician"].create(
            {"user_id": cls.other_tech_user.id, "warehouse_id": cls.branch.id}
        )
        cls._give_open_job(cls.technician, cls.customer)

    def _snapshot(self, *lots):
        """Where the serials are and what they say, plus the number of transfers."""
        self.env.invalidate_all()
        lots = (self.old | self.new).union(*lots)
        return {
            "pickings": self.env["stock.picking"].search_count([]),
            "quants": {
                lot.name: sorted(
                    (q.location_id.id, q.quantity) for q in lot.quant_ids if q.quantity
                )
                for lot in lots
            },
            "lots": lots.read(
                [
                    "isp_state",
                    "isp_customer_id",
                    "isp_installed_by_id",
                    "isp_latitude",
                    "isp_longitude",
                    "isp_rx_power_dbm",
                    "isp_olt_port",
                ]
            ),
        }

    def _assert_refused(self, error, call, *lots):
        before = self._snapshot(*lots)
        with self.assertRaises(error):
            call()
        self.assertEqual(self._snapshot(*lots), before, "a refused swap changes nothing")

    # -- the swap --------------------------------------------------------------------
    def test_swap_moves_both_units(self):
        back_id, install_id = self.old.with_user(self.technician_user).action_isp_swap(
            self.new.id, self.technician.id, reason="No optical signal", rx_power_dbm=-19.5
        )
        back, install = self.env["stock.picking"].browse([back_id, install_id])
        self.assertRecordValues(
            back | install,
            [
                {
                    "state": "done",
                    "location_id": self.customer_location.id,
                    "location_dest_id": self.quarantine.id,
                },
                {
                    "state": "done",
                    "location_id": self.van.id,
                    "location_dest_id": self.customer_location.id,
                },
            ],
        )
        self.assertEqual(self._qty(self.ont, self.customer_location, self.old), 0)
        self.assertEqual(self._qty(self.ont, self.quarantine, self.old), 1)
        self.assertEqual(self._qty(self.ont, self.van, self.new), 0)
        self.assertEqual(self._qty(self.ont, self.customer_location, self.new), 1)
        self.assertRecordValues(
            self.old,
            [
                {
                    "isp_state": "faulty",
                    "isp_customer_id": False,
                    "isp_rx_power_dbm": 0.0,
                    "isp_olt_port": False,
                }
            ],
        )
        self.assertRecordValues(
            self.new,
            [
                {
                    "isp_state": "installed",
                    "isp_customer_id": self.customer.id,
                    "isp_installed_by_id": self.technician.id,
                    "isp_latitude": -1.2921,
                    "isp_longitude": 36.8219,
                    "isp_rx_power_dbm": -19.5,
                    "isp_olt_port": OLT_PORT,
                }
            ],
        )
        old_notes = " ".join(self.old.message_ids.mapped("body"))
        new_notes = " ".join(self.new.message_ids.mapped("body"))
        self.assertIn("ONT-SW-NEW", old_notes)
        self.assertIn("No optical signal", old_notes)
        self.assertIn("ONT-SW-OLD", new_notes)

    def test_swap_with_new_position_and_port(self):
        self.old._isp_swap(
            self.new,
            self.technician,
            latitude=-4.05,
            longitude=39.66,
            olt_port="OLT-TBR-02 0/2/7",
        )
        self.assertRecordValues(
            self.new,
            [
                {
                    "isp_latitude": -4.05,
                    "isp_longitude": 39.66,
                    "isp_olt_port": "OLT-TBR-02 0/2/7",
                    "isp_rx_power_dbm": 0.0,
                }
            ],
        )

    def test_swap_for_another_product_class(self):
        router = self._put_in_stock(self.router, self.van, 1, lot_name="RTR-SW-1")
        self.old._isp_swap(router, self.technician)
        self.assertEqual(self._qty(self.router, self.customer_location, router), 1)
        self.assertRecordValues(
            router + self.old,
            [
                {"isp_state": "installed", "isp_customer_id": self.customer.id},
                {"isp_state": "faulty", "isp_customer_id": False},
            ],
        )

    def test_technician_swaps_a_unit_another_technician_installed(self):
        """Whoever attends the customer swaps the unit, whoever installed it."""
        theirs = self._put_in_stock(
            self.ont, self.other_technician.vehicle_location_id, 1, lot_name="ONT-SW-THEIRS"
        )
        theirs._isp_install(self.other_technician, self.other_customer)
        self._give_open_job(self.technician, self.other_customer)
        theirs.with_user(self.technician_user).action_isp_swap(self.new.id, self.technician.id)
        self.assertEqual(self._qty(self.ont, self.quarantine, theirs), 1)
        self.assertRecordValues(theirs, [{"isp_state": "faulty", "isp_customer_id": False}])
        self.assertRecordValues(
            self.new,
            [
                {
                    "isp_state": "installed",
                    "isp_customer_id": self.other_customer.id,
                    "isp_installed_by_id": self.technician.id,
                }
            ],
        )

    # -- refusals: nothing changed ---------------------------------------------------
    def test_new_serial_not_in_van_refused(self):
        branch_lot = self._put_in_stock(self.ont, self.branch_stock, 1, lot_name="ONT-SW-BR")
        self._assert_refused(
            UserError,
            lambda: self.old.with_user(self.technician_user).action_isp_swap(
                branch_lot.id, self.technician.id
            ),
            branch_lot,
        )

    def test_new_serial_in_another_van_refused(self):
        theirs = self._put_in_stock(
            self.ont, self.other_technician.vehicle_location_id, 1, lot_name="ONT-SW-VAN2"
        )
        self._assert_refused(UserError, lambda: self.old._isp_swap(theirs, self.technician), theirs)

    def test_old_serial_not_installed_refused(self):
        spare = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-SW-SPARE")
        self._assert_refused(
            UserError,
            lambda: spare.with_user(self.technician_user).action_isp_swap(
                self.new.id, self.technician.id
            ),
            spare,
        )

    def test_new_serial_already_installed_refused(self):
        elsewhere = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-SW-ELSEWHERE")
        elsewhere._isp_install(self.technician, self.other_customer)
        self._assert_refused(
            UserError, lambda: self.old._isp_swap(elsewhere, self.technician), elsewhere
        )

    def test_swap_for_itself_refused(self):
        self._assert_refused(UserError, lambda: self.old._isp_swap(self.old, self.technician))

    def test_new_serial_not_serial_tracked_refused(self):
        drums = self.env["product.product"].create(
            {"name": "Test Fibre Drum", "is_storable": True, "tracking": "lot"}
        )
        drum = self._put_in_stock(drums, self.van, 1, lot_name="DRUM-SW-1")
        self._assert_refused(UserError, lambda: self.old._isp_swap(drum, self.technician), drum)

    def test_rx_power_out_of_range_refused(self):
        for rx_power in (-45.0, 6.0):
            self._assert_refused(
                ValidationError,
                lambda rx=rx_power: self.old.with_user(self.technician_user).action_isp_swap(
                    self.new.id, self.technician.id, rx_power_dbm=rx
                ),
            )

    def test_technician_cannot_swap_as_another_technician(self):
        """`_isp_check_service_call`: only the technician themself or a storekeeper."""
        self._assert_refused(
            AccessError,
            lambda: self.old.with_user(self.other_tech_user).action_isp_swap(
                self.new.id, self.technician.id
            ),
        )

    def test_install_failing_after_the_take_back_rolls_it_back(self):
        """A failure in the install step, after the take-back has run (here a bad
        install date, refused when written on the serial, after both transfers were
        validated), undoes the take-back too. Caught without assertRaises, whose own
        savepoint would hide a partial swap."""
        before = self._snapshot()
        error = None
        try:
            self.old._isp_swap(self.new, self.technician, installed_date="not a date")
        except ValueError as exc:
            error = exc
        self.assertIsInstance(error, ValueError, "an unreadable install date is refused")
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(self._qty(self.ont, self.customer_location, self.old), 1)
        self.assertEqual(self._qty(self.ont, self.van, self.new), 1)
        self.assertEqual(self.old.isp_state, "installed")

    # -- the wizard ------------------------------------------------------------------
    def test_swap_wizard_defaults_and_swaps(self):
        wizard = self.env["isp.swap.wizard"].with_user(self.technician_user)
        with Form(wizard.with_context(default_old_lot_id=self.old.id)) as form:
            self.assertEqual(form.technician_id, self.technician)
            self.assertEqual(form.partner_id, self.customer, "the old unit's customer")
            self.assertEqual(form.olt_port, OLT_PORT)
            self.assertEqual(form.latitude, -1.2921)
            form.new_lot_id = self.new
            form.reason = "Power supply dead"
            form.rx_power_dbm = -21.25
        form.record.action_swap()
        self.assertEqual(self._qty(self.ont, self.quarantine, self.old), 1)
        self.assertRecordValues(
            self.new,
            [
                {
                    "isp_customer_id": self.customer.id,
                    "isp_latitude": -1.2921,
                    "isp_longitude": 36.8219,
                    "isp_rx_power_dbm": -21.25,
                    "isp_olt_port": OLT_PORT,
                }
            ],
        )
        self.assertIn("Power supply dead", " ".join(self.old.message_ids.mapped("body")))

    def test_swap_wizard_other_customer_refused(self):
        wizard = self.env["isp.swap.wizard"].create(
            {
                "technician_id": self.technician.id,
                "partner_id": self.other_customer.id,
                "old_lot_id": self.old.id,
                "new_lot_id": self.new.id,
            }
        )
        self._assert_refused(UserError, wizard.action_swap)

    # -- the install record ----------------------------------------------------------
    def test_install_wizard_records_rx_power_and_olt_port(self):
        spare = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-SW-WZ")
        with Form(self.env["isp.install.wizard"].with_user(self.technician_user)) as form:
            form.partner_id = self.other_customer
            form.lot_id = spare
            form.rx_power_dbm = -17.8
            form.olt_port = "OLT-TBR-01 0/1/9"
        form.record.action_install()
        self.assertRecordValues(
            spare,
            [
                {
                    "isp_state": "installed",
                    "isp_rx_power_dbm": -17.8,
                    "isp_olt_port": "OLT-TBR-01 0/1/9",
                }
            ],
        )
        spare._isp_take_back(self.technician, self.other_customer)
        self.assertRecordValues(
            spare, [{"isp_customer_id": False, "isp_rx_power_dbm": 0.0, "isp_olt_port": False}]
        )

    def test_install_rx_power_out_of_range_refused(self):
        self._assert_refused(
            ValidationError,
            lambda: self.new.with_user(self.technician_user).action_isp_install(
                self.technician.id, self.other_customer.id, rx_power_dbm=-41.0
            ),
        )

    def test_rx_power_constraint_on_write(self):
        with self.assertRaises(ValidationError):
            self.old.write({"isp_rx_power_dbm": 12.0})
        self.assertEqual(self.old.isp_rx_power_dbm, -18.2)
