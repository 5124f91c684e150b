from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# Who may give users their branches: ISP managers, and administrators of access rights
# (who could make themselves ISP managers anyway).
BRANCH_SETTER_GROUPS = "isp_inventory.group_isp_manager,base.group_erp_manager"


class ResUsers(models.Model):
    """Branch scope (issue 12, point 6): the branches (warehouses) a storekeeper or an
    approver works for. Record rules of the storekeeper and approver groups show them
    only those branches' stock, technicians, counts, transfers, loss reports (and jobs,
    in field service); activities and below-minimum alerts go to them only for those
    branches. Empty: all branches (an unscoped user, as before). ISP managers see all.

    The field is set by ISP managers only: it is not in ``SELF_WRITEABLE_FIELDS``, it is
    restricted to the managers' groups and `write`/`create` refuse it to anyone else, so
    the rules that rest on it rest on a field the scoped user cannot write."""

    _inherit = "res.users"

    isp_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        relation="isp_warehouse_user_rel",
        column1="user_id",
        column2="warehouse_id",
        string="Branches",
        groups=BRANCH_SETTER_GROUPS,
        domain="[('company_id', 'in', company_ids)]",
        help="The branches this storekeeper or approver works for: they see only these "
        "branches' stock, technicians, counts, transfers, loss reports and jobs, and get "
        "activities and alerts only for them. Empty: all branches. ISP managers see all "
        "whatever is set here.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("isp_warehouse_ids") for vals in vals_list):
            self._isp_check_branch_setter()
        users = super().create(vals_list)
        if any(vals.get("isp_warehouse_ids") for vals in vals_list):
            self.env.registry.clear_cache()
        return users

    def write(self, vals):
        if "isp_warehouse_ids" in vals:
            self._isp_check_branch_setter()
            if set(vals) == {"isp_warehouse_ids"} and not self.env.su:
                # sudo: ISP managers give users their branches without being access-
                # rights administrators (who alone write res.users); the check above
                # let only ISP managers and those administrators through, and only the
                # branches are written.
                return super(ResUsers, self.sudo()).write(vals)
        return super().write(vals)

    def _get_invalidation_fields(self):
        # the record rules' domains are cached per user: recompute them after a change
        return super()._get_invalidation_fields() | {"isp_warehouse_ids"}

    @api.model
    def _isp_check_branch_setter(self):
        """Only ISP managers (and access-rights administrators) give users branches:
        never the scoped user himself, whatever the RPC context says."""
        if self.env.su:
            return
        user = self.env.user
        if not any(user.has_group(group) for group in BRANCH_SETTER_GROUPS.split(",")):
            raise AccessError(
                self.with_context(lang=self.env.context.get("lang") or user.lang).env._(
                    "Only ISP managers can change the branches a user works for."
                )
            )

    @api.constrains("isp_warehouse_ids", "company_ids")
    def _check_isp_warehouse_ids(self):
        for user in self.sudo():
            foreign = user.isp_warehouse_ids.filtered(
                lambda warehouse, u=user: warehouse.company_id not in u.company_ids
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(user)s has no access to the company of %(branches)s.",
                        user=user.name,
                        branches=", ".join(foreign.mapped("name")),
                    )
                )

    def _isp_branch_scope(self):
        """The branches this user is restricted to (one user): empty when unscoped (no
        branches set) or an ISP manager, who sees all."""
        self.ensure_one()
        # sudo: the branches are readable by managers only; the server reads them to
        # decide who sees or is told about a document, and only the answer leaves.
        user = self.sudo()
        if user.has_group("isp_inventory.group_isp_manager"):
            return self.env["stock.warehouse"]
        return self.env["stock.warehouse"].browse(user.isp_warehouse_ids.ids)

    def _isp_check_branch_locations(self, locations, what, hint=""):
        """Refuse (``AccessError``) this user's use of ``locations`` when one is in a
        branch he does not work for; locations of no branch (vendors, customers, the
        inter-warehouse transit, virtual locations) are everyone's. ``what``: the
        translated words of what was refused, ``hint`` what to do instead, for the
        message."""
        self.ensure_one()
        branches = self._isp_branch_scope()
        if not branches:
            return
        for location in locations:
            if location.warehouse_id and location.warehouse_id not in branches:
                raise AccessError(
                    self.env._(
                        "%(what)s: %(location)s belongs to %(branch)s, and you work for "
                        "%(branches)s only.%(hint)s",
                        what=what,
                        hint=hint and f" {hint}",
                        location=location.display_name,
                        branch=location.warehouse_id.display_name,
                        branches=", ".join(branches.mapped("display_name")),
                    )
                )

    def _isp_works_for(self, warehouses):
        """The users among these who work for one of `warehouses` (unscoped users and ISP
        managers work for all; a document of no branch concerns every user)."""
        if not warehouses:
            return self
        return self.filtered(
            lambda user: not user._isp_branch_scope() or bool(user._isp_branch_scope() & warehouses)
        )
