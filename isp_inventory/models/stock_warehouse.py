from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    isp_region_id = fields.Many2one("isp.region", string="Region", index=True, check_company=True)
    isp_is_main = fields.Boolean(
        string="Main Warehouse",
        help="The central store that buys from vendors and resupplies the branches.",
    )
    isp_technician_ids = fields.One2many(
        "isp.technician",
        "warehouse_id",
        string="Technicians",
        groups="stock.group_stock_user,isp_inventory.group_isp_technician,"
        "isp_inventory.group_isp_approver",
    )
    isp_user_ids = fields.Many2many(
        "res.users",
        relation="isp_warehouse_user_rel",
        column1="warehouse_id",
        column2="user_id",
        string="Branch Staff",
        groups="isp_inventory.group_isp_manager,base.group_erp_manager",
        domain="[('share', '=', False)]",
        help="Storekeepers and approvers who work for this branch (the other side of the "
        "users' Branches): they see its stock, technicians, counts, transfers and jobs.",
    )
    isp_technicians_location_id = fields.Many2one(
        "stock.location",
        string="Technicians Location",
        readonly=True,
        copy=False,
        help="View location under the warehouse that holds every technician's van and kit.",
    )

    def write(self, vals):
        if "isp_user_ids" in vals:
            self.env["res.users"]._isp_check_branch_setter()
        result = super().write(vals)
        if "isp_user_ids" in vals:
            # the record rules' domains are cached per user: recompute them
            self.env.registry.clear_cache()
        return result

    @api.constrains("isp_user_ids", "company_id")
    def _check_isp_user_ids(self):
        # one constraint for both sides of the relation
        # sudo: the branch staff is readable by managers only; only the check's answer
        # leaves this method.
        self.sudo().isp_user_ids._check_isp_warehouse_ids()

    @api.constrains("isp_is_main", "company_id")
    def _check_isp_is_main(self):
        for company in self.filtered("isp_is_main").company_id:
            mains = self.search([("company_id", "=", company.id), ("isp_is_main", "=", True)])
            if len(mains) > 1:
                raise ValidationError(
                    self.env._(
                        "Only one main warehouse per company: %(names)s are all marked main.",
                        names=", ".join(mains.mapped("name")),
                    )
                )

    def _isp_get_technicians_location(self):
        """The 'Technicians' view location under this warehouse, created on first use.

        It sits under the warehouse view location, not under WH/Stock, so deliveries
        from WH/Stock never reserve what is in a van, while the van's stock still counts
        for the warehouse.
        """
        self.ensure_one()
        if not self.isp_technicians_location_id:
            self.isp_technicians_location_id = self.env["stock.location"].create(
                {
                    "name": self.env._("Technicians"),
                    "usage": "view",
                    "location_id": self.view_location_id.id,
                    "company_id": self.company_id.id,
                }
            )
        return self.isp_technicians_location_id

    def _isp_get_quarantine_location(self):
        """The branch's quarantine for faulty returns, created on first use."""
        self.ensure_one()
        Location = self.env["stock.location"]
        quarantine = Location.search(
            [("warehouse_id", "=", self.id), ("isp_role", "=", "quarantine")], limit=1
        )
        # sudo: the first faulty return may come from a technician in the field, who
        # may move stock into the quarantine but not create locations; the location is
        # fixed configuration (one per branch, under the branch view location).
        return quarantine or Location.sudo().create(
            {
                "name": self.env._("Quarantine"),
                "usage": "internal",
                "location_id": self.view_location_id.id,
                "company_id": self.company_id.id,
                "isp_role": "quarantine",
            }
        ).sudo(False)

    def _isp_get_refurbishment_location(self):
        """The branch's "Refurbishment" location (internal, under the branch view
        location, so that nothing there is reserved for issues from the branch stock)
        where CPE taken back from a churned or upgraded customer waits to be checked
        and graded (isp.refurbishment); created on first use."""
        self.ensure_one()
        Location = self.env["stock.location"]
        refurbishment = Location.search(
            [("warehouse_id", "=", self.id), ("isp_role", "=", "refurbishment")], limit=1
        )
        # sudo: the first churn take-back may come from a technician in the field, who
        # may move stock into it but not create locations; the location is fixed
        # configuration (one per branch, under the branch view location).
        return refurbishment or Location.sudo().create(
            {
                "name": self.env._("Refurbishment"),
                "usage": "internal",
                "location_id": self.view_location_id.id,
                "company_id": self.company_id.id,
                "isp_role": "refurbishment",
            }
        ).sudo(False)

    def _isp_get_van_route(self):
        """The branch's 'Replenish Vans' route (pull rules branch stock → each van),
        created on first use; van orderpoints use it."""
        self.ensure_one()
        Route = self.env["stock.route"]
        route = Route.search(
            [("isp_van_warehouse_id", "=", self.id), ("active", "in", (True, False))], limit=1
        )
        return route or Route.create(
            {
                "name": self.env._("%(branch)s: Replenish Vans", branch=self.name),
                "isp_van_warehouse_id": self.id,
                "company_id": self.company_id.id,
                "product_selectable": False,
                "sequence": 5,
            }
        )

    # ------------------------------------------------------------------
    # Issue 4 (serial/tool lifecycle): losses location
    # ------------------------------------------------------------------
    def _isp_get_loss_location(self):
        """The branch's "Losses" location (usage inventory) where approved loss reports
        scrap lost, damaged or stolen items; created on first use."""
        self.ensure_one()
        Location = self.env["stock.location"]
        losses = Location.search(
            [("warehouse_id", "=", self.id), ("isp_role", "=", "loss")], limit=1
        )
        # sudo: created on the first approved loss report, by an approver who may not
        # create locations; the location itself is fixed configuration.
        return losses or Location.sudo().create(
            {
                "name": self.env._("Losses"),
                "usage": "inventory",
                "location_id": self.view_location_id.id,
                "company_id": self.company_id.id,
                "isp_role": "loss",
            }
        ).sudo(False)
