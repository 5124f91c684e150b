import base64

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import IspInventoryCommon

# a 1x1 PNG
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestSerialRecord(IspInventoryCommon):
    """Issue 13, point 6: the serial's form and chatter tell its life: one line per
    install, take-back, swap, RMA and disposal; the install block only while installed,
    with a map link, rx power and photos; tools are never installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.product_tmpl_id.isp_warranty_months = 12
        cls.vendor = cls.env["res.partner"].create({"name": "Record ONT Vendor"})
        cls.env["product.supplierinfo"].create(
            {"partner_id": cls.vendor.id, "product_tmpl_id": cls.ont.product_tmpl_id.id}
        )
        cls.lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="REC-ONT-1")
        cls.spare = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="REC-ONT-2")
        cls.splicer_lot = cls._put_in_stock(cls.splicer, cls.van, 1, lot_name="REC-SPL-1")
        cls._give_open_job(cls.technician, cls.customer)

    def _flush_tracking(self):
        """Run the end-of-transaction tracking: the chatter messages it writes."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _new_messages(self, lot, operation):
        """The chatter messages `operation` adds to `lot`, tracking included."""
        self._flush_tracking()
        before = lot.message_ids
        operation()
        self._flush_tracking()
        return lot.message_ids - before

    def _install(self, lot=None, **values):
        lot = lot or self.lot
        lot.with_user(self.technician_user)._isp_install(
            self.technician,
            self.customer,
            **dict({"latitude": -1.2921, "longitude": 36.8219, "rx_power_dbm": -19.5}, **values),
        )

    def _take_back_faulty(self, lot=None):
        (lot or self.lot).with_user(self.technician_user)._isp_take_back(
            self.technician, self.customer, faulty=True, reason="No signal"
        )

    # ------------------------------------------------------------------
    # one chatter line per step of the serial's life
    # ------------------------------------------------------------------
    def test_one_chatter_line_per_step(self):
        install = self._new_messages(self.lot, self._install)
        self.assertEqual(len(install), 1, install.mapped("body"))
        self.assertIn("Installed at Test Customer", install.body)
        self.assertFalse(install.sudo().tracking_value_ids, "the line states the change")

        swapped_out = self._new_messages(
            self.lot,
            lambda: self.lot.with_user(self.technician_user)._isp_swap(
                self.spare, self.technician, reason="Laser dead"
            ),
        )
        self.assertEqual(len(swapped_out), 1, swapped_out.mapped("body"))
        self.assertIn("Taken back from Test Customer", swapped_out.body)
        self.assertIn("Swapped for REC-ONT-2", swapped_out.body)
        self.env.invalidate_all()
        swapped_in = self.spare.message_ids.filtered(lambda m: "Installed" in (m.body or ""))
        self.assertEqual(len(swapped_in), 1)
        self.assertIn("replacing faulty REC-ONT-1", swapped_in.body)

        rma = self._new_messages(
            self.lot,
            lambda: self.lot.with_user(self.storekeeper_user).action_isp_return_to_vendor(),
        )
        self.assertEqual(len(rma), 1, rma.mapped("body"))
        self.assertIn("Returned to Record ONT Vendor under warranty", rma.body)

        take_back = self._new_messages(self.spare, self._take_back_faulty_spare)
        self.assertEqual(len(take_back), 1, take_back.mapped("body"))
        self.assertIn("Taken back from Test Customer", take_back.body)
        self.assertIn("No signal", take_back.body)

        disposal = self._new_messages(
            self.spare,
            lambda: self.spare.with_user(self.storekeeper_user).action_isp_dispose(
                reason="Burnt board"
            ),
        )
        self.assertEqual(len(disposal), 1, disposal.mapped("body"))
        self.assertIn("Disposed: Burnt board.", disposal.body)

    def _take_back_faulty_spare(self):
        self._take_back_faulty(self.spare)

    # ------------------------------------------------------------------
    # the form: install block only while installed, map, rx power, photos
    # ------------------------------------------------------------------
    def _form(self, lot, user=None):
        return Form(lot.with_user(user or self.storekeeper_user))

    def test_install_block_only_while_installed(self):
        block = ("isp_installed_date", "isp_installed_by_id", "isp_map_url", "isp_rx_power_dbm")
        form = self._form(self.lot)
        for name in block:
            self.assertTrue(form._get_modifier(name, "invisible"), f"{name} shown in the van")
        self._install()
        form = self._form(self.lot)
        for name in block:
            self.assertFalse(form._get_modifier(name, "invisible"), f"{name} hidden when installed")
        self.assertEqual(
            self.lot.isp_map_url, "https://www.google.com/maps/search/?api=1&query=-1.2921,36.8219"
        )
        self.assertEqual(form.isp_rx_power_dbm, -19.5)

        self._take_back_faulty()
        form = self._form(self.lot)
        for name in block:
            self.assertTrue(form._get_modifier(name, "invisible"), f"{name} shown after take-back")
        self.assertRecordValues(
            self.lot,
            [
                {
                    "isp_customer_id": False,
                    "isp_installed_date": False,
                    "isp_latitude": 0.0,
                    "isp_rx_power_dbm": 0.0,
                    "isp_map_url": False,
                }
            ],
        )
        # the past stays in the history and the chatter
        self.assertEqual(
            self.lot.isp_move_line_ids.location_dest_id.mapped("usage"),
            ["customer", "internal"],
        )
        self.assertTrue(
            self.lot.message_ids.filtered(lambda m: "Installed at Test Customer" in (m.body or ""))
        )

    def test_map_link_without_gps_uses_the_address(self):
        self.customer.write({"street": "Ngong Road 5", "city": "Nairobi"})
        self._install(latitude=0.0, longitude=0.0)
        self.assertTrue(
            self.lot.isp_map_url.startswith("https://www.google.com/maps/search/?api=1&query=")
        )
        self.assertIn("Ngong+Road+5", self.lot.isp_map_url)

    def test_photos_are_the_serials_images(self):
        Attachment = self.env["ir.attachment"]
        photo = Attachment.create(
            {"name": "ont.png", "raw": PIXEL, "res_model": "stock.lot", "res_id": self.lot.id}
        )
        Attachment.create(
            {
                "name": "notes.txt",
                "raw": b"not a picture",
                "res_model": "stock.lot",
                "res_id": self.lot.id,
            }
        )
        Attachment.create(
            {"name": "other.png", "raw": PIXEL, "res_model": "stock.lot", "res_id": self.spare.id}
        )
        self.assertEqual(photo.mimetype, "image/png")
        self.assertEqual(self.lot.isp_photo_ids, photo)
        form = self._form(self.lot)
        self.assertFalse(form._get_modifier("isp_photo_ids", "invisible"))
        self.assertFalse(self.splicer_lot.isp_photo_ids)
        self.assertTrue(self._form(self.splicer_lot)._get_modifier("isp_photo_ids", "invisible"))

    # ------------------------------------------------------------------
    # tools are never installed
    # ------------------------------------------------------------------
    def _install_button_invisible(self, lot):
        """Evaluate the "Install at Customer" button's `invisible` for `lot`, in the
        form a technician gets."""
        arch = (
            self.env["stock.lot"]
            .with_user(self.technician_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        [button] = etree.fromstring(arch).xpath("//button[@string='Install at Customer']")
        values = lot.read(["isp_state", "isp_item_class"])[0]
        return bool(safe_eval(button.get("invisible"), values))

    def test_tool_never_offers_install(self):
        self.assertEqual(self.splicer_lot.isp_state, "with_technician")
        self.assertTrue(self._install_button_invisible(self.splicer_lot))
        self.assertFalse(self._install_button_invisible(self.lot))

    def test_install_service_refuses_a_tool(self):
        before = self._quants(self.splicer)
        with self.assertRaises(UserError) as refusal:
            self.splicer_lot.with_user(self.technician_user).action_isp_install(
                self.technician.id, self.customer.id
            )
        self.assertIn("a tool is never installed at a customer", str(refusal.exception))
        self.assertIn("REC-SPL-1", str(refusal.exception))
        self.assertEqual(self._quants(self.splicer), before)
        self.assertRecordValues(
            self.splicer_lot, [{"isp_state": "with_technician", "isp_customer_id": False}]
        )
        # also when the tool comes with a CPE in one call: nothing is installed
        with self.assertRaises(UserError):
            (self.lot | self.splicer_lot).with_user(self.technician_user).action_isp_install(
                self.technician.id, self.customer.id
            )
        self.assertEqual(self.lot.isp_state, "with_technician")
        self.assertEqual(self._qty(self.ont, self.van, self.lot), 1)
