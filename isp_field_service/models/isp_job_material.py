from odoo import api, fields, models


class IspJobMaterial(models.Model):
    """One material of a job card: planned, then taken from the van or issued from the
    branch, then used at the customer (serials listed), and any leftover returned."""

    _name = "isp.job.material"
    _description = "Field Job Material"
    _inherit = ["isp.server.fields.mixin"]
    _isp_server_fields = ("task_id",)
    _order = "task_id, sequence, id"
    _check_company_auto = True

    task_id = fields.Many2one(
        "project.task", string="Job", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="task_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True, domain=[("is_storable", "=", True)]
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    tracking = fields.Selection(related="product_id.tracking")
    quantity = fields.Float(string="Planned", digits="Product Unit", default=1.0)
    qty_from_van = fields.Float(
        string="From Van",
        digits="Product Unit",
        readonly=True,
        copy=False,
        help="Already in the technician's van when the materials were issued: set aside "
        "for this job instead of being issued again.",
    )
    qty_issued = fields.Float(
        string="Issued",
        digits="Product Unit",
        readonly=True,
        copy=False,
        help="Requested from the home branch for this job.",
    )
    qty_used = fields.Float(string="Used", digits="Product Unit", readonly=True, copy=False)
    qty_returned = fields.Float(string="Returned", digits="Product Unit", readonly=True, copy=False)
    lot_ids = fields.Many2many("stock.lot", string="Serials Installed", readonly=True, copy=False)
    cost = fields.Monetary(
        compute="_compute_cost", currency_field="currency_id", help="Used quantity at stock cost."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    _quantity_positive = models.Constraint(
        "CHECK(quantity >= 0)", "The planned quantity cannot be negative."
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["project.task"].browse(
            [vals["task_id"] for vals in vals_list if vals.get("task_id")]
        )._isp_check_done_write({"isp_material_ids"})
        return super().create(vals_list)

    def write(self, vals):
        """The materials of a completed job are part of it (done is done)."""
        self.task_id._isp_check_done_write({"isp_material_ids"})
        return super().write(vals)

    def unlink(self):
        self.task_id._isp_check_done_write({"isp_material_ids"})
        return super().unlink()

    @api.depends("qty_used", "product_id", "task_id.isp_picking_ids.move_ids.value")
    def _compute_cost(self):
        for material in self:
            moves = material.task_id._isp_consumption_moves().filtered(
                lambda m, p=material.product_id: m.product_id == p
            )
            material.cost = sum(moves.mapped("value"))

    def _isp_claimed_qty(self):
        """What these lines count on in the van: set aside from it plus issued to it."""
        return sum(self.mapped("qty_from_van")) + sum(self.mapped("qty_issued"))
