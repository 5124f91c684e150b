from odoo import fields, models


class IspKitTemplate(models.Model):
    """What a technician should carry: tools in the personal kit, equipment and
    consumables in the van, and how much of each consumable they may use a month."""

    _name = "isp.kit.template"
    _description = "ISP Technician Kit Template"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    line_ids = fields.One2many("isp.kit.template.line", "template_id", string="Lines", copy=True)
    technician_ids = fields.One2many("isp.technician", "kit_template_id", string="Technicians")
