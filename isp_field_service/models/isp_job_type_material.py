from odoo import fields, models


class IspJobTypeMaterial(models.Model):
    _name = "isp.job.type.material"
    _description = "Field Job Type Material"
    _order = "job_type_id, sequence, id"
    _check_company_auto = True

    job_type_id = fields.Many2one("isp.job.type", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="job_type_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain=[("is_storable", "=", True)],
    )
    quantity = fields.Float(default=1.0, digits="Product Unit")
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity of a usual material must be positive."
    )
