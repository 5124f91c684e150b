from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .stock_move import APPROVAL_SENSITIVE_FIELDS

# What a done move line keeps: quantity, lot, locations, product, date, transfer,
# owner, packages.
DONE_MOVE_LINE_LOCKED_FIELDS = {
    "product_id",
    "quantity",
    "product_uom_id",
    "lot_id",
    "lot_name",
    "location_id",
    "location_dest_id",
    "date",
    "picking_id",
    "move_id",
    "owner_id",
    "package_id",
    "result_package_id",
    "quant_id",
}
# Groups Odoo itself lets change move lines (besides the superuser environment):
# stock users, and purchase users, whose order confirmation reserves the receipt.
STOCK_WRITER_GROUPS = ("stock.group_stock_user", "purchase.group_purchase_user")


class StockMoveLine(models.Model):
    _name = "stock.move.line"
    _inherit = ["stock.move.line", "isp.done.lock.mixin"]

    # Stored so the moves history can be filtered and grouped by branch and region.
    isp_warehouse_id = fields.Many2one(
        related="picking_type_id.warehouse_id", store=True, string="Branch", index=True
    )
    isp_region_id = fields.Many2one(
        related="isp_warehouse_id.isp_region_id", store=True, string="Region", index=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._isp_check_stock_writer(self.env._("create"))
        moves = self.env["stock.move"].browse(
            [vals["move_id"] for vals in vals_list if vals.get("move_id")]
        )
        moves._isp_check_done_write({"move_line_ids"})
        lines = super().create(vals_list)
        lines.picking_id._isp_recheck_approval()
        return lines

    def write(self, vals):
        self._isp_check_stock_writer(self.env._("change"))
        result = super().write(vals)
        if APPROVAL_SENSITIVE_FIELDS.intersection(vals):
            self.picking_id._isp_recheck_approval()
        return result

    def unlink(self):
        self._isp_check_stock_writer(self.env._("delete"))
        return super().unlink()

    def _isp_check_stock_writer(self, action):
        """Odoo grants every internal user create/write/unlink on move lines; only stock
        (and purchase) users may use them directly. Technicians move stock through the
        ISP operations, which do the stock part in the superuser environment."""
        if self.env.su or any(self.env.user.has_group(group) for group in STOCK_WRITER_GROUPS):
            return
        raise AccessError(
            self.env._(
                "You may not %(action)s stock move lines: only inventory users can. Use the "
                "ISP operations (request, install, take back, job completion, ...) instead.",
                action=action,
            )
        )

    def _isp_is_done(self):
        self.ensure_one()
        return self.state == "done"

    def _isp_done_locked_fields(self):
        return DONE_MOVE_LINE_LOCKED_FIELDS

    def _isp_done_edit_scope(self):
        """Odoo updates the line's move when a done quantity is corrected."""
        return [self, self.move_id]

    def _isp_done_log_record(self):
        self.ensure_one()
        return self.picking_id or self.move_id.picking_id or self.product_id.product_tmpl_id

    def _action_done(self):
        """A tool whose inspection is overdue cannot go into a technician's kit, whatever
        the transfer (sign-out, request, kit template); and no transfer may leave a
        branch's store, quarantine, van or kit with less than nothing."""
        to_kits = self.filtered(
            lambda line: line.lot_id and line.location_dest_id.isp_role == "kit"
        )
        to_kits.lot_id._isp_check_inspections()
        guarded = self.location_id.filtered(
            lambda loc: loc.usage == "internal" and (loc.warehouse_id or loc.isp_technician_id)
        )
        products = self.filtered(lambda line: line.location_id in guarded).product_id
        result = super()._action_done()
        self._isp_check_no_negative_custody(guarded, products)
        return result

    def _isp_check_no_negative_custody(self, locations, products):
        """Refuse quants below zero of `products` in `locations` (internal locations of a
        branch: stores, quarantine, vans, kits) once the moves are done.

        Odoo lets a forced quantity (set by hand beyond what is reserved) or an inventory
        adjustment take a location below zero; in a branch that is refused. It is also
        what makes a last-unit race end with one winner: when two transfers take the
        last unit at once, Odoo's quant update skips the quant the other transaction
        holds and books the second one on a new, negative quant (or, when the first has
        committed, the retried call finds nothing left), which this check refuses.
        """
        if not locations:
            return
        negative = (
            self.env["stock.quant"]
            .search(
                [
                    ("location_id", "in", locations.ids),
                    ("product_id", "in", products.ids),
                    ("quantity", "<", 0),
                ]
            )
            .filtered(lambda quant: quant.product_uom_id.compare(quant.quantity, 0) < 0)
        )
        if negative:
            raise UserError(
                self.env._(
                    "A store, van or kit cannot hold less than nothing: %(lines)s. Another "
                    "user may just have taken the last units: transfer only what is there, "
                    "or count the location first.",
                    lines=", ".join(
                        f"{quant.product_id.display_name} in {quant.location_id.display_name} "
                        f"({quant.quantity:g})"
                        for quant in negative
                    ),
                )
            )
