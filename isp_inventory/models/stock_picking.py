from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    isp_requested_by_id = fields.Many2one(
        "res.users",
        string="Requested By",
        index="btree_not_null",
        copy=False,
        help="Who asked for this stock (a technician, or the storekeeper on their behalf).",
    )

    @api.model
    def _isp_create_done(self, picking_type, source, destination, lines, **picking_vals):
        """Create and validate at once a transfer of `lines` from `source` to `destination`.

        The one way the ISP flows (install, take back, job consumption) move stock
        immediately. `lines` is a list of ``(product, quantity, lot_or_empty)``. The
        transfer either moves everything asked or raises: it never leaves a partial
        transfer or creates negative stock in an internal location.
        """
        if not lines:
            raise UserError(self.env._("Nothing to transfer."))
        picking = self.create(
            dict(
                picking_vals,
                picking_type_id=picking_type.id,
                location_id=source.id,
                location_dest_id=destination.id,
            )
        )
        for product, quantity, lot in lines:
            if quantity <= 0:
                raise UserError(
                    self.env._(
                        "The quantity of %(product)s must be positive.",
                        product=product.display_name,
                    )
                )
            move = self.env["stock.move"].create(
                {
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom_qty": quantity,
                    "product_uom": product.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                }
            )
            move._action_confirm()
            if lot:
                picking._isp_check_lot_in_source(lot, source)
                move.move_line_ids.unlink()
                self.env["stock.move.line"].create(
                    {
                        "move_id": move.id,
                        "picking_id": picking.id,
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "quantity": quantity,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
            else:
                move._action_assign()
                if source.usage == "internal" and move.quantity < quantity:
                    raise UserError(
                        self.env._(
                            "%(location)s has only %(available)s %(uom)s of %(product)s "
                            "available, %(wanted)s needed.",
                            location=source.display_name,
                            available=move.quantity,
                            uom=move.product_uom.name,
                            product=product.display_name,
                            wanted=quantity,
                        )
                    )
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, cancel_backorder=True).button_validate()
        if picking.state != "done":
            raise UserError(
                self.env._("Transfer %(name)s could not be completed.", name=picking.name)
            )
        return picking

    def _isp_check_lot_in_source(self, lot, source):
        if source.usage != "internal":
            return
        if lot.quant_ids.filtered(lambda q: q.location_id == source and q.quantity > 0):
            return
        raise UserError(
            self.env._(
                "Serial %(lot)s is not in %(location)s.",
                lot=lot.name,
                location=source.display_name,
            )
        )
