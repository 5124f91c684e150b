from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain


class StockLot(models.Model):
    _inherit = "stock.lot"

    isp_task_id = fields.Many2one(
        "project.task",
        string="Installed by Job",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )

    def _isp_server_field_names(self):
        """The job that installed the serial is part of its install record."""
        return super()._isp_server_field_names() | {"isp_task_id"}

    def _isp_photo_domain(self):
        """The photos of the job that installed the serial are the serial's too."""
        domain = super()._isp_photo_domain()
        if not self.isp_task_id:
            return domain
        return Domain.OR(
            [
                domain,
                [
                    ("res_model", "=", "project.task"),
                    ("res_id", "in", self.isp_task_id.ids),
                    ("mimetype", "=like", "image/%"),
                ],
            ]
        )

    def _isp_is_photo_of(self, attachment):
        return super()._isp_is_photo_of(attachment) or (
            attachment.res_model == "project.task" and attachment.res_id == self.isp_task_id.id
        )

    def _isp_check_may_remove(self, technician, partner):
        """A technician (not a storekeeper) takes equipment back from a customer, or
        swaps it, only on an open job of theirs at that customer. The acting user
        decides, also when the operation runs in the superuser environment (`sudo()`
        keeps the user)."""
        super()._isp_check_may_remove(technician, partner)
        if self.env.user.has_group("isp_inventory.group_isp_storekeeper"):
            return
        # sudo: only whether such a job exists matters, whatever the record rules show.
        if (
            not self.env["project.task"]
            .sudo()
            .search_count(self._isp_open_job_domain(technician, partner), limit=1)
        ):
            raise AccessError(
                self.env._(
                    "%(technician)s has no open job at %(customer)s: equipment is taken back "
                    "or swapped on a job (ask the office to schedule one).",
                    technician=technician.name,
                    customer=partner.display_name,
                )
            )

    def _isp_open_job_domain(self, technician, partner):
        return [
            ("isp_technician_id", "=", technician.id),
            ("partner_id", "=", partner.id),
            ("isp_job_state", "in", ("scheduled", "in_progress")),
            ("state", "!=", "1_canceled"),
        ]

    # ------------------------------------------------------------------
    # Cable spools: the jobs that used lengths of a spool (its cuts' job)
    # ------------------------------------------------------------------
    isp_cut_task_ids = fields.Many2many(
        "project.task",
        string="Jobs Using the Spool",
        compute="_compute_isp_cut_task_ids",
        help="The field jobs that used lengths cut from this spool.",
    )

    def _compute_isp_cut_task_ids(self):
        for lot in self:
            lot.isp_cut_task_ids = lot.isp_cut_line_ids.isp_task_id
