from odoo import api, fields, models
from odoo.exceptions import ValidationError

LINE_TYPE_BY_ITEM_CLASS = {"tool": "tool", "consumable": "consumable"}


class IspKitTemplateLine(models.Model):
    _name = "isp.kit.template.line"
    _description = "ISP Technician Kit Template Line"
    _order = "template_id, line_type desc, id"
    _check_company_auto = True

    template_id = fields.Many2one("isp.kit.template", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="template_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('is_storable', '=', True)]",
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit")
    line_type = fields.Selection(
        [
            ("tool", "Tool (personal kit)"),
            ("equipment", "Equipment (van)"),
            ("consumable", "Consumable (van)"),
        ],
        string="Type",
        required=True,
        compute="_compute_line_type",
        store=True,
        readonly=False,
        precompute=True,
        help="Tools go to the personal kit; equipment and consumables to the van.",
    )
    monthly_allowance = fields.Float(
        digits="Product Unit",
        help="Consumables: how much a technician may use in a month; the monthly top-up "
        "brings the van back to this quantity.",
    )

    @api.depends("product_id")
    def _compute_line_type(self):
        for line in self:
            line.line_type = LINE_TYPE_BY_ITEM_CLASS.get(
                line.product_id.isp_item_class, "equipment"
            )

    @api.constrains("quantity", "monthly_allowance", "product_id")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of %(product)s in the kit must be positive.",
                        product=line.product_id.display_name,
                    )
                )
            if line.monthly_allowance < 0:
                raise ValidationError(self.env._("The monthly allowance cannot be negative."))
            if not line.product_id.active:
                raise ValidationError(
                    self.env._(
                        "%(product)s is archived and cannot be part of a kit.",
                        product=line.product_id.display_name,
                    )
                )
