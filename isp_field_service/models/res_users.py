from odoo import api, models

MY_JOBS_ACTION = "isp_field_service.project_task_action_my_isp_jobs"


class ResUsers(models.Model):
    """Technicians land on My Jobs after signing in (their home action), not on Discuss."""

    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._isp_set_technician_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        if "group_ids" in vals:
            self._isp_set_technician_home_action()
        return result

    def _isp_is_field_only(self):
        """The user (one) is a technician and holds none of the office roles (the roles
        a technician may not act beyond): the job's field-only rules and the phone's
        menus."""
        self.ensure_one()
        return (
            self.has_group("isp_inventory.group_isp_technician")
            and not self.has_group("isp_inventory.group_isp_storekeeper")
            and not self.has_group("isp_inventory.group_isp_approver")
        )

    def _isp_set_technician_home_action(self):
        """Give technicians without a home action of their own My Jobs as home action.
        A home action chosen for the user (by the user or an administrator) is kept."""
        action = self.env.ref(MY_JOBS_ACTION, raise_if_not_found=False)
        if not action:
            return
        # sudo: the home action is set by the server when a user becomes a technician
        # (whoever granted the group); it reads the groups of these users only.
        technicians = self.sudo().filtered(
            lambda user: not user.action_id
            and not user.share
            and user.has_group("isp_inventory.group_isp_technician")
        )
        if technicians:
            technicians.write({"action_id": action.id})
        # OdooBot's onboarding chat (mail_bot, installed with Discuss) opens full-screen
        # over a technician's phone at his first sign-in: he has no Discuss app
        if "odoobot_state" in self._fields:
            self.sudo().filtered(
                lambda user: not user.share
                and user.odoobot_state in (False, "not_initialized")
                and user._isp_is_field_only()
            ).write({"odoobot_state": "disabled"})

    @api.model
    def _isp_set_technicians_home_action(self):
        """Every technician without a home action lands on My Jobs (on each update of the
        module: technicians created before it, e.g. the demo users)."""
        group = self.env.ref("isp_inventory.group_isp_technician")
        group.all_user_ids._isp_set_technician_home_action()
