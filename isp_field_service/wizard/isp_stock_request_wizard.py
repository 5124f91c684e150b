from odoo import fields, models
from odoo.exceptions import UserError


class IspStockRequestWizard(models.TransientModel):
    """'Request items' on the phone: products and quantities for the technician's van,
    turned into a draft request by `isp.technician._isp_create_request`."""

    _name = "isp.stock.request.wizard"
    _description = "Request Items for my Van"
    _check_company_auto = True

    technician_id = fields.Many2one(
        "isp.technician",
        required=True,
        default=lambda self: self.env["isp.technician"]._isp_of_current_user(),
    )
    company_id = fields.Many2one(related="technician_id.company_id", store=True)
    line_ids = fields.One2many("isp.stock.request.wizard.line", "wizard_id", string="Items")

    def action_confirm(self):
        self.ensure_one()
        if not self.technician_id:
            raise UserError(self.env._("You are not registered as a technician."))
        picking = self.technician_id._isp_create_request(
            [(line.product_id, line.quantity) for line in self.line_ids]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": picking.id,
            "view_mode": "form",
        }
