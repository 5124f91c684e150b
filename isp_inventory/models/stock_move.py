from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_confirm(self, merge=True, merge_into=False, create_proc=True):
        moves = super()._action_confirm(merge=merge, merge_into=merge_into, create_proc=create_proc)
        # Whichever way a transfer gets confirmed (button, request, scheduler), a
        # controlled issuance goes to approval.
        moves.picking_id._isp_request_approval()
        return moves
