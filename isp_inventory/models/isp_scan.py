import re

from odoo import api, models
from odoo.exceptions import UserError

from .stock_lot import isp_normalize_mac

# The code printed on the label of a product that has neither a barcode nor an internal
# reference (see product.product/_isp_label_code and product.template/_isp_label_code).
PRODUCT_CODE = re.compile(r"^ISP-P(\d+)$")
TEMPLATE_CODE = re.compile(r"^ISP-T(\d+)$")


class IspScan(models.AbstractModel):
    """What a scanned code (label QR, product barcode, typed serial) points at.

    Shared by the "Scan" screen, RPC clients and anything else that gets a code from a
    keyboard-wedge scanner or a phone camera. Searches run as the calling user, so a
    technician only finds what their record rules let them read.
    """

    _name = "isp.scan"
    _description = "ISP Scan Lookup"

    @api.model
    def isp_lookup(self, code):
        """Find the record behind `code`, in this order: a serial/lot number (exact name,
        current company), a serial by its MAC address (any accepted notation), a product
        (barcode, then internal reference, then the label code ISP-P<id>/ISP-T<id>), a
        location (barcode, then full name).

        Returns ``{"model": ..., "id": ..., "display_name": ...}``; raises a UserError
        when nothing the user can read matches.
        """
        code = (code or "").strip()
        if not code:
            raise UserError(self.env._("Scan or type a code first."))
        for finder in (
            self._isp_find_lot,
            self._isp_find_lot_by_mac,
            self._isp_find_product,
            self._isp_find_location,
        ):
            record = finder(code)
            if record:
                return {"model": record._name, "id": record.id, "display_name": record.display_name}
        raise UserError(
            self.env._(
                "Nothing matches %(code)s: no serial number, product or location you can "
                "see has this code.",
                code=code,
            )
        )

    def _isp_company_domain(self):
        return [("company_id", "in", [self.env.company.id, False])]

    def _isp_find_lot(self, code):
        return self.env["stock.lot"].search(
            [("name", "=", code), *self._isp_company_domain()], limit=1
        )

    def _isp_find_lot_by_mac(self, code):
        """The serial whose MAC address is `code`, written in any accepted notation
        (aabbccddeeff, AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, AABB.CCDD.EEFF)."""
        mac = isp_normalize_mac(code)
        if not mac:
            return self.env["stock.lot"]
        return self.env["stock.lot"].search(
            [("isp_mac_address", "=", mac), *self._isp_company_domain()], limit=1
        )

    def _isp_find_product(self, code):
        Product = self.env["product.product"]
        for field in ("barcode", "default_code"):
            product = Product.search([(field, "=", code), *self._isp_company_domain()], limit=1)
            if product:
                return product
        for pattern, model in (
            (PRODUCT_CODE, "product.product"),
            (TEMPLATE_CODE, "product.template"),
        ):
            match = pattern.match(code)
            if match:
                # search (not browse) so that access rules and the company apply
                return self.env[model].search(
                    [("id", "=", int(match.group(1))), *self._isp_company_domain()], limit=1
                )
        return Product

    def _isp_find_location(self, code):
        Location = self.env["stock.location"]
        for field in ("barcode", "complete_name"):
            location = Location.search([(field, "=", code), *self._isp_company_domain()], limit=1)
            if location:
                return location
        return Location
