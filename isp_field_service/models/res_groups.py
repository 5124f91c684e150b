from odoo import models


class ResGroups(models.Model):
    """Users given the technician group through the group (its users, or a group that
    implies it) land on My Jobs too (see `res.users._isp_set_technician_home_action`)."""

    _inherit = "res.groups"

    def write(self, vals):
        result = super().write(vals)
        if {"user_ids", "implied_ids"} & set(vals):
            technician = self.env.ref("isp_inventory.group_isp_technician")
            technician.all_user_ids._isp_set_technician_home_action()
        return result
