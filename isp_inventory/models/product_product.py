from odoo import api, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        """Variants fill the template's defaults before creating it: apply the ISP class
        defaults first."""
        vals_list = self.env["product.template"]._isp_apply_class_defaults(vals_list)
        return super().create(vals_list)
