from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestSerialService(IspInventoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name="ONT-0001")
        cls.customer_location = cls.customer.property_stock_customer

    def test_install_moves_serial_to_customer_and_links_it(self):
        picking_id = self.lot.with_user(self.technician_user).action_isp_install(
            self.technician.id, self.customer.id, latitude=-1.2921, longitude=36.8219
        )
        picking = self.env["stock.picking"].browse(picking_id)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.ont, self.van, self.lot), 0)
        self.assertEqual(self._qty(self.ont, self.customer_location, self.lot), 1)
        self.assertRecordValues(
            self.lot,
            [
                {
                    "isp_state": "installed",
                    "isp_customer_id": self.customer.id,
                    "isp_installed_by_id": self.technician.id,
                    "isp_latitude": -1.2921,
                    "isp_longitude": 36.8219,
                }
            ],
        )
        self.assertTrue(self.lot.isp_installed_date)

    def test_install_several_serials_of_one_product_at_once(self):
        second = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-0001-B")
        lots = self.lot | second
        picking = lots._isp_install(self.technician, self.customer)
        self.assertEqual(len(picking.move_ids), 1, "one move per product")
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, lots)
        for lot in lots:
            self.assertEqual(self._qty(self.ont, self.van, lot), 0)
            self.assertEqual(self._qty(self.ont, self.customer_location, lot), 1)
        self.assertEqual(lots.mapped("isp_customer_id"), self.customer)

    def test_serial_listed_twice_refused(self):
        pickings_before = self.env["stock.picking"].search_count([])
        with self.assertRaisesRegex(UserError, "listed more than once"):
            self.env["stock.picking"]._isp_create_done(
                self.branch.int_type_id,
                self.van,
                self.branch_stock,
                [(self.ont, 1, self.lot), (self.ont, 1, self.lot)],
            )
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings_before)
        self.assertEqual(self._qty(self.ont, self.van, self.lot), 1)

    def test_state_follows_location(self):
        self.assertEqual(self.lot.isp_state, "with_technician")
        branch_lot = self._put_in_stock(self.ont, self.branch_stock, 1, lot_name="ONT-0002")
        self.assertEqual(branch_lot.isp_state, "in_stock")

    def test_install_twice_refused(self):
        self.lot.action_isp_install(self.technician.id, self.customer.id)
        with self.assertRaises(UserError):
            self.lot.action_isp_install(self.technician.id, self.other_customer.id)
        self.assertEqual(self.lot.isp_customer_id, self.customer)
        self.assertEqual(self._qty(self.ont, self.customer_location, self.lot), 1)

    def test_install_serial_not_in_van_refused(self):
        branch_lot = self._put_in_stock(self.ont, self.branch_stock, 1, lot_name="ONT-0003")
        pickings_before = self.env["stock.picking"].search_count([])
        with self.assertRaises(UserError):
            branch_lot.action_isp_install(self.technician.id, self.customer.id)
        self.assertEqual(self._qty(self.ont, self.branch_stock, branch_lot), 1)
        self.assertFalse(branch_lot.isp_customer_id)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings_before)

    def test_install_by_another_technician_refused(self):
        other_user = self.env["res.users"].create(
            {
                "name": "Other Tech",
                "login": "other_tech",
                "group_ids": [(6, 0, [self.env.ref("isp_inventory.group_isp_technician").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.lot.with_user(other_user).action_isp_install(self.technician.id, self.customer.id)
        self.assertEqual(self.lot.isp_state, "with_technician")

    def test_take_back_into_van_and_quarantine(self):
        self.lot.action_isp_install(self.technician.id, self.customer.id)
        self.lot.action_isp_take_back(self.technician.id, self.customer.id)
        self.assertRecordValues(
            self.lot, [{"isp_state": "with_technician", "isp_customer_id": False}]
        )
        self.assertEqual(self._qty(self.ont, self.van, self.lot), 1)
        self.lot.action_isp_install(self.technician.id, self.customer.id)
        self.lot.action_isp_take_back(self.technician.id, self.customer.id, faulty=True)
        quarantine = self.branch._isp_get_quarantine_location()
        self.assertEqual(self._qty(self.ont, quarantine, self.lot), 1)
        self.assertEqual(self.lot.isp_state, "faulty")

    def test_take_back_from_wrong_customer_refused(self):
        self.lot.action_isp_install(self.technician.id, self.customer.id)
        with self.assertRaises(UserError):
            self.lot.action_isp_take_back(self.technician.id, self.other_customer.id)
        self.assertEqual(self.lot.isp_customer_id, self.customer)
        self.assertEqual(self.lot.isp_state, "installed")

    def test_technician_takes_back_a_unit_a_colleague_installed(self):
        colleague_user = self.env["res.users"].create(
            {
                "name": "Colleague Tech",
                "login": "colleague_tech",
                "group_ids": [(6, 0, [self.env.ref("isp_inventory.group_isp_technician").id])],
            }
        )
        colleague = self.env["isp.technician"].create(
            {"user_id": colleague_user.id, "warehouse_id": self.branch.id}
        )
        theirs = self._put_in_stock(
            self.ont, colleague.vehicle_location_id, 1, lot_name="ONT-COLLEAGUE"
        )
        theirs._isp_install(colleague, self.customer)
        self._give_open_job(self.technician, self.customer)
        theirs.with_user(self.technician_user).action_isp_take_back(
            self.technician.id, self.customer.id, faulty=True
        )
        quarantine = self.branch._isp_get_quarantine_location()
        self.assertEqual(self._qty(self.ont, quarantine, theirs), 1)
        self.assertRecordValues(theirs, [{"isp_state": "faulty", "isp_customer_id": False}])

    def test_technician_first_faulty_return_creates_quarantine(self):
        """The first faulty return of a branch, done by a technician, opens its quarantine."""
        self.lot.action_isp_install(self.technician.id, self.customer.id)
        self._give_open_job(self.technician, self.customer)
        self.lot.with_user(self.technician_user).action_isp_take_back(
            self.technician.id, self.customer.id, faulty=True
        )
        quarantine = self.env["stock.location"].search(
            [("warehouse_id", "=", self.branch.id), ("isp_role", "=", "quarantine")]
        )
        self.assertEqual(len(quarantine), 1)
        self.assertEqual(self._qty(self.ont, quarantine, self.lot), 1)
        self.assertEqual(self.lot.isp_state, "faulty")
