"""Technicians are no longer Project / User (19.0.1.1.0): they read and update their own
jobs through this module's access rights. The implication stored by earlier versions is
removed (a data update does not remove a link the XML no longer makes)."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """
            DELETE FROM res_groups_implied_rel rel
             USING ir_model_data tech, ir_model_data project
             WHERE tech.module = 'isp_inventory' AND tech.name = 'group_isp_technician'
               AND project.module = 'project' AND project.name = 'group_project_user'
               AND rel.gid = tech.res_id AND rel.hid = project.res_id
            """
        )
    )
