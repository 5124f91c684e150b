from odoo.tests import tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestJobCosting(IspFieldServiceCommon):
    def test_cost_at_stock_cost_on_the_job_and_the_analytic_account(self):
        self.job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(self.job, patch_cords=2.0, lots=[self.ont_lot_1.id])
        )
        # 2 patch cords at 1.5 + 1 ONT at 45.
        self.assertAlmostEqual(self.job.isp_material_cost, 48.0)
        self.assertAlmostEqual(self._material(self.job, self.patch_cord).value, 3.0)
        lines = self.env["account.analytic.line"].search(
            [("account_id", "=", self.analytic_account.id)]
        )
        self.assertAlmostEqual(sum(lines.mapped("amount")), -48.0)
        self.assertEqual(set(lines.mapped("category")), {"picking_entry"})
        self.assertEqual(lines.product_id, self.patch_cord | self.ont)

    def test_take_back_is_not_a_cost(self):
        old = self._put_in_stock(self.ont, self.van, 1.0, lot_name="OLD-ONT")
        old._isp_install(self.technician, self.customer)
        self.job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(self.job, patch_cords=0.0, removed=[{"lot": old.id}])
        )
        self.assertEqual(self.job.isp_material_cost, 0.0)
        self.assertFalse(
            self.env["account.analytic.line"].search(
                [("account_id", "=", self.analytic_account.id)]
            )
        )
