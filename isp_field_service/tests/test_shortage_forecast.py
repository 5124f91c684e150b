from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestShortageForecast(IspFieldServiceCommon):
    def test_shortages_of_the_coming_days_in_one_request(self):
        soon = fields.Datetime.now() + timedelta(days=2)
        self.job.isp_scheduled_date = soon
        job2 = self._create_job(isp_scheduled_date=soon)
        self._material(job2, self.patch_cord).product_uom_qty = 6.0
        self._create_job(isp_scheduled_date=fields.Datetime.now() + timedelta(days=30))
        technician = self.technician.with_user(self.technician_user)
        # Needed in 7 days: 8 cords (van 5), 2 ONTs (van 2).
        self.assertEqual(
            technician.action_isp_job_shortages(7),
            [{"product_id": self.patch_cord.id, "needed": 8.0, "available": 5.0, "short": 3.0}],
        )
        picking = self.env["stock.picking"].browse(technician.action_isp_request_shortages(7))
        self.assertRecordValues(
            picking,
            [
                {
                    "state": "assigned",
                    "location_id": self.branch_stock.id,
                    "location_dest_id": self.van.id,
                }
            ],
        )
        self.assertEqual(
            [(m.product_id, m.product_uom_qty) for m in picking.move_ids], [(self.patch_cord, 3.0)]
        )

    def test_nothing_short(self):
        with self.assertRaises(UserError):
            self.technician.action_isp_request_shortages(7)


@tagged("post_install", "-at_install")
class TestRequestItems(IspFieldServiceCommon):
    def test_request_items_from_the_phone(self):
        form = Form(self.env["isp.stock.request.wizard"].with_user(self.technician_user))
        with form.line_ids.new() as line:
            line.product_id = self.patch_cord
            line.quantity = 10.0
        action = form.save().action_confirm()
        picking = self.env["stock.picking"].browse(action["res_id"])
        self.assertRecordValues(
            picking,
            [
                {
                    "state": "assigned",
                    "location_dest_id": self.van.id,
                    "isp_requested_by_id": self.technician_user.id,
                }
            ],
        )
