from contextlib import contextmanager

from odoo import api, models
from odoo.exceptions import AccessError

# Changes that can make an approved issuance issue more than was approved.
APPROVAL_SENSITIVE_FIELDS = {"product_id", "product_uom_qty", "product_uom", "quantity"}

# Groups Odoo itself lets change moves and move lines (besides the superuser
# environment): stock users, and purchase users, whose order confirmation reserves the
# receipt.
STOCK_WRITER_GROUPS = ("stock.group_stock_user", "purchase.group_purchase_user")

# What a done move keeps: quantities, product, lots, locations, date, transfer, owner,
# partner, and what kind of move it is (an inventory adjustment, a scrap's), which the
# reports read.
DONE_MOVE_LOCKED_FIELDS = {
    "is_inventory",
    "scrap_id",
    "partner_id",
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


# Key of a cursor-local counter (``cr.cache``; the block sets it and puts it back) set
# while Odoo's `_action_done` runs: the one place where moves become done and the
# quants follow them. Server state, never the RPC context.
ACTION_DONE_KEY = "isp_inventory.action_done"
# Key of a cursor-local counter set while Odoo's valuation (`_set_value`: validation, a
# vendor bill, landed costs, Adjust Valuation) sets moves' values.
SET_VALUE_KEY = "isp_inventory.set_value"


@contextmanager
def cursor_flag(cr, key):
    """Count ``key`` up in the cursor's cache for the block (nested blocks add up)."""
    cr.cache[key] = cr.cache.get(key, 0) + 1
    try:
        yield
    finally:
        cr.cache[key] -= 1


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "isp.done.lock.mixin"]

    # Inventory adjustments are about 2% of the moves; the loss and variance report
    # starts from them (and from moves into Losses) instead of reading every move.
    _isp_inventory_date_idx = models.Index("(date) WHERE is_inventory")

    @api.model_create_multi
    def create(self, vals_list):
        self._isp_check_stock_writer(self.env._("create"))
        if any(vals.get("state") == "done" for vals in vals_list):
            self._isp_check_done_by_validation()
        moves = super().create(vals_list)
        moves.picking_id._isp_recheck_approval()
        moves.filtered(lambda move: move.state == "done")._isp_mark_done_now()
        return moves

    def write(self, vals):
        self._isp_check_stock_writer(self.env._("change"))
        if vals.get("state") == "done":
            self._isp_check_done_by_validation()
            # Odoo completes a move in the transaction that validates it (the
            # picking's date_done copied onto its moves and their lines, ...). Only
            # moves done by this write: an earlier done move stays locked (the done
            # lock, isp.done.lock.mixin.write, runs after this).
            becoming_done = self.filtered(lambda move: move.state != "done")
            becoming_done._isp_mark_done_now()
            becoming_done.move_line_ids._isp_mark_done_now()
        if "value" in vals:
            self._isp_check_value_by_valuation()
        result = super().write(vals)
        if APPROVAL_SENSITIVE_FIELDS.intersection(vals):
            self.picking_id._isp_recheck_approval()
        return result

    def unlink(self):
        self._isp_check_stock_writer(self.env._("delete"))
        return super().unlink()

    @api.model
    def _isp_check_stock_writer(self, action, what=None):
        """Technicians may plan the materials of their jobs in the job's form (their
        access rights on stock moves let the web client offer it), which the job
        applies as the system after its own checks; directly, only stock (and
        purchase) users create, change or delete moves and move lines. Technicians
        move stock through the ISP operations, which work in the superuser
        environment."""
        if self.env.su or any(self.env.user.has_group(group) for group in STOCK_WRITER_GROUPS):
            return
        raise AccessError(
            self.env._(
                "You are not allowed to %(action)s %(what)s: only inventory users can. Use the ISP "
                "operations (request, install, take back, job materials and completion, "
                "...) instead.",
                action=action,
                what=what or self.env._("stock moves"),
            )
        )

    def _isp_check_done_by_validation(self):
        """A move becomes done only in Odoo's `_action_done` (a transfer's validation, a
        scrap, an applied count), which moves the quants with it: a user's write of
        ``state`` would record goods as moved while the stock stays where it was. The
        superuser environment passes."""
        if self.env.su or self.env.cr.cache.get(ACTION_DONE_KEY):
            return
        raise AccessError(
            self.env._(
                "A stock move becomes done only when it is validated (a transfer's "
                "Validate, a scrap, an applied count): its state cannot be written."
            )
        )

    def _action_done(self, cancel_backorder=False):
        with cursor_flag(self.env.cr, ACTION_DONE_KEY):
            return super()._action_done(cancel_backorder=cancel_backorder)

    def _isp_check_value_by_valuation(self):
        """A done move's value is the stock valuation's (Odoo 19 values stock from its
        moves): it changes through Odoo's valuation (a vendor bill, landed costs, Adjust
        Valuation, which records a `product.value`), never by a user's write, which
        would change the inventory value with no trace. The superuser environment
        passes."""
        if self.env.su or self.env.cr.cache.get(SET_VALUE_KEY):
            return
        if self.filtered(lambda move: move.state == "done"):
            raise AccessError(
                self.env._(
                    "The value of a done stock move changes only through the stock "
                    "valuation (a vendor bill, landed costs, Adjust Valuation): it cannot "
                    "be written."
                )
            )

    def _set_value(self, correction_quantity=None):
        with cursor_flag(self.env.cr, SET_VALUE_KEY):
            return super()._set_value(correction_quantity=correction_quantity)

    def _search_picking_for_assignation_domain(self):
        """Moves Odoo groups into an open transfer (the scheduler's replenishment of a
        van, a procurement) never join an ISP document: a request or issuance someone
        asked for, or one in the approval engine, is what its requester asked and its
        approver approves (a van's top-up joined a request waiting for approval and
        waited with it)."""
        return super()._search_picking_for_assignation_domain() + [
            ("isp_requested_by_id", "=", False),
            ("isp_approval_state", "=", "none"),
        ]

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

    def _should_assign_at_confirm(self):
        """`isp_assign_later`: the caller reserves these moves itself right after the
        confirmation (a job names its serials), so confirming does not reserve first
        only to be undone. It only postpones a reservation; it allows nothing."""
        if self.env.context.get("isp_assign_later"):
            return False
        return super()._should_assign_at_confirm()

    def _action_confirm(self, merge=True, merge_into=False, create_proc=True):
        moves = super()._action_confirm(merge=merge, merge_into=merge_into, create_proc=create_proc)
        # Whichever way a transfer gets confirmed (button, request, scheduler), a
        # controlled issuance goes to approval.
        moves.picking_id._isp_request_approval()
        return moves
