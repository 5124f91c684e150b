from odoo import api, models

# Changes that can make an approved issuance issue more than was approved.
APPROVAL_SENSITIVE_FIELDS = {"product_id", "product_uom_qty", "product_uom", "quantity"}


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves.picking_id._isp_recheck_approval()
        return moves

    def write(self, vals):
        result = super().write(vals)
        if APPROVAL_SENSITIVE_FIELDS.intersection(vals):
            self.picking_id._isp_recheck_approval()
        return result

    def _action_confirm(self, merge=True, merge_into=False, create_proc=True):
        moves = super()._action_confirm(merge=merge, merge_into=merge_into, create_proc=create_proc)
        # Whichever way a transfer gets confirmed (button, request, scheduler), a
        # controlled issuance goes to approval.
        moves.picking_id._isp_request_approval()
        return moves
