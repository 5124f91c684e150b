from odoo import fields, models


class IspRegion(models.Model):
    """A region groups branch warehouses (e.g. Nairobi, Mombasa) for filtering and reports."""

    _name = "isp.region"
    _description = "ISP Region"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in location names and reports, e.g. NBO.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    warehouse_ids = fields.One2many("stock.warehouse", "isp_region_id", string="Branches")
    active = fields.Boolean(default=True)

    _name_company_uniq = models.Constraint(
        "UNIQUE(name, company_id)", "A region with this name already exists in this company."
    )
