from odoo import api, fields, models


class IspJobCompleteWizardLine(models.TransientModel):
    _name = "isp.job.complete.wizard.line"
    _description = "Complete Field Job: Material Used"
    _check_company_auto = True

    wizard_id = fields.Many2one("isp.job.complete.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    material_id = fields.Many2one("stock.move", required=True, check_company=True)
    product_id = fields.Many2one(related="material_id.product_id")
    tracking = fields.Selection(related="material_id.product_id.tracking")
    planned = fields.Float(related="material_id.product_uom_qty", string="Planned")
    qty_used = fields.Float(string="Used", digits="Product Unit")
    # Cable spools: the spool in the van the length is cut from.
    is_spool = fields.Boolean(related="material_id.product_id.isp_is_spool")
    van_id = fields.Many2one(related="wizard_id.van_id")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Spool",
        check_company=True,
        domain="[('product_id', '=', product_id), ('quant_ids.location_id', '=', van_id)]",
        help="The cable spool in the van the length used is cut from.",
    )

    @api.model
    def _default_spool(self, product, van):
        """The spool of `product` in `van` holding the most metres (a spool line starts
        on it)."""
        if not product.isp_is_spool or not van:
            return self.env["stock.lot"]
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", van.id),
                ("lot_id", "!=", False),
                ("quantity", ">", 0),
            ],
            order="quantity desc",
            limit=1,
        )
        return quant.lot_id

    def _prepare_values(self):
        self.ensure_one()
        values = {"material_id": self.material_id.id, "qty_used": self.qty_used}
        if self.is_spool and self.lot_id and self.qty_used:
            values["lots"] = [{"lot": self.lot_id.id, "qty": self.qty_used}]
        return values
