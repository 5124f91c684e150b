from odoo import api, fields, models
from odoo.exceptions import ValidationError

COUNT_REASONS = [
    ("lost", "Lost"),
    ("damaged", "Damaged"),
    ("unrecorded_use", "Used, not recorded"),
    ("miscount", "Miscount / recording error"),
    ("found", "Found"),
    ("other", "Other"),
]


def negative_count_message(env, product, location):
    """The one wording for a negative count, on a count line or a technician's quant."""
    return env._(
        "A counted quantity cannot be negative (%(product)s in %(location)s).",
        product=product.display_name,
        location=location.display_name,
    )


class IspStockCountLine(models.Model):
    _name = "isp.stock.count.line"
    _description = "Technician Stock Count Line"
    _inherit = ["isp.server.fields.mixin"]
    _isp_server_fields = ("count_id", "snapshot_qty")
    _order = "count_id, location_id, product_id, lot_id, id"
    _check_company_auto = True

    count_id = fields.Many2one("isp.stock.count", required=True, ondelete="cascade", index=True)
    technician_id = fields.Many2one(related="count_id.technician_id")
    company_id = fields.Many2one(related="count_id.company_id", store=True)
    currency_id = fields.Many2one(related="count_id.currency_id")
    state = fields.Selection(related="count_id.state")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('is_storable', '=', True)]",
    )
    tracking = fields.Selection(related="product_id.tracking")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
    )
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        compute="_compute_location_id",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
        domain="[('isp_technician_id', '=', technician_id)]",
        help="The technician's van or kit.",
    )
    snapshot_qty = fields.Float(
        string="Expected (blind)",
        digits="Product Unit",
        compute="_compute_snapshot_qty",
        store=True,
        # not readonly: a value given at creation (the snapshot) is kept, not recomputed;
        # no user changes it afterwards (isp.server.fields.mixin)
        readonly=False,
        groups="isp_inventory.group_isp_approver",
        help="On hand when the count started (or when an item found was added). Only "
        "Inventory Approvers and ISP Managers read it: the counter of a blind audit does "
        "not (see Expected).",
    )
    expected_qty = fields.Float(
        string="Expected",
        digits="Product Unit",
        compute="_compute_expected_qty",
        store=True,
        readonly=True,
        help="On hand when the count started (or when an item found was added); 0 while "
        "the count is a blind audit whose counted quantities are not submitted yet.",
    )
    counted_qty = fields.Float(string="Counted", digits="Product Unit")
    variance_qty = fields.Float(
        string="Variance", digits="Product Unit", compute="_compute_variance", store=True
    )
    variance_value = fields.Monetary(
        string="Value",
        compute="_compute_variance",
        store=True,
        currency_field="currency_id",
        help="Variance at the product's cost.",
    )
    reason = fields.Selection(COUNT_REASONS, help="Required when counted differs from expected.")
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        self.env["isp.stock.count"].browse(
            [vals["count_id"] for vals in vals_list if vals.get("count_id")]
        )._isp_check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.count_id._isp_check_lines_editable(set(vals))
        return super().write(vals)

    def unlink(self):
        self.count_id._isp_check_lines_editable()
        return super().unlink()

    @api.depends("count_id.technician_id", "product_id", "lot_id")
    def _compute_location_id(self):
        for line in self:
            locations = line.technician_id._isp_locations()
            if line.location_id in locations:
                continue
            if line.lot_id.location_id in locations:
                line.location_id = line.lot_id.location_id
            elif line.product_id.isp_item_class == "tool":
                line.location_id = line.technician_id.kit_location_id
            else:
                line.location_id = line.technician_id.vehicle_location_id

    @api.depends("product_id", "lot_id", "location_id")
    def _compute_snapshot_qty(self):
        """Items added by hand (found) expect what is on hand now (normally nothing);
        the snapshot passes its own quantity."""
        for line in self:
            line.snapshot_qty = line._isp_current_qty() if line.product_id else 0.0

    @api.depends("snapshot_qty", "count_id.is_blind")
    def _compute_expected_qty(self):
        """The snapshot, except during a blind audit: stored as 0 then, so no read,
        search, grouping or sum of this field tells the counter what to expect."""
        for line in self:
            line.expected_qty = 0.0 if line.count_id.is_blind else line.snapshot_qty

    @api.depends("expected_qty", "counted_qty", "product_id", "count_id.is_blind")
    def _compute_variance(self):
        for line in self:
            if line.count_id.is_blind:
                # counted minus nothing would be the counted quantity: no variance yet
                line.variance_qty = line.variance_value = 0.0
                continue
            line.variance_qty = line.counted_qty - line.expected_qty
            product = line.product_id.with_company(line.company_id or self.env.company)
            line.variance_value = line.variance_qty * product.standard_price

    @api.constrains("counted_qty", "lot_id")
    def _check_counted_qty(self):
        for line in self:
            if line.counted_qty < 0:
                raise ValidationError(
                    negative_count_message(self.env, line.product_id, line.location_id)
                )
            if line.lot_id and line.product_id.tracking == "serial" and line.counted_qty > 1:
                raise ValidationError(
                    self.env._(
                        "Serial %(lot)s is one unit: count 1 (here) or 0 (missing), not "
                        "%(qty)s.",
                        lot=line.lot_id.name,
                        qty=line.counted_qty,
                    )
                )

    @api.constrains("location_id", "count_id")
    def _check_location(self):
        for line in self:
            if line.location_id not in line.count_id.technician_id._isp_locations():
                raise ValidationError(
                    self.env._(
                        "%(location)s is not the van or kit of %(technician)s.",
                        location=line.location_id.display_name,
                        technician=line.count_id.technician_id.name,
                    )
                )

    def _isp_has_variance(self):
        self.ensure_one()
        return not self.product_id.uom_id.is_zero(self.variance_qty)

    def _isp_labels(self):
        return [
            f"{line.product_id.display_name} ({line.lot_id.name})"
            if line.lot_id
            else line.product_id.display_name
            for line in self
        ]

    def _isp_own_quant(self):
        """The plain quant (no package, no owner) of the line's product and lot in its
        location, the one the adjustment is applied to."""
        self.ensure_one()
        return self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product_id.id),
                ("location_id", "=", self.location_id.id),
                ("lot_id", "=", self.lot_id.id),
                ("package_id", "=", False),
                ("owner_id", "=", False),
            ],
            limit=1,
        )

    def _isp_current_qty(self):
        """On hand now of the line's product and lot exactly in its location."""
        self.ensure_one()
        if not self.location_id:
            return 0.0
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product_id.id),
                ("location_id", "=", self.location_id.id),
                ("lot_id", "=", self.lot_id.id),
            ]
        )
        return sum(quants.mapped("quantity"))
