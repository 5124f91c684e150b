from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestSerialWizards(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="ONT-WZ-1")
        cls.customer_location = cls.customer.property_stock_customer
        cls._give_open_job(cls.technician, cls.customer)

    def _install(self, lot, product=None, user=None):
        wizard = self.env["isp.install.wizard"].with_user(user or self.technician_user)
        with Form(wizard) as form:
            form.technician_id = self.technician
            form.partner_id = self.customer
            if product:
                form.product_id = product
            form.lot_id = lot
            form.installed_date = "2026-03-02 09:30:00"
            form.latitude = -1.2641
            form.longitude = 36.8035
        return form.record

    def test_wizards_default_to_the_signed_in_technician(self):
        for model in ("isp.install.wizard", "isp.return.wizard"):
            wizard = self.env[model]
            self.assertEqual(
                wizard.with_user(self.technician_user).default_get(["technician_id"]),
                {"technician_id": self.technician.id},
            )
            self.assertFalse(
                wizard.with_user(self.storekeeper_user)
                .default_get(["technician_id"])
                .get("technician_id"),
                "a storekeeper picks the technician",
            )

    def test_install_wizard_links_serial(self):
        self._install(self.lot, product=self.ont).action_install()
        self.assertEqual(self._qty(self.ont, self.customer_location, self.lot), 1)
        self.assertRecordValues(
            self.lot,
            [
                {
                    "isp_state": "installed",
                    "isp_customer_id": self.customer.id,
                    "isp_installed_by_id": self.technician.id,
                    "isp_latitude": -1.2641,
                    "isp_longitude": 36.8035,
                }
            ],
        )
        self.assertEqual(str(self.lot.isp_installed_date), "2026-03-02 09:30:00")

    def test_install_wizard_serial_of_other_product_refused(self):
        wizard = self._install(self.lot)
        wizard.product_id = self.router
        with self.assertRaises(UserError):
            wizard.action_install()
        self.assertEqual(self._qty(self.ont, self.van, self.lot), 1)
        self.assertEqual(self.lot.isp_state, "with_technician")
        self.assertFalse(self.lot.isp_customer_id)

    def test_install_wizard_serial_not_in_van_refused(self):
        branch_lot = self._put_in_stock(self.ont, self.branch_stock, 1, lot_name="ONT-WZ-2")
        wizard = self.env["isp.install.wizard"].create(
            {
                "technician_id": self.technician.id,
                "partner_id": self.customer.id,
                "lot_id": branch_lot.id,
            }
        )
        with self.assertRaises(UserError):
            wizard.action_install()
        self.assertEqual(self._qty(self.ont, self.branch_stock, branch_lot), 1)
        self.assertFalse(branch_lot.isp_customer_id)

    def _return(self, lot, reason, destination="van", partner=None):
        with Form(self.env["isp.return.wizard"].with_user(self.technician_user)) as form:
            form.technician_id = self.technician
            form.partner_id = partner or self.customer
            form.lot_id = lot
            form.reason = reason
            if reason == "other":
                form.destination = destination
            form.note = "Replaced after a storm"
        return form.record

    def test_return_faulty_goes_to_quarantine(self):
        self.lot.action_isp_install(self.technician.id, self.customer.id)
        wizard = self._return(self.lot, "faulty")
        wizard.action_return()
        quarantine = self.branch._isp_get_quarantine_location()
        self.assertEqual(self._qty(self.ont, quarantine, self.lot), 1)
        self.assertRecordValues(self.lot, [{"isp_state": "faulty", "isp_customer_id": False}])
        self.assertIn("Replaced after a storm", self.lot.message_ids[0].body)

    def test_return_churn_and_upgrade_to_refurbishment(self):
        """Churn and upgrade returns are not reissued as they are: they go to the
        branch refurbishment location (issue 12 point 3)."""
        refurbishment = self.branch._isp_get_refurbishment_location()
        self.lot.action_isp_install(self.technician.id, self.customer.id)
        self._return(self.lot, "churn").action_return()
        self.assertEqual(self._qty(self.ont, refurbishment, self.lot), 1)
        self.assertEqual(self.lot.isp_state, "refurbishment")
        other = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-WZ-3")
        other.action_isp_install(self.technician.id, self.customer.id)
        self._return(other, "upgrade").action_return()
        self.assertEqual(self._qty(self.ont, refurbishment, other), 1)
        self.assertEqual(other.isp_state, "refurbishment")

    def test_return_other_to_branch_or_van(self):
        self.lot.action_isp_install(self.technician.id, self.customer.id)
        self._return(self.lot, "other", destination="branch").action_return()
        self.assertEqual(self._qty(self.ont, self.branch_stock, self.lot), 1)
        self.assertEqual(self.lot.isp_state, "in_stock")
        other = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-WZ-3")
        other.action_isp_install(self.technician.id, self.customer.id)
        self._return(other, "other", destination="van").action_return()
        self.assertEqual(self._qty(self.ont, self.van, other), 1)
        self.assertEqual(other.isp_state, "with_technician")

    def test_return_from_wrong_customer_refused(self):
        self.lot.action_isp_install(self.technician.id, self.customer.id)
        wizard = self._return(self.lot, "faulty", partner=self.other_customer)
        with self.assertRaises(UserError):
            wizard.action_return()
        self.assertEqual(self._qty(self.ont, self.customer_location, self.lot), 1)
        self.assertRecordValues(
            self.lot, [{"isp_state": "installed", "isp_customer_id": self.customer.id}]
        )
