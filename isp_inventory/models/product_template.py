from odoo import api, fields, models

from .product_category import SERIAL_ITEM_CLASSES


class ProductTemplate(models.Model):
    _inherit = "product.template"

    isp_item_class = fields.Selection(
        string="ISP Item Class",
        related="categ_id.isp_item_class",
        store=True,
        index=True,
    )
    isp_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Vendor warranty of each serial, counted from the day it was received.",
    )
    isp_eol_date = fields.Date(
        string="End of Life",
        help="Date the vendor stops supporting this product (no more firmware or spares).",
    )

    @api.onchange("categ_id")
    def _onchange_categ_id_isp_defaults(self):
        """The ISP class sets the defaults: storable, serial-tracked where units matter."""
        if not self.isp_item_class:
            return
        self.is_storable = True
        if self.isp_item_class in SERIAL_ITEM_CLASSES:
            self.tracking = "serial"
        elif self.tracking == "serial":
            self.tracking = "none"

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(self._isp_apply_class_defaults(vals_list))

    @api.model
    def _isp_apply_class_defaults(self, vals_list):
        """Class defaults for values not given, for products created by import or RPC
        (templates or variants) as the category onchange does in the form."""
        categories = self.env["product.category"].browse(
            {vals["categ_id"] for vals in vals_list if vals.get("categ_id")}
        )
        item_class = {categ.id: categ.isp_item_class for categ in categories}
        for vals in vals_list:
            isp_class = item_class.get(vals.get("categ_id"))
            if not isp_class:
                continue
            vals.setdefault("type", "consu")
            vals.setdefault("is_storable", True)
            vals.setdefault("tracking", "serial" if isp_class in SERIAL_ITEM_CLASSES else "none")
        return vals_list

    def _isp_label_code(self):
        """The label code of the product (see product.product/_isp_label_code); a template
        with several variants gets 'ISP-T<id>' unless it has its own barcode/reference."""
        self.ensure_one()
        if self.product_variant_count == 1:
            return self.product_variant_id._isp_label_code()
        return self.barcode or self.default_code or f"ISP-T{self.id}"
