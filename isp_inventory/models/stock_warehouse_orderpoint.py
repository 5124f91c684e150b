from odoo import api, fields, models


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    @api.model_create_multi
    def create(self, vals_list):
        # A min/max rule on a van replenishes from the home branch by default.
        for vals in vals_list:
            location = self.env["stock.location"].browse(vals.get("location_id"))
            if location.isp_role == "vehicle" and not vals.get("route_id"):
                vals["route_id"] = location.warehouse_id._isp_get_van_route().id
        return super().create(vals_list)

    @api.model
    def _isp_alert_below_minimum(self):
        """Give the storekeepers an activity for each product below its minimum: those
        who work for the rule's branch (unscoped storekeepers get all)."""
        storekeepers = self.env.ref("isp_inventory.group_isp_storekeeper").all_user_ids.filtered(
            lambda u: u.active and not u._is_superuser() and u.has_group("base.group_user")
        )
        if not storekeepers:
            return
        orderpoints = self.search([("trigger", "in", ("auto", "manual"))]).filtered(
            lambda op: op.product_uom.compare(op.qty_on_hand, op.product_min_qty) < 0
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        for orderpoint in orderpoints:
            template = orderpoint.product_id.product_tmpl_id
            summary = self.env._(
                "Below minimum in %(location)s", location=orderpoint.location_id.display_name
            )
            open_for = template.activity_ids.filtered(
                lambda a, s=summary: a.summary == s and a.activity_type_id == todo
            ).user_id
            for user in storekeepers._isp_works_for(orderpoint.warehouse_id) - open_for:
                template.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(self),
                    user_id=user.id,
                    summary=summary,
                    note=self.env._(
                        "%(qty)s %(uom)s on hand, minimum %(min)s.",
                        qty=orderpoint.qty_on_hand,
                        uom=orderpoint.product_uom.name,
                        min=orderpoint.product_min_qty,
                    ),
                )
