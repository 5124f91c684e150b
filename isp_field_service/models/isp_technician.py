from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class IspTechnician(models.Model):
    _inherit = "isp.technician"

    isp_task_ids = fields.One2many("project.task", "isp_technician_id", string="Field Jobs")

    def _isp_job_shortages(self, days=7):
        """[(product, needed, available)] for the open jobs scheduled in the next `days`
        days whose materials the van does not hold (nor has coming)."""
        self.ensure_one()
        limit = fields.Datetime.now() + timedelta(days=days)
        jobs = self.env["project.task"].search(
            [
                ("isp_technician_id", "=", self.id),
                ("isp_job_state", "!=", "done"),
                ("isp_scheduled_date", "<=", limit),
            ]
        )
        needed = {}
        for material in jobs.isp_material_ids:
            outstanding = material.quantity - material.qty_used
            if outstanding > 0:
                needed[material.product_id] = needed.get(material.product_id, 0.0) + outstanding
        van = self.vehicle_location_id
        shortages = []
        for product, qty in needed.items():
            incoming = self.env["stock.move"].search(
                [
                    ("product_id", "=", product.id),
                    ("location_dest_id", "=", van.id),
                    ("location_id", "!=", van.id),
                    ("state", "not in", ("draft", "done", "cancel")),
                ]
            )
            available = self.env["stock.quant"]._get_available_quantity(product, van) + sum(
                incoming.mapped("product_qty")
            )
            if float_compare(qty, available, precision_rounding=product.uom_id.rounding) > 0:
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
