import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

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
    # Serial identity (serial-tracked products): checked when a serial is created or
    # renamed (stock.lot `_isp_check_serial_format`), never on the serials that exist
    # when the format is set or changed.
    isp_serial_format = fields.Char(
        string="Serial Format",
        help="Python regular expression every new serial number of this product must "
        "match in full, e.g. HWTC[0-9A-F]{8}. Serials recorded before the format was set "
        "are kept as they are.",
    )
    isp_serial_format_hint = fields.Char(
        string="Serial Format Hint",
        translate=True,
        help='The format in words, shown when a serial is refused, e.g. "HWTC followed '
        'by 8 hexadecimal digits".',
    )
    isp_mac_required = fields.Boolean(
        string="MAC Address Required",
        help="Each serial carries a MAC address: a serial without one cannot be installed "
        "at a customer.",
    )

    @api.constrains("isp_serial_format")
    def _check_isp_serial_format(self):
        for template in self.filtered("isp_serial_format"):
            try:
                re.compile(template.isp_serial_format)
            except re.error as error:
                raise ValidationError(
                    self.env._(
                        "The serial format %(format)s of %(product)s is not a valid regular "
                        "expression: %(error)s",
                        format=template.isp_serial_format,
                        product=template.display_name,
                        error=error,
                    )
                ) from error

    def _isp_serial_matches(self, name):
        """Whether serial number `name` fits this product's format (no format: yes)."""
        self.ensure_one()
        pattern = self.isp_serial_format
        return not pattern or re.fullmatch(pattern, name or "") is not None

    def _isp_serial_format_description(self):
        """The format in words (the hint), else the regular expression itself."""
        self.ensure_one()
        return self.isp_serial_format_hint or self.isp_serial_format or ""

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

    # ------------------------------------------------------------------
    # Cable spools (issue 12 point 4): a lot per spool, counted in metres
    # ------------------------------------------------------------------
    isp_is_spool = fields.Boolean(
        string="Cable Spool",
        help="Drop cable or fibre bought on spools: each spool is a lot counted in metres; "
        "lengths are cut from a named spool (issued to a van, used on jobs) so each cut "
        "stays traceable to its spool and purchase order.",
    )

    @api.constrains("isp_is_spool", "tracking", "uom_id")
    def _check_isp_is_spool(self):
        metre = self.env.ref("uom.product_uom_meter", raise_if_not_found=False)
        for template in self.filtered("isp_is_spool"):
            if template.tracking != "lot" or template.uom_id != metre:
                raise ValidationError(
                    self.env._(
                        "%(product)s is a cable spool: it must be tracked by lots (one lot "
                        "per spool) and counted in metres (m).",
                        product=template.display_name,
                    )
                )
