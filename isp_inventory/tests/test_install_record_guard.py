from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IspInventoryCommon

RECORD_FIELDS = [
    "name",
    "product_id",
    "isp_customer_id",
    "isp_installed_date",
    "isp_installed_by_id",
    "isp_latitude",
    "isp_longitude",
    "isp_rx_power_dbm",
    "isp_olt_port",
]


@tagged("post_install", "-at_install")
class TestInstallRecordGuard(IspInventoryCommon):
    """A serial's install record and identity change only through the install,
    take-back and swap operations, each of which logs one chatter line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.tracking = "serial"
        cls.lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="ONT-GUARD-1")
        cls.lot._isp_install(
            cls.technician,
            cls.customer,
            latitude=-1.2921,
            longitude=36.8219,
            rx_power_dbm=-18.5,
            olt_port="OLT-TBR-01 0/1/3",
        )

    def _assert_refused(self, lot, vals):
        self.env.invalidate_all()
        before = self.lot.read(RECORD_FIELDS), self._quants(self.ont)
        with self.assertRaises(UserError):
            lot.write(vals)
        self.env.invalidate_all()
        self.assertEqual((self.lot.read(RECORD_FIELDS), self._quants(self.ont)), before)

    def test_install_record_written_only_by_operations(self):
        for user in (self.storekeeper_user, self.manager_user, self.technician_user):
            lot = self.lot.with_user(user)
            self._assert_refused(lot, {"isp_customer_id": self.other_customer.id})
            self._assert_refused(lot, {"isp_customer_id": False})
            self._assert_refused(lot, {"isp_latitude": 0.5, "isp_longitude": 0.5})
            self._assert_refused(lot, {"isp_installed_by_id": False})
            self._assert_refused(lot, {"isp_olt_port": "OLT-X 9/9/9"})
            self._assert_refused(lot, {"isp_rx_power_dbm": -20.0})

    def test_identity_fixed_once_moved(self):
        lot = self.lot.with_user(self.manager_user)
        self._assert_refused(lot, {"name": "ONT-RENAMED"})
        self._assert_refused(lot, {"product_id": self.router.id})
        # rewriting the same values is no change; a serial never moved can be renamed
        lot.write({"name": "ONT-GUARD-1", "isp_customer_id": self.customer.id})
        fresh = self.env["stock.lot"].create({"name": "ONT-TYPO", "product_id": self.ont.id})
        fresh.with_user(self.storekeeper_user).name = "ONT-FIXED"
        self.assertEqual(fresh.name, "ONT-FIXED")

    def test_each_operation_logs_one_chatter_line(self):
        install = self.lot.message_ids[0]
        self.assertIn("Installed at Test Customer", install.body)
        self.assertIn(self.technician.name, install.body)
        self.assertIn("-1.2921", install.body)
        self.assertEqual(install.author_id, self.env.user.partner_id)
        messages = len(self.lot.message_ids)
        self.lot.with_user(self.storekeeper_user)._isp_take_back(
            self.technician, self.customer, reason="Customer moved out"
        )
        self.env.cr.flush()  # field tracking (if any) is posted at flush
        self.env.invalidate_all()
        self.assertEqual(len(self.lot.message_ids), messages + 1, "one line per operation")
        self.assertIn("Customer moved out", self.lot.message_ids[0].body)
        self.assertEqual(self.lot.message_ids[0].author_id, self.storekeeper_user.partner_id)
