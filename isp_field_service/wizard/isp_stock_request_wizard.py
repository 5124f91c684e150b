from odoo import fields, models
from odoo.exceptions import UserError


class IspStockRequestWizard(models.TransientModel):
    """'Request items' on the phone: products and quantities for the technician's van,
    sent at once (confirmed: to the approvers or the store) by
    `isp.technician._isp_create_request`; the technician lands on the request's
    read-only card."""

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
            "name": picking.name,
            "res_model": "stock.picking",
            "res_id": picking.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("isp_inventory.stock_picking_view_form_isp_request").id, "form")
            ],
            "target": "current",
            "context": {"create": False, "edit": False, "delete": False, "disable_toolbar": True},
        }
