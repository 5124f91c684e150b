from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestRefurbishmentReport(IspReportsCommon):
    """Refurbishment yield by product, branch and month: four churned ONTs graded A, B,
    C and scrap give a 50 % yield and two units' cost recovered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.categ_id.write(
            {
                "isp_refurb_require_factory_reset": False,
                "isp_refurb_require_cleaned": False,
                "isp_refurb_require_power_on_test": False,
                "isp_refurb_require_firmware_noted": False,
                "isp_refurb_require_accessories_complete": False,
            }
        )
        cls._give_open_job(cls.technician, cls.customer)
        cls.lots = cls.env["stock.lot"]
        for index in range(4):
            lot = cls._put_in_stock(cls.ont, cls.van, 1, lot_name=f"ONT-RR-{index}")
            lot.action_isp_install(cls.technician.id, cls.customer.id)
            lot.action_isp_take_back(cls.technician.id, cls.customer.id, refurbish=True)
            cls.lots |= lot
        refurbishments = cls.env["isp.refurbishment"].search([("lot_id", "in", cls.lots.ids)])
        for lot, grade in zip(cls.lots, ("a", "b", "c", "scrap"), strict=True):
            refurbishments.filtered(lambda r, lot=lot: r.lot_id == lot).with_user(
                cls.storekeeper_user
            ).action_grade(grade)

    def _groups(self, user=None):
        return (
            self.env["isp.refurbishment.report"]
            .with_user(user or self.storekeeper_user)
            ._read_group(
                [("product_id", "=", self.ont.id)],
                ["product_id", "warehouse_id", "date:month"],
                [
                    "graded_count:sum",
                    "grade_a_count:sum",
                    "grade_b_count:sum",
                    "grade_c_count:sum",
                    "scrap_count:sum",
                    "yield_percent:avg",
                    "value_recovered:sum",
                    "value_new:sum",
                ],
            )
        )

    def test_yield_and_value_recovered(self):
        groups = self._groups()
        self.assertEqual(len(groups), 1)
        product, branch, _month, graded, a, b, c, scrap, yield_pct, recovered, new = groups[0]
        self.assertEqual((product, branch), (self.ont, self.branch))
        self.assertEqual((graded, a, b, c, scrap), (4, 1, 1, 1, 1))
        self.assertAlmostEqual(yield_pct, 50.0)
        cost = self.ont.standard_price
        self.assertAlmostEqual(recovered, 2 * cost)
        self.assertAlmostEqual(new, 4 * cost)

    def test_pending_units_not_counted_and_technician_refused(self):
        lot = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-RR-P")
        lot.action_isp_install(self.technician.id, self.customer.id)
        lot.action_isp_take_back(self.technician.id, self.customer.id, refurbish=True)
        self.assertEqual(self._groups()[0][3], 4)
        with self.assertRaises(AccessError):
            self.env["isp.refurbishment.report"].with_user(self.technician_user).search([])
