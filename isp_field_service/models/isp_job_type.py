from odoo import fields, models


class IspJobType(models.Model):
    """A kind of field job (FTTH installation, repair, ...) and the materials it usually
    needs; the template a job card's material list starts from."""

    _name = "isp.job.type"
    _description = "Field Job Type"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    material_line_ids = fields.One2many(
        "isp.job.type.material", "job_type_id", string="Usual Materials", copy=True
    )
    description = fields.Html(translate=True)
