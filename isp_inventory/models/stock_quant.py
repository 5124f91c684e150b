from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .isp_stock_count_line import negative_count_message


class StockQuant(models.Model):
    _inherit = "stock.quant"

    # Stored so stock can be filtered and grouped by branch and region.
    isp_warehouse_id = fields.Many2one(
        related="location_id.warehouse_id", store=True, string="Branch", index=True
    )
    isp_region_id = fields.Many2one(
        related="isp_warehouse_id.isp_region_id", store=True, string="Region", index=True
    )

    @api.constrains("inventory_quantity", "location_id")
    def _check_isp_inventory_quantity(self):
        """No negative count in a technician's van or kit (same rule as a count line)."""
        for quant in self:
            if quant.location_id.isp_technician_id and quant.inventory_quantity < 0:
                raise ValidationError(
                    negative_count_message(self.env, quant.product_id, quant.location_id)
                )

    @api.model
    def _update_available_quantity(
        self,
        product_id,
        location_id,
        quantity=False,
        reserved_quantity=False,
        lot_id=None,
        package_id=None,
        owner_id=None,
        in_date=None,
    ):
        """Untracked stock delivered to a customer location adds a quant of its own
        instead of updating the location's one row per product: every job completion and
        delivery of a consumable otherwise updates that same row, and concurrent ones fail
        with serialization errors that reach the technician (measured by `make load`
        with two servers). Odoo does the same when the row is locked, and its quant tasks
        merge such quants (`_merge_quants`)."""
        if (
            location_id.usage == "customer"
            and not (lot_id or package_id or owner_id or reserved_quantity)
            and quantity
            and product_id.uom_id.compare(quantity, 0) > 0
        ):
            # sudo: quants are written by the stock layer only, as in Odoo's own method
            self.sudo().create(
                {
                    "product_id": product_id.id,
                    "location_id": location_id.id,
                    "quantity": quantity,
                    "in_date": in_date or fields.Datetime.now(),
                }
            )
            available = self._get_available_quantity(
                product_id,
                location_id,
                lot_id=lot_id,
                package_id=package_id,
                owner_id=owner_id,
                strict=True,
                allow_negative=True,
            )
            return available, in_date or fields.Datetime.now()
        return super()._update_available_quantity(
            product_id,
            location_id,
            quantity=quantity,
            reserved_quantity=reserved_quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            in_date=in_date,
        )

    # ------------------------------------------------------------------
    # Refurbishment (issue 12 point 3): new or refurbished serials first
    # ------------------------------------------------------------------
    def _gather(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
        qty=0,
    ):
        """Reservation takes quants in the order returned here: when the company of the
        location prefers new (never refurbished) or refurbished serials
        (`res.company.isp_issue_preference`), those come first, each group keeping the
        removal strategy's order (a stable sort), untracked quants still last. Only
        serials taken from a store: a van or kit holds what the technician was given."""
        quants = super()._gather(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            qty=qty,
        )
        if product_id.tracking != "serial" or lot_id or location_id.isp_technician_id:
            return quants
        company = location_id.company_id or self.env.company
        preference = company.isp_issue_preference
        if preference not in ("new", "refurbished"):
            return quants
        # sudo: only the serials' refurbishment count orders the quants (reservation
        # runs for users who may not read every serial).
        refurbished_first = preference == "refurbished"
        return quants.sorted(
            lambda quant: (
                not quant.lot_id,
                bool(quant.sudo().lot_id.isp_refurb_count) != refurbished_first,
            )
        )
