from odoo import fields, models

from .project_task import ISP_JOB_STATES


class ProjectTaskType(models.Model):
    _inherit = "project.task.type"

    isp_job_state = fields.Selection(
        ISP_JOB_STATES,
        string="Field Job State",
        help="Field jobs move to this stage when they reach this state.",
    )
