from odoo import api, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        """Variants fill the template's defaults before creating it: apply the ISP class
        defaults first."""
        vals_list = self.env["product.template"]._isp_apply_class_defaults(vals_list)
        return super().create(vals_list)

    def _isp_label_code(self):
        """The code printed as QR on the product's label and understood by isp.scan: the
        barcode, else the internal reference, else 'ISP-P<id>'."""
        self.ensure_one()
        return self.barcode or self.default_code or f"ISP-P{self.id}"
