from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    isp_task_id = fields.Many2one(
        "project.task",
        string="Field Job",
        index="btree_not_null",
        copy=False,
        help="The job card this transfer issues, consumes or returns materials for.",
    )

    def _isp_done_move_fields(self):
        """A done transfer stays the one of its job."""
        return super()._isp_done_move_fields() | {"isp_task_id"}
