from datetime import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import IspInventoryCommon

RECORD_FIELDS = [
    "isp_state",
    "isp_customer_id",
    "isp_installed_date",
    "isp_installed_by_id",
    "isp_latitude",
    "isp_longitude",
    "isp_rx_power_dbm",
    "isp_olt_port",
]
# The descriptive values an operation gives (context key isp_install_values).
GIVEN = {
    "latitude": -1.2641,
    "longitude": 36.8035,
    "rx_power_dbm": -19.5,
    "olt_port": "OLT-TBR-01 0/1/4",
    "installed_date": "2026-03-02 09:30:00",
}


@tagged("post_install", "-at_install")
class TestInstallRecordStockLayer(IspInventoryCommon):
    """The install record of a serial is written where stock moves: any done move of the
    serial into a customer location sets it (customer, date, the van's technician, the
    operation's descriptive values), any done move out of one clears it; one chatter
    line per serial each time. A plain delivery, a walk-in install and a swap leave the
    same record; Odoo's return and the ISP take-back clear it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.tracking = "serial"
        cls.van_lots = [
            cls._put_in_stock(cls.ont, cls.van, 1, lot_name=f"ONT-SL-VAN-{index}")
            for index in range(1, 4)
        ]
        cls.branch_lot = cls._put_in_stock(cls.ont, cls.branch_stock, 1, lot_name="ONT-SL-BR-1")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls._give_open_job(cls.technician, cls.customer)

    def _expected(self, **values):
        """The install record GIVEN leaves at the customer from the technician's van."""
        return dict(
            {
                "isp_state": "installed",
                "isp_customer_id": self.customer.id,
                "isp_installed_date": datetime(2026, 3, 2, 9, 30),
                "isp_installed_by_id": self.technician.id,
                "isp_latitude": GIVEN["latitude"],
                "isp_longitude": GIVEN["longitude"],
                "isp_rx_power_dbm": GIVEN["rx_power_dbm"],
                "isp_olt_port": GIVEN["olt_port"],
            },
            **values,
        )

    def _cleared(self, state):
        return {
            "isp_state": state,
            "isp_customer_id": False,
            "isp_installed_date": False,
            "isp_installed_by_id": False,
            "isp_latitude": 0.0,
            "isp_longitude": 0.0,
            "isp_rx_power_dbm": 0.0,
            "isp_olt_port": False,
        }

    def _new_messages(self, lot, before):
        self.env.cr.flush()  # field tracking (if any) is posted at flush
        self.env.invalidate_all()
        return lot.message_ids - before

    def _snapshot(self, *lots):
        self.env.invalidate_all()
        return (
            self._quants(self.ont),
            [lot.read(RECORD_FIELDS) for lot in lots],
            [len(lot.message_ids) for lot in lots],
        )

    # -- into a customer location ----------------------------------------------------
    def test_plain_delivery_from_branch_by_storekeeper(self):
        lot = self.branch_lot
        before = lot.message_ids
        picking = self._delivery(lot, self.branch_stock, partner=self.customer)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        line = picking.move_line_ids
        self.assertRecordValues(
            lot,
            [
                {
                    "isp_state": "installed",
                    "isp_customer_id": self.customer.id,
                    "isp_installed_by_id": False,  # from a store, no technician
                    "isp_latitude": 0.0,
                    "isp_longitude": 0.0,
                    "isp_rx_power_dbm": 0.0,
                    "isp_olt_port": False,
                }
            ],
        )
        # The install date is the validation's (Odoo stamps the line's date a moment
        # later, in the same validation: a busy machine may cross a second).
        self.assertLessEqual(abs((lot.isp_installed_date - line.date).total_seconds()), 5)
        self.assertEqual(lot.location_id, self.customers)
        message = self._new_messages(lot, before)
        self.assertEqual(len(message), 1, "one chatter line per serial")
        self.assertIn("Installed at Test Customer on", message.body)
        self.assertIn(picking.name, message.body)
        self.assertNotIn("GPS", message.body)
        self.assertEqual(message.author_id, self.storekeeper_user.partner_id)

    def test_delivery_walk_in_install_and_swap_leave_the_same_record(self):
        first, second, third = self.van_lots
        # a storekeeper's plain delivery from the van, with the operation's values
        messages = first.message_ids
        picking = self._delivery(first, self.van, partner=self.customer)
        picking.with_context(isp_install_values=GIVEN).button_validate()
        self.assertRecordValues(first, [self._expected()])
        body = self._new_messages(first, messages).body
        self.assertIn(f"Installed at Test Customer by {self.technician.name} on 2026-03-02", body)
        self.assertIn("GPS -1.2641, 36.8035", body)
        self.assertIn(picking.name, body)
        # the walk-in install wizard, as the technician
        messages = second.message_ids
        with Form(self.env["isp.install.wizard"].with_user(self.technician_user)) as form:
            form.technician_id = self.technician
            form.partner_id = self.customer
            form.lot_id = second
            form.installed_date = GIVEN["installed_date"]
            form.latitude = GIVEN["latitude"]
            form.longitude = GIVEN["longitude"]
            form.rx_power_dbm = GIVEN["rx_power_dbm"]
            form.olt_port = GIVEN["olt_port"]
        form.record.action_install()
        self.assertRecordValues(second, [self._expected()])
        self.assertEqual(len(self._new_messages(second, messages)), 1)
        # the swap of the first unit for the third, as the storekeeper
        messages = first.message_ids | third.message_ids
        first.with_user(self.storekeeper_user)._isp_swap(
            third,
            self.technician,
            reason="No signal",
            latitude=GIVEN["latitude"],
            longitude=GIVEN["longitude"],
            rx_power_dbm=GIVEN["rx_power_dbm"],
            olt_port=GIVEN["olt_port"],
            installed_date=GIVEN["installed_date"],
        )
        self.assertRecordValues(third | first, [self._expected(), self._cleared("faulty")])
        taken_back = self._new_messages(first, messages)
        self.assertEqual(len(taken_back), 1)
        self.assertIn("Taken back from Test Customer into", taken_back.body)
        self.assertIn("No signal", taken_back.body)
        swapped_in = self._new_messages(third, messages)
        self.assertEqual(len(swapped_in), 1)
        self.assertIn("replacing faulty ONT-SL-VAN-1", swapped_in.body)

    def test_several_serials_in_one_delivery(self):
        lots = self.van_lots[0] | self.van_lots[1]
        picking = self._delivery(lots, self.van, partner=self.customer)
        picking.with_context(isp_install_values=GIVEN).button_validate()
        self.assertRecordValues(lots, [self._expected(), self._expected()])
        for lot in lots:
            self.assertEqual(len(lot.message_ids.filtered(lambda m: "Installed" in m.body)), 1)

    def test_sales_delivery_installs_at_the_delivery_address(self):
        """What a sales delivery sets, simulated without installing sale_stock (which
        the Odoo source has, but the addons do not depend on): sale_stock's procurement
        gives the moves the order's delivery address as `partner_id`
        (sale.order.line._prepare_procurement_values), the picking takes it from the
        moves (stock.move._get_new_picking_values), the destination is that address's
        customer location and the origin the order's name."""
        company = self.env["res.partner"].create({"name": "Test Company", "is_company": True})
        address = self.env["res.partner"].create(
            {"name": "Site A", "type": "delivery", "parent_id": company.id}
        )
        picking = self._delivery(
            self.branch_lot, self.branch_stock, partner=address, origin="S00042"
        )
        picking.move_ids.partner_id = address
        self.assertEqual(picking.location_dest_id, address.property_stock_customer)
        picking.button_validate()
        self.assertRecordValues(
            self.branch_lot, [{"isp_state": "installed", "isp_customer_id": address.id}]
        )

    def test_move_partner_wins_over_transfer_partner(self):
        picking = self._delivery(self.branch_lot, self.branch_stock, partner=self.customer)
        picking.move_ids.partner_id = self.other_customer
        picking.button_validate()
        self.assertEqual(self.branch_lot.isp_customer_id, self.other_customer)

    def test_context_sets_descriptive_values_only(self):
        """A stock user validating a delivery with the context key sets only the
        descriptive values: customer and technician come from the moves."""
        picking = self._delivery(self.branch_lot, self.branch_stock, partner=self.customer)
        picking.with_context(
            isp_install_values=dict(
                GIVEN,
                customer=self.other_customer.id,
                isp_customer_id=self.other_customer.id,
                isp_installed_by_id=self.technician.id,
                technician=self.technician.id,
            )
        ).button_validate()
        self.assertRecordValues(self.branch_lot, [self._expected(isp_installed_by_id=False)])

    # -- refusals: nothing changed ---------------------------------------------------
    def test_delivery_without_customer_refused(self):
        lot = self.branch_lot
        picking = self._delivery(lot, self.branch_stock)
        before = self._snapshot(lot)
        with self.assertRaisesRegex(
            UserError, f"Set the customer of transfer {picking.name}: serial ONT-SL-BR-1"
        ):
            picking.button_validate()
        self.assertEqual(self._snapshot(lot), before)
        self.assertNotEqual(picking.state, "done")
        self.assertRecordValues(lot, [{"isp_state": "in_stock", "isp_customer_id": False}])

    def test_implausible_or_malformed_values_refused(self):
        lot = self.branch_lot
        picking = self._delivery(lot, self.branch_stock, partner=self.customer)
        before = self._snapshot(lot)
        for error, values in (
            (ValidationError, dict(GIVEN, rx_power_dbm=-60.0)),
            (UserError, dict(GIVEN, installed_date="yesterday")),
            (UserError, dict(GIVEN, latitude="north")),
            (UserError, ["not", "a", "dict"]),
        ):
            with self.assertRaises(error):
                picking.with_context(isp_install_values=values).button_validate()
            self.assertEqual(self._snapshot(lot), before)
            self.assertNotEqual(picking.state, "done")

    # -- out of a customer location --------------------------------------------------
    def test_odoo_return_clears_the_record(self):
        lot = self.van_lots[0]
        delivery = self._delivery(lot, self.van, partner=self.customer)
        delivery.with_context(isp_install_values=GIVEN).button_validate()
        self.assertRecordValues(lot, [self._expected()])
        messages = lot.message_ids
        returned = self._return_of(delivery)
        self.assertEqual(returned.move_line_ids.lot_id, lot)
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        self.assertEqual(self._qty(self.ont, self.branch_stock, lot), 1)
        self.assertRecordValues(lot, [self._cleared("in_stock")])
        message = self._new_messages(lot, messages)
        self.assertEqual(len(message), 1)
        self.assertIn(
            f"Taken back from Test Customer into {self.branch_stock.display_name} "
            f"({returned.name})",
            message.body,
        )

    def test_take_back_clears_the_whole_record(self):
        lot = self.van_lots[0]
        lot._isp_install(
            self.technician,
            self.customer,
            latitude=GIVEN["latitude"],
            longitude=GIVEN["longitude"],
            rx_power_dbm=GIVEN["rx_power_dbm"],
            olt_port=GIVEN["olt_port"],
            installed_date=GIVEN["installed_date"],
        )
        self.assertRecordValues(lot, [self._expected()])
        messages = lot.message_ids
        picking = lot.with_user(self.storekeeper_user)._isp_take_back(
            self.technician, self.customer, reason="Customer moved out"
        )
        self.assertRecordValues(lot, [self._cleared("with_technician")])
        message = self._new_messages(lot, messages)
        self.assertEqual(len(message), 1)
        self.assertIn(f"({picking.name}). Customer moved out", message.body)
        self.assertNotIn("isp_install_values", picking.env.context, "the key stays inside")
