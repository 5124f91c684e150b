from odoo import api, models, tools


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    @tools.ormcache("frozenset(self.env.user._get_group_ids())", "debug")
    def _visible_menu_ids(self, debug=False):
        """A technician (no office role) sees the Field Service app only: every
        internal user otherwise gets Odoo's own apps (Discuss, To-do, Maintenance,
        Dashboards, Apps), desktop screens that are no part of his day on the phone.
        Decided by groups only, like Odoo's own cache key."""
        visible = super()._visible_menu_ids(debug)
        if not self.env.user._isp_is_field_only():
            return visible
        root = self.env.ref("isp_field_service.isp_field_service_menu_root")
        # sudo: menus are read to decide what is shown; the answer is ids of menus the
        # user may already see
        kept = (
            self.sudo()
            .browse(visible)
            .filtered(lambda menu: menu.parent_path.startswith(f"{root.id}/"))
        )
        return frozenset(kept.ids)
