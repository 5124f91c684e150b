from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .isp_stock_count_line import negative_count_message

# What a quant is and holds. Odoo writes them only in the stock layer
# (`_update_available_quantity`, in sudo, from done moves and reservations); its
# `write` refuses the first five in inventory mode only, so without that context a
# stock user's RPC call could rewrite stock with no move at all.
QUANT_LEDGER_FIELDS = (
    "product_id",
    "location_id",
    "lot_id",
    "package_id",
    "owner_id",
    "quantity",
    "reserved_quantity",
    "in_date",
)


class StockQuant(models.Model):
    _inherit = "stock.quant"

    # Stored so stock can be filtered and grouped by branch and region.
    isp_warehouse_id = fields.Many2one(
        related="location_id.warehouse_id", store=True, string="Branch", index=True
    )
    isp_region_id = fields.Many2one(
        related="isp_warehouse_id.isp_region_id", store=True, string="Region", index=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A quant is created with stock in it only by the stock layer: a user creates
        empty ones (a Physical Inventory line, whose count becomes a move when
        applied)."""
        if not self.env.su:
            for vals in vals_list:
                self._isp_check_ledger_write(
                    [name for name in ("quantity", "reserved_quantity") if vals.get(name)]
                )
            # Odoo's inventory mode finds and counts an existing quant in sudo: a scoped
            # user would put a count on another branch's stock he cannot see
            self.env.user._isp_check_branch_locations(
                self.env["stock.location"].browse(
                    [vals["location_id"] for vals in vals_list if vals.get("location_id")]
                ),
                self.env._("Counting stock there is not allowed"),
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._isp_check_ledger_write([name for name in QUANT_LEDGER_FIELDS if name in vals])
        if "inventory_quantity" in vals and "inventory_quantity_set" not in vals:
            # a count written is a count entered, also when it equals the quantity the
            # quant already showed (0 after an applied count): Odoo marks it only when the
            # value changes, and `action_apply_inventory` applies entered counts only
            vals = dict(vals, inventory_quantity_set=True)
        return super().write(vals)

    @api.model
    def _isp_check_ledger_write(self, names):
        """Refuse a user's direct write of the quant fields ``names``: stock on hand
        changes only through done moves, which carry the checks of every path
        (custody, branch scope, no negative stock, install records)."""
        if names:
            raise AccessError(
                self.env._(
                    "Stock on hand changes only through stock moves (a transfer, a scrap, "
                    "a count applied in Physical Inventory): %(fields)s of a quant cannot "
                    "be written directly.",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env) for name in names
                    ),
                )
            )

    def action_apply_inventory(self, date=None):
        """Apply the counted quantities. A quant without a count entered
        (``inventory_quantity_set``) is refused, with nothing applied: its
        ``inventory_quantity`` is 0 once a count is applied, so a resent call (an RPC
        client retrying after a lost answer) would otherwise write the whole location
        down to 0. Returns True rather than Odoo's None, which XML-RPC cannot carry
        (the call used to fail there after applying the count)."""
        if not self.env.su:
            # who may not count at all hears that first
            self.check_access("write")
            not_counted = self.filtered(lambda quant: not quant.inventory_quantity_set)
            if not_counted:
                quant = not_counted[0]
                raise UserError(
                    self.env._(
                        "No count is entered for %(product)s in %(location)s (it was "
                        "applied already, or never counted): enter the counted quantity "
                        "before applying it.",
                        product=quant.product_id.display_name,
                        location=quant.location_id.display_name,
                    )
                )
        result = super().action_apply_inventory(date=date)
        return True if result is None else result

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
