from odoo import api, fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    isp_task_id = fields.Many2one(
        "project.task",
        string="Material of Job",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The field job this move is a material of: planned = demand, set aside = "
        "reserved in the van, used = done (with its serials).",
    )

    # The job lines still waiting for stock or used short: the few the stock-out report
    # reads out of every job's materials (a million lines a year at ISP size).
    _isp_task_short_idx = models.Index(
        "(isp_task_id) WHERE isp_task_id IS NOT NULL"
        " AND (state IN ('cancel', 'confirmed', 'partially_available', 'waiting')"
        " OR (state = 'done' AND quantity < product_uom_qty))"
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A material added to a job goes into the job's operation."""
        Task = self.env["project.task"]
        for vals in vals_list:
            if vals.get("isp_task_id") and not vals.get("picking_id"):
                vals["picking_id"] = Task.browse(vals["isp_task_id"])._isp_operation().id
        return super().create(vals_list)

    def unlink(self):
        """A job's planned material removed from the job is cancelled first (Odoo
        deletes only draft or cancelled moves); what was set aside is released."""
        self.filtered(
            lambda move: move.isp_task_id and move.state not in ("draft", "cancel", "done")
        )._action_cancel()
        return super().unlink()

    def _search_picking_for_assignation_domain(self):
        """Nor a job's operation (its moves are the job's materials)."""
        return super()._search_picking_for_assignation_domain() + [("isp_task_id", "=", False)]

    def _isp_done_locked_fields(self):
        """A done move stays the material of its job (the job's cost and the stock-out
        report read it)."""
        return super()._isp_done_locked_fields() | {"isp_task_id"}

    def _isp_done_qty(self):
        """What a done material move used, in the product's unit (its demand stays the
        planned quantity)."""
        self.ensure_one()
        return self.product_uom._compute_quantity(self.quantity, self.product_id.uom_id)

    def _get_analytic_distribution(self):
        """Materials a field job consumes at the customer cost the job's project, whatever
        the delivery type's `analytic_costs` setting (like project_mrp_account does for
        manufacturing orders)."""
        task = self.picking_id.isp_task_id
        if task and self.location_dest_id.usage == "customer":
            distribution = task.project_id._get_analytic_distribution()
            if distribution:
                return distribution
        return super()._get_analytic_distribution()
