from odoo import fields, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _isp_install_record_values(self, given):
        """A serial delivered on a job's transfer is installed by that job; without a
        position from the operation, it is at the job's position (if the job has one)."""
        values = super()._isp_install_record_values(given)
        job = (self.picking_id or self.move_id.picking_id).isp_task_id
        values["isp_task_id"] = job.id
        if not (values["isp_latitude"] or values["isp_longitude"]) and (
            job.isp_latitude or job.isp_longitude
        ):
            values["isp_latitude"] = job.isp_latitude
            values["isp_longitude"] = job.isp_longitude
        return values

    def _isp_cleared_install_record_values(self):
        """The job that installed a serial taken back is cleared with the rest."""
        return dict(super()._isp_cleared_install_record_values(), isp_task_id=False)

    # Cable spools: each length cut from a spool on a job is tied to that job.
    isp_task_id = fields.Many2one(
        related="move_id.isp_task_id",
        store=True,
        index="btree_not_null",
        string="Field Job",
        help="The job this line's material was used on (cuts from cable spools included).",
    )
