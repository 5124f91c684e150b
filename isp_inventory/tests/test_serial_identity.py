from contextlib import contextmanager

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IspInventoryCommon

ONT_FORMAT = "TONT[0-9A-F]{8}"
ONT_HINT = "TONT followed by 8 hexadecimal digits"
ROUTER_FORMAT = "TRTR-[0-9]{5}"
ROUTER_HINT = "TRTR- followed by 5 digits"


@tagged("post_install", "-at_install")
class TestSerialIdentity(IspInventoryCommon):
    """Serial identity: each product's serial format (a regular expression matched in
    full, with a readable hint), checked whenever a serial is created or renamed (a
    receipt, a manual create, an import) and naming the product a serial most likely
    belongs to; the MAC address of a serial, normalised, unique per company in the
    database, required before installing a product whose serials carry one, and found
    by the scan in any notation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.write(
            {
                "tracking": "serial",
                "isp_serial_format": ONT_FORMAT,
                "isp_serial_format_hint": ONT_HINT,
            }
        )
        cls.router.write(
            {
                "name": "Test Wi-Fi Router",
                "tracking": "serial",
                "isp_serial_format": ROUTER_FORMAT,
                "isp_serial_format_hint": ROUTER_HINT,
                "isp_mac_required": True,
            }
        )
        cls.Lot = cls.env["stock.lot"]
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")

    @contextmanager
    def _refused(self, exception, pattern):
        """assertRaises (which rolls the refused call back to a savepoint, as a request
        would be; unittest's assertRaisesRegex does not) and the message matches."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)

    def _lot_names(self):
        self.env.invalidate_all()
        return sorted(self.Lot.search([]).mapped("name"))

    # ------------------------------------------------------------------
    # Serial format
    # ------------------------------------------------------------------
    def test_invalid_format_refused(self):
        with self._refused(ValidationError, r"not a valid regular expression"):
            self.ont.product_tmpl_id.isp_serial_format = "TONT[0-9A-F{8"
        self.env.invalidate_all()
        self.assertEqual(self.ont.isp_serial_format, ONT_FORMAT)

    def test_serial_matching_format_accepted(self):
        lot = self.Lot.create({"name": "TONT4A0B1C2D", "product_id": self.ont.id})
        self.assertEqual(lot.name, "TONT4A0B1C2D")

    def test_serial_not_matching_format_refused_with_hint(self):
        before = self._lot_names()
        # matched in full: a valid serial with a suffix, or a short one, is refused
        for name in ("TONT4A0B1C2D-X", "TONT4A0B", "XX12345"):
            with self._refused(
                ValidationError,
                rf"{name} is not a serial number of Test ONT: expected {ONT_HINT}\.",
            ):
                self.Lot.create({"name": name, "product_id": self.ont.id})
        self.assertEqual(self._lot_names(), before)

    def test_serial_of_another_product_names_it(self):
        """OCA/field-service#1600: equipment records carrying another product's serial."""
        before = self._lot_names()
        with self._refused(
            ValidationError,
            r"TONT1234ABCD looks like a Test ONT, not a Test Wi-Fi Router \(its serials "
            rf"are {ROUTER_HINT}\)",
        ):
            self.Lot.create({"name": "TONT1234ABCD", "product_id": self.router.id})
        with self._refused(ValidationError, r"TRTR-00042 looks like a Test Wi-Fi Router"):
            self.Lot.with_user(self.storekeeper_user).create(
                {"name": "TRTR-00042", "product_id": self.ont.id}
            )
        self.assertEqual(self._lot_names(), before)

    def test_hint_falls_back_to_expression(self):
        """Without a hint, the refusal quotes the regular expression."""
        self.ont.isp_serial_format_hint = False
        with self._refused(ValidationError, r"expected TONT\[0-9A-F\]\{8\}\."):
            self.Lot.create({"name": "BAD-1", "product_id": self.ont.id})

    def test_receipt_with_bad_serial_refused(self):
        """A receipt creates its serials when validated: a bad one refuses the
        validation, nothing received, no serial created."""
        picking = (
            self.env["stock.picking"]
            .with_user(self.storekeeper_user)
            .create(
                {
                    "picking_type_id": self.branch.in_type_id.id,
                    "location_id": self.supplier.id,
                    "location_dest_id": self.branch_stock.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.ont.id,
                                "product_uom_qty": 2,
                                "location_id": self.supplier.id,
                                "location_dest_id": self.branch_stock.id,
                                "move_line_ids": [
                                    Command.create(
                                        {
                                            "product_id": self.ont.id,
                                            "lot_name": name,
                                            "quantity": 1,
                                            "location_id": self.supplier.id,
                                            "location_dest_id": self.branch_stock.id,
                                        }
                                    )
                                    for name in ("TONT00000001", "TRTR-00001")
                                ],
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.move_ids.picked = True
        before = self._lot_names()
        with self._refused(
            ValidationError, r"TRTR-00001 looks like a Test Wi-Fi Router, not a Test ONT"
        ):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._lot_names(), before)
        self.assertEqual(self._quants(self.ont), [])
        # corrected, the receipt goes through
        lines = picking.move_ids.move_line_ids
        lines.filtered(lambda line: line.lot_name == "TRTR-00001").lot_name = "TONT00000002"
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(sorted(lines.lot_id.mapped("name")), ["TONT00000001", "TONT00000002"])

    def test_import_with_bad_serial_refused(self):
        before = self._lot_names()
        result = self.Lot.load(
            ["name", "product_id/.id"],
            [["TONT0000000A", str(self.ont.id)], ["TRTR-12345", str(self.ont.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertIn(
            "TRTR-12345 looks like a Test Wi-Fi Router, not a Test ONT",
            " ".join(message["message"] for message in result["messages"]),
        )
        self.assertEqual(self._lot_names(), before)

    def test_existing_serials_kept_when_format_set_later(self):
        """A format set later does not break the serials recorded before: they stay,
        can be edited and moved; only a new name is checked."""
        self.patch_cord.tracking = "serial"
        old = self._put_in_stock(self.patch_cord, self.van, lot_name="OLD-0001")
        self.patch_cord.write({"isp_serial_format": "PC-[0-9]{4}", "isp_serial_format_hint": "PC-"})
        old.ref = "kept as it was"
        old.write({"name": "OLD-0001"})  # the same name again is no change
        self.assertEqual(old.name, "OLD-0001")
        with self._refused(ValidationError, r"OLD-0002 is not a serial number"):
            old.name = "OLD-0002"
        self.env.invalidate_all()
        self.assertEqual(old.name, "OLD-0001")
        old.name = "PC-0001"
        self.assertEqual(old.name, "PC-0001")

    def test_moving_to_another_product_checks_its_format(self):
        lot = self.Lot.create({"name": "TONT0000000B", "product_id": self.ont.id})
        with self._refused(ValidationError, r"looks like a Test ONT, not a Test Wi-Fi"):
            lot.product_id = self.router
        self.env.invalidate_all()
        self.assertEqual(lot.product_id, self.ont)

    def test_format_applies_to_serial_tracked_products_only(self):
        self.ont.tracking = "lot"
        lot = self.Lot.create({"name": "BATCH-7", "product_id": self.ont.id})
        self.assertEqual(lot.name, "BATCH-7")

    # ------------------------------------------------------------------
    # MAC address
    # ------------------------------------------------------------------
    def test_mac_normalised(self):
        lot = self.Lot.create(
            {"name": "TONT0000000C", "product_id": self.ont.id, "isp_mac_address": "00e0fc4a0c0c"}
        )
        self.assertEqual(lot.isp_mac_address, "00:E0:FC:4A:0C:0C")
        for notation in (
            "aabbccddeeff",
            "aa-bb-cc-dd-ee-ff",
            "AA:BB:CC:DD:EE:FF",
            "AABB.CCDD.EEFF",
            " aa bb cc dd ee ff ",
        ):
            lot.isp_mac_address = notation
            self.assertEqual(lot.isp_mac_address, "AA:BB:CC:DD:EE:FF", notation)
        lot.isp_mac_address = "  "
        self.assertFalse(lot.isp_mac_address)

    def test_mac_invalid_refused(self):
        lot = self.Lot.create(
            {"name": "TONT0000000D", "product_id": self.ont.id, "isp_mac_address": "aabbccddee01"}
        )
        for value in (
            "AA:BB:CC:DD:EE",
            "AA:BB:CC:DD:EE:FF:00",
            "GG:BB:CC:DD:EE:FF",
            "AA:BB-CC:DD-EE:FF",
            "AABB.CCDD.EEF",
            "not a mac",
        ):
            with self._refused(ValidationError, rf"{value} is not a MAC address"):
                lot.isp_mac_address = value
            self.env.invalidate_all()
            self.assertEqual(lot.isp_mac_address, "AA:BB:CC:DD:EE:01")
        before = self._lot_names()
        with self._refused(ValidationError, r"12:34 is not a MAC address"):
            self.Lot.create(
                {"name": "TONT0000000E", "product_id": self.ont.id, "isp_mac_address": "12:34"}
            )
        self.assertEqual(self._lot_names(), before)

    def test_mac_unique_per_company(self):
        company = self.env.company
        first = self.Lot.create(
            {
                "name": "TONT0000000F",
                "product_id": self.ont.id,
                "company_id": company.id,
                "isp_mac_address": "a0b1c2d3e4f5",
            }
        )
        second = self.Lot.create(
            {"name": "TRTR-00007", "product_id": self.router.id, "company_id": company.id}
        )
        # another notation of the same MAC, on another product: still the same unit
        with self._refused(
            ValidationError,
            r"MAC address A0:B1:C2:D3:E4:F5 is already recorded on serial TONT0000000F: a MAC "
            r"address belongs to one unit\.",
        ):
            second.isp_mac_address = "A0-B1-C2-D3-E4-F5"
        self.env.invalidate_all()
        self.assertFalse(second.isp_mac_address)
        before = self._lot_names()
        for company_id in (company.id, False):  # a serial of no company clashes too
            with self._refused(ValidationError, r"already recorded on serial TONT0000000F"):
                self.Lot.create(
                    {
                        "name": "TRTR-00008",
                        "product_id": self.router.id,
                        "company_id": company_id,
                        "isp_mac_address": "a0b1.c2d3.e4f5",
                    }
                )
        self.assertEqual(self._lot_names(), before)
        # one MAC for several serials at once
        third = self.Lot.create(
            {"name": "TRTR-00012", "product_id": self.router.id, "company_id": company.id}
        )
        with self._refused(ValidationError, r"cannot be given to several serials"):
            (second | third).isp_mac_address = "02:00:00:00:12:12"
        self.env.invalidate_all()
        self.assertEqual((second | third).mapped("isp_mac_address"), [False, False])
        # another company may record the same MAC (its own books)
        other_company = self.env["res.company"].create({"name": "Other ISP"})
        other = self.Lot.create(
            {
                "name": "TRTR-00009",
                "product_id": self.router.id,
                "company_id": other_company.id,
                "isp_mac_address": "A0:B1:C2:D3:E4:F5",
            }
        )
        self.assertEqual(other.isp_mac_address, first.isp_mac_address)
        # but a serial cannot move into a company where its MAC is taken
        with self._refused(ValidationError, r"already recorded on serial TONT0000000F"):
            other.company_id = company
        self.env.invalidate_all()
        self.assertEqual(other.company_id, other_company)
        # serials without a MAC never clash
        self.Lot.create({"name": "TRTR-00010", "product_id": self.router.id})
        self.Lot.create({"name": "TRTR-00011", "product_id": self.router.id})

    def test_mac_unique_in_database(self):
        """The database refuses a duplicate even when no Python check runs (a direct SQL
        write, or two transactions at once), and a MAC in another notation."""
        first = self.Lot.create(
            {
                "name": "TONT00000010",
                "product_id": self.ont.id,
                "isp_mac_address": "02:00:00:00:00:01",
            }
        )
        second = self.Lot.create({"name": "TONT00000011", "product_id": self.ont.id})
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            self.env.cr.execute(
                "UPDATE stock_lot SET isp_mac_address = %s WHERE id = %s",
                (first.isp_mac_address, second.id),
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.CheckViolation):
            self.env.cr.execute(
                "UPDATE stock_lot SET isp_mac_address = %s WHERE id = %s",
                ("02-00-00-00-00-02", second.id),
            )
        self.env.cr.execute("SELECT isp_mac_address FROM stock_lot WHERE id = %s", (second.id,))
        self.assertEqual(self.env.cr.fetchone(), (None,))

    # ------------------------------------------------------------------
    # Install: a MAC is required where the product says so
    # ------------------------------------------------------------------
    def test_install_without_mac_refused(self):
        lot = self._put_in_stock(self.router, self.van, lot_name="TRTR-00100")
        quants = self._quants(self.router)
        pickings = self.env["stock.picking"].search_count([])
        with self._refused(
            UserError,
            r"TRTR-00100 \(Test Wi-Fi Router\): record the MAC address of the unit on the "
            r"serial before installing it at a customer",
        ):
            lot.with_user(self.technician_user).action_isp_install(
                self.technician.id, self.customer.id
            )
        self.env.invalidate_all()
        self.assertEqual(self._quants(self.router), quants)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)
        self.assertRecordValues(lot, [{"isp_state": "with_technician", "isp_customer_id": False}])
        # with its MAC recorded, the same install goes through
        lot.isp_mac_address = "50c7bf000100"
        lot.with_user(self.technician_user).action_isp_install(self.technician.id, self.customer.id)
        self.assertRecordValues(
            lot, [{"isp_state": "installed", "isp_customer_id": self.customer.id}]
        )

    def test_plain_delivery_without_mac_refused(self):
        """Every path into a customer location obeys (the stock layer), a storekeeper's
        plain delivery included."""
        lot = self._put_in_stock(self.router, self.branch_stock, lot_name="TRTR-00101")
        picking = self._delivery(lot, self.branch_stock, partner=self.customer)
        quants = self._quants(self.router)
        with self._refused(UserError, r"TRTR-00101 \(Test Wi-Fi Router\): record the MAC"):
            picking.button_validate()
        self.env.invalidate_all()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._quants(self.router), quants)
        self.assertFalse(lot.isp_customer_id)

    def test_install_without_mac_allowed_when_not_required(self):
        lot = self._put_in_stock(self.ont, self.van, lot_name="TONT00000100")
        lot.with_user(self.technician_user).action_isp_install(self.technician.id, self.customer.id)
        self.assertEqual(lot.isp_state, "installed")

    # ------------------------------------------------------------------
    # Scan by MAC
    # ------------------------------------------------------------------
    def test_scan_finds_serial_by_mac(self):
        lot = self._put_in_stock(self.router, self.van, lot_name="TRTR-00200")
        lot.isp_mac_address = "50:C7:BF:00:02:00"
        hit = {"model": "stock.lot", "id": lot.id, "display_name": lot.display_name}
        Scan = self.env["isp.scan"].with_user(self.technician_user)
        for code in ("50:C7:BF:00:02:00", "50c7bf000200", "50-c7-bf-00-02-00", "50C7.BF00.0200"):
            self.assertEqual(Scan.isp_lookup(code), hit, code)
        with self._refused(UserError, r"Nothing matches 50:C7:BF:00:02:01"):
            Scan.isp_lookup("50:C7:BF:00:02:01")
