from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError


class IspTechnician(models.Model):
    _inherit = "isp.technician"

    isp_task_ids = fields.One2many("project.task", "isp_technician_id", string="Field Jobs")

    def _isp_job_shortages(self, days=7):
        """[(product, needed, available)] for the open jobs scheduled in the next `days`
        days whose materials the van does not hold (nor has coming): needed = the
        planned quantity of their open materials, available = Odoo's on hand plus
        incoming of the van."""
        self.ensure_one()
        limit = fields.Datetime.now() + timedelta(days=days)
        needed = self.env["stock.move"]._read_group(
            [
                ("isp_task_id.isp_technician_id", "=", self.id),
                ("isp_task_id.isp_job_state", "!=", "done"),
                ("isp_task_id.isp_scheduled_date", "<=", limit),
                ("state", "not in", ("done", "cancel")),
            ],
            ["product_id"],
            ["product_qty:sum"],
        )
        van = self.vehicle_location_id
        shortages = []
        for product, qty in needed:
            in_van = product.with_context(location=van.id)
            available = in_van.qty_available + in_van.incoming_qty
            if product.uom_id.compare(qty, available) > 0:
                shortages.append((product, qty, available))
        return shortages

    def action_isp_job_shortages(self, days=7):
        """The shortages for the coming `days` days, as dicts (RPC friendly)."""
        self.ensure_one()
        return [
            {
                "product_id": product.id,
                "needed": needed,
                "available": available,
                "short": needed - available,
            }
            for product, needed, available in self._isp_job_shortages(days)
        ]

    def action_isp_request_shortages(self, days=7):
        """Request every shortage of the coming `days` days in one draft transfer from
        the home branch; returns its id."""
        self.ensure_one()
        shortages = self._isp_job_shortages(days)
        if not shortages:
            raise UserError(
                self.env._("%(name)s's van holds everything the coming jobs need.", name=self.name)
            )
        picking = self._isp_create_request(
            [(product, needed - available) for product, needed, available in shortages],
            origin=self.env._("Shortages of the next %(days)s days", days=days),
        )
        return picking.id

    def action_view_isp_shortage_request(self):
        """Button: request the shortages of the coming week and open the request."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.action_isp_request_shortages(),
            "view_mode": "form",
        }
