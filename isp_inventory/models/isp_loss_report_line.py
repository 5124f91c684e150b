from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# What an approver approves on a loss report: changing it afterwards goes through the
# approval engine (refused once the approved report is posted).
APPROVED_CONTENT = {"report_id", "product_id", "lot_id", "quantity", "location_id"}


class IspLossReportLine(models.Model):
    _name = "isp.loss.report.line"
    _description = "Loss Report Item"
    _inherit = ["isp.server.fields.mixin"]
    _isp_server_fields = ("report_id",)
    _check_company_auto = True

    report_id = fields.Many2one("isp.loss.report", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    technician_id = fields.Many2one(related="report_id.technician_id")
    currency_id = fields.Many2one(related="report_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('is_storable', '=', True), ('isp_item_class', '!=', False)]",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit", required=True)
    location_id = fields.Many2one(
        "stock.location",
        string="From",
        compute="_compute_location_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        check_company=True,
        domain="[('isp_technician_id', '=', technician_id)]",
        help="The technician's van or kit the items were lost from.",
    )
    amount = fields.Monetary(
        string="Value",
        compute="_compute_amount",
        store=True,
        currency_field="currency_id",
        help="Quantity at the product's cost when reported.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["isp.loss.report"].browse(
            [vals["report_id"] for vals in vals_list if vals.get("report_id")]
        )._isp_check_change_of_items()
        return super().create(vals_list)

    def write(self, vals):
        """The items of a report waiting for or past approval are part of what is
        decided: changing them reopens the approval, or is refused once posted."""
        reports = self.report_id
        if APPROVED_CONTENT.intersection(vals):
            reports |= self.report_id.browse(vals.get("report_id"))
        reports._isp_check_change_of_items()
        return super().write(vals)

    def unlink(self):
        self.report_id._isp_check_change_of_items()
        return super().unlink()

    @api.depends("lot_id", "technician_id", "product_id")
    def _compute_location_id(self):
        for line in self:
            technician_locations = line.technician_id._isp_locations()
            if line.lot_id.location_id in technician_locations:
                line.location_id = line.lot_id.location_id
            elif line.product_id.isp_item_class == "tool":
                line.location_id = line.technician_id.kit_location_id
            else:
                line.location_id = line.technician_id.vehicle_location_id

    def _isp_check_held(self):
        """The items are where they are lost from: the lines' quantities (summed per
        product, location and serial) are available there, or UserError naming the
        first that is not. Checked when the report is submitted and again when it is
        posted (stock may have moved meanwhile)."""
        wanted = {}
        for line in self:
            key = (line.product_id, line.location_id, line.lot_id)
            wanted[key] = wanted.get(key, 0.0) + line.quantity
        Quant = self.env["stock.quant"]
        for (product, location, lot), quantity in wanted.items():
            available = Quant._get_available_quantity(
                product, location, lot_id=lot or None, strict=True
            )
            if product.uom_id.compare(available, quantity) < 0:
                raise UserError(
                    self.env._(
                        "%(location)s holds only %(available)s %(product)s.",
                        location=location.display_name,
                        available=available,
                        product=product.display_name,
                    )
                )

    @api.depends("product_id", "quantity")
    def _compute_amount(self):
        for line in self:
            line.amount = line.quantity * line.product_id.standard_price

    @api.constrains("quantity", "lot_id", "location_id")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(self.env._("A lost quantity must be positive."))
            # a lot of another kind (a cable spool) loses any length
            if line.lot_id and line.product_id.tracking == "serial" and line.quantity != 1:
                raise ValidationError(self.env._("A serial number is one unit."))
            if line.location_id.isp_technician_id != line.technician_id:
                raise ValidationError(
                    self.env._("Items are lost from the technician's own van or kit.")
                )
