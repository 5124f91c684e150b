from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    isp_is_field_service = fields.Boolean(
        string="Field Service",
        help="Its tasks are field job cards: technician, job type, materials.",
    )
