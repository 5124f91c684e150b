from odoo import api, fields, models


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    isp_lot_id = fields.Many2one(
        "stock.lot",
        string="Tool Serial",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id.isp_item_class', '=', 'tool')]",
        help="The serial-tracked tool this equipment record follows: its inspections and "
        "calibrations (preventive maintenance requests) gate its sign-out.",
    )
    isp_inspection_overdue = fields.Boolean(
        string="Inspection Overdue",
        compute="_compute_isp_inspection_overdue",
        search="_search_isp_inspection_overdue",
    )

    _isp_lot_uniq = models.Constraint(
        "UNIQUE(isp_lot_id)", "This tool serial already has an equipment record."
    )

    @api.model
    def _isp_overdue_request_domain(self):
        """Preventive requests (inspection, calibration) past their date and not done."""
        return [
            ("maintenance_type", "=", "preventive"),
            ("stage_id.done", "=", False),
            ("archive", "=", False),
            ("schedule_date", "<", fields.Datetime.now()),
        ]

    def _compute_isp_inspection_overdue(self):
        overdue = self.search([("id", "in", self.ids), ("isp_inspection_overdue", "=", True)])
        for equipment in self:
            equipment.isp_inspection_overdue = equipment in overdue

    def _search_isp_inspection_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        # sudo: maintenance only shows users the requests they follow; the inspection
        # gate and flags must see every tool's inspections (only ids leave this method).
        requests = self.env["maintenance.request"].sudo().search(self._isp_overdue_request_domain())
        in_or_not = "in" if (operator == "=") == value else "not in"
        return [("id", in_or_not, requests.equipment_id.ids)]
