from odoo import api, models

# Changes that can make an approved issuance issue more than was approved.
APPROVAL_SENSITIVE_FIELDS = {"product_id", "product_uom_qty", "product_uom", "quantity"}

# What a done move keeps: quantities, product, lots, locations, date, transfer, owner.
DONE_MOVE_LOCKED_FIELDS = {
    "product_id",
    "product_uom_qty",
    "quantity",
    "product_uom",
    "location_id",
    "location_dest_id",
    "date",
    "picking_id",
    "restrict_partner_id",
    "lot_ids",
    "move_line_ids",
}


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "isp.done.lock.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves.picking_id._isp_recheck_approval()
        moves.filtered(lambda move: move.state == "done")._isp_mark_done_now()
        return moves

    def write(self, vals):
        if vals.get("state") == "done":
            # Odoo completes a move in the transaction that validates it (the
            # picking's date_done copied onto its moves and their lines, ...). Only
            # moves done by this write: an earlier done move stays locked (the done
            # lock, isp.done.lock.mixin.write, runs after this).
            becoming_done = self.filtered(lambda move: move.state != "done")
            becoming_done._isp_mark_done_now()
            becoming_done.move_line_ids._isp_mark_done_now()
        result = super().write(vals)
        if APPROVAL_SENSITIVE_FIELDS.intersection(vals):
            self.picking_id._isp_recheck_approval()
        return result

    def _isp_is_done(self):
        self.ensure_one()
        return self.state == "done"

    def _isp_done_locked_fields(self):
        return DONE_MOVE_LOCKED_FIELDS

    def _isp_done_edit_scope(self):
        """Odoo copies a done move's date onto its lines."""
        return [self, self.move_line_ids]

    def _isp_done_log_record(self):
        """The transfer's chatter; a move without one (inventory adjustment, scrap) is
        logged on its product."""
        self.ensure_one()
        return self.picking_id or self.product_id.product_tmpl_id

    def _action_confirm(self, merge=True, merge_into=False, create_proc=True):
        moves = super()._action_confirm(merge=merge, merge_into=merge_into, create_proc=create_proc)
        # Whichever way a transfer gets confirmed (button, request, scheduler), a
        # controlled issuance goes to approval.
        moves.picking_id._isp_request_approval()
        return moves
